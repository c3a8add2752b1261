#!/usr/bin/python3
"""smbwire golden capture: NT_TRANSACT_IOCTL with the FSCTLs whose data smbwire types
(info.h, smbw_fsctl_records()), against the smbd of tests/peers/smbd.sh started with "dfs"
(its share [snap] has two shadow copies under shadow_copy2).

usage: /usr/bin/python3 fsctl_impacket.py PORT

One connection, user smbwire, Unicode.  On [snap], NT_CREATE_ANDX of file.txt, then
NT_TRANSACT_IOCTL (MS-CIFS 2.2.7.2, IsFsctl 1) with FSCTL_SRV_ENUMERATE_SNAPSHOTS
(MS-SMB 2.2.7.2.1.1: MaxDataCount 16, which gets the counts only, then 4096, which gets
the @GMT- names), FSCTL_CREATE_OR_GET_OBJECT_ID and FSCTL_GET_OBJECT_ID (MS-FSCC
2.3.7, 2.3.27: FILE_OBJECTID_BUFFER), FSCTL_GET_REPARSE_POINT (2.3.29; not a reparse
point: an error), FSCTL_SET_REPARSE_POINT with a symbolic link REPARSE_DATA_BUFFER
(2.3.81, 2.1.2.4; smbd refuses it), FSCTL_SET_OBJECT_ID (2.3.73; refused); CLOSE,
LOGOFF_ANDX.  Each answer is what smbd sends.

Talks to 127.0.0.1 only.
"""
import os
import struct
import sys

os.getpid = lambda: 0x5357  # deterministic header Pid

from impacket import smb  # noqa: E402

port = int(sys.argv[1])
s = smb.SMB('SMBWIRESRV', '127.0.0.1', sess_port=port)
s.login('smbwire', 'Passw0rd!')
s.set_flags(flags2=s.get_flags()[1] | smb.SMB.FLAGS2_UNICODE)
tid = s.tree_connect_andx('\\\\SMBWIRESRV\\SNAP')
fid = s.nt_create_andx(tid, 'file.txt')


def ioctl(code, data=b'', max_data=4096):
    """NT_TRANSACT_IOCTL: 4 setup words (FunctionCode, FID, IsFctl 1, IsFlags 0), no
    parameters, the data 4-aligned (impacket's send_nt_trans packs one setup word)"""
    pkt = smb.NewSMBPacket()
    pkt['Tid'] = tid
    cmd = smb.SMBCommand(smb.SMB.SMB_COM_NT_TRANSACT)
    cmd['Parameters'] = smb.SMBNTTransaction_Parameters()
    cmd['Parameters']['MaxParameterCount'] = 0
    cmd['Parameters']['MaxDataCount'] = max_data
    cmd['Parameters']['MaxSetupCount'] = 0
    cmd['Parameters']['Function'] = 2
    cmd['Parameters']['Setup'] = struct.pack('<IHBB', code, fid, 1, 0)
    start = 32 + 1 + 2 * (19 + 4) + 2            # header, WordCount, 23 words, ByteCount
    doff = (start + 3) & ~3
    cmd['Parameters']['TotalParameterCount'] = 0
    cmd['Parameters']['TotalDataCount'] = len(data)
    cmd['Parameters']['ParameterCount'] = 0
    cmd['Parameters']['ParameterOffset'] = doff if data else start
    cmd['Parameters']['DataCount'] = len(data)
    cmd['Parameters']['DataOffset'] = doff if data else start
    cmd['Data'] = smb.SMBNTTransaction_Data()
    cmd['Data']['Pad1'] = b'\x00' * (doff - start) if data else b''
    cmd['Data']['NT_Trans_Parameters'] = b''
    cmd['Data']['Pad2'] = b''
    cmd['Data']['NT_Trans_Data'] = data
    pkt.addCommand(cmd)
    s.sendSMB(pkt)
    s.recvSMB()


ioctl(0x00144064, max_data=16)      # FSCTL_SRV_ENUMERATE_SNAPSHOTS: the counts
ioctl(0x00144064)                   # and the names
ioctl(0x000900C0)                   # FSCTL_CREATE_OR_GET_OBJECT_ID
ioctl(0x0009009C)                   # FSCTL_GET_OBJECT_ID
ioctl(0x000900A8)                   # FSCTL_GET_REPARSE_POINT
# FSCTL_SET_REPARSE_POINT: IO_REPARSE_TAG_SYMLINK, a relative link to "file.txt"
name = 'file.txt'.encode('utf-16-le')
link = struct.pack('<HHHHI', 0, len(name), len(name), len(name), 1) + name + name
ioctl(0x000900A4, struct.pack('<IHH', 0xA000000C, len(link), 0) + link)
ioctl(0x00090098, bytes(range(64)))  # FSCTL_SET_OBJECT_ID
s.close(tid, fid)
s.logoff()
