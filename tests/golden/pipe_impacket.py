#!/usr/bin/python3
"""smbwire golden capture: the SMB_COM_TRANSACTION subprotocols from impacket's SMB1
classes: every named pipe function of MS-CIFS 2.2.5, a mailslot write (MS-CIFS 2.2.5.12)
and the RAP calls (MS-RAP) smbclient and smbtorture do not all send.

usage: /usr/bin/python3 pipe_impacket.py PORT [NAME]   (NAME: ignored, from record_rap.sh)

One connection, user smbwire, TREE_CONNECT_ANDX to IPC$, NT_CREATE_ANDX of \\srvsvc;
then on that FID: SetNmPipeState (PipeState 0x0100, message read mode),
QueryNmPipeState, QueryNmPipeInfo level 1, PeekNmPipe, TransactNmPipe with a DCE/RPC
bind to srvsvc (the bind_ack comes back as ReadData), PeekNmPipe again, RawReadNmPipe,
RawWriteNmPipe (2 bytes), WaitNmPipe and CallNmPipe on \\PIPE\\srvsvc (by name); then on
\\PIPE\\LANMAN the RAP calls NetShareEnum (level 1), NetShareGetInfo (share, levels 1
and 2), NetServerGetInfo (levels 0 and 1), NetWkstaGetInfo (level 10) and
NetServerEnum2 (levels 0 and 1); a mailslot write (opcode 1, priority 0, class 2) to
\\MAILSLOT\\BROWSE with a one-byte body (smbd answers STATUS_NOT_SUPPORTED); LOGOFF_ANDX.  smbd answers the functions it
does not implement with an error response; each answer is what smbd sends.

Talks to 127.0.0.1 only.
"""
import os
import struct
import sys

os.getpid = lambda: 0x5357  # deterministic header Pid

from impacket import smb  # noqa: E402
from impacket.uuid import uuidtup_to_bin  # noqa: E402

port = int(sys.argv[1])
s = smb.SMB('SMBWIRESRV', '127.0.0.1', sess_port=port)
s.login('smbwire', 'Passw0rd!')
tid = s.tree_connect_andx('\\\\SMBWIRESRV\\IPC$')
fid = s.nt_create_andx(tid, '\\srvsvc')
unicode = bool(s._SMB__flags2 & smb.SMB.FLAGS2_UNICODE)


def name(text):
    """Trans Name as smbd reads it: UTF-16LE after one pad byte when Unicode"""
    if unicode:
        return b'\x00' + (text + '\x00').encode('utf-16-le')
    return (text + '\x00').encode('ascii')


def trans(setup, tname, params=b'', data=b'', answer=True):
    s.send_trans(tid, setup, name(tname), params, data, noAnswer=0 if answer else 1)
    if answer:
        s.recvSMB()


def pipe(function, params=b'', data=b''):
    trans(struct.pack('<HH', function, fid), '\\PIPE\\', params, data)


bind = struct.pack('<BBBBIHHI', 5, 0, 11, 3, 0x10, 72, 0, 1)          # DCE/RPC bind, call 1
bind += struct.pack('<HHIBBH', 4280, 4280, 0, 1, 0, 0) + struct.pack('<HBB', 0, 1, 0)
bind += uuidtup_to_bin(('4B324FC8-1670-01D3-1278-5A47BF6EE188', '3.0'))
bind += uuidtup_to_bin(('8A885D04-1CEB-11C9-9FE8-08002B104860', '2.0'))
assert len(bind) == 72

pipe(0x0001, struct.pack('<H', 0x0100))       # SetNmPipeState: message read mode
pipe(0x0021)                                  # QueryNmPipeState
pipe(0x0022, struct.pack('<H', 1))            # QueryNmPipeInfo level 1
pipe(0x0023)                                  # PeekNmPipe
pipe(0x0026, data=bind)                       # TransactNmPipe
pipe(0x0023)                                  # PeekNmPipe
pipe(0x0011)                                  # RawReadNmPipe
pipe(0x0031, data=b'\x00\x00')                # RawWriteNmPipe
trans(struct.pack('<HH', 0x0053, 0), '\\PIPE\\srvsvc')            # WaitNmPipe
trans(struct.pack('<HH', 0x0054, 0), '\\PIPE\\srvsvc', data=bind)  # CallNmPipe


def rap(opcode, pdesc, ddesc, params):
    p = struct.pack('<H', opcode) + pdesc + b'\x00' + ddesc + b'\x00' + params
    trans(b'', '\\PIPE\\LANMAN', p)


rap(0, b'WrLeh', b'B13BWz', struct.pack('<HH', 1, 0x1000))                         # NetShareEnum
rap(1, b'zWrLh', b'B13BWz', b'share\x00' + struct.pack('<HH', 1, 0x1000))          # NetShareGetInfo 1
rap(1, b'zWrLh', b'B13BWzWWWzB9B', b'share\x00' + struct.pack('<HH', 2, 0x1000))   # NetShareGetInfo 2
rap(13, b'WrLh', b'B16', struct.pack('<HH', 0, 0x1000))                            # NetServerGetInfo 0
rap(13, b'WrLh', b'B16BBDz', struct.pack('<HH', 1, 0x1000))                        # NetServerGetInfo 1
rap(63, b'WrLh', b'zzzBBzz', struct.pack('<HH', 10, 0x1000))                       # NetWkstaGetInfo 10
rap(104, b'WrLehDz', b'B16', struct.pack('<HHI', 0, 0x1000, 0xFFFFFFFF) + b'WORKGROUP\x00')
rap(104, b'WrLehDz', b'B16BBDz', struct.pack('<HHI', 1, 0x1000, 0xFFFFFFFF) + b'WORKGROUP\x00')

# mailslot write; class 2 asks for no response, but smbd answers (STATUS_NOT_SUPPORTED):
# read it, so that the connection ends with a FIN, not a RST for unread data
trans(struct.pack('<HHH', 1, 0, 2), '\\MAILSLOT\\BROWSE', data=b'\x0c')
s.logoff()
