#!/usr/bin/python3
"""smbwire golden capture: the core-protocol commands no stock client here sends, from
impacket's SMB1 classes (and its SMBCommand for the print commands).

usage: /usr/bin/python3 core_impacket.py PORT [NAME]   (NAME: ignored, from record_torture.sh)

One connection, user smbwire, against tests/peers/smbd.sh (its [print] share):
  TREE_CONNECT (core, 0x70: three 0x04 strings; impacket's tree_connect()) to SHARE,
  TREE_DISCONNECT; TREE_CONNECT_ANDX to print; OPEN_PRINT_FILE (SetupLength 0, Mode 1
  graphics, identifier "smbwire"), WRITE_PRINT_FILE twice (0x01 data blocks of 13 and
  0 bytes), GET_PRINT_QUEUE (MaxCount 10), CLOSE_PRINT_FILE, GET_PRINT_QUEUE again,
  WRITE_PRINT_FILE on the closed FID (an error response); TREE_DISCONNECT.  Then, on
  share, the commands smbd no longer implements, built from their layouts: READ_MPX,
  WRITE_MPX, COPY, MOVE, QUERY_SERVER, NEW_FILE_SIZE, FIND_NOTIFY_CLOSE, the eight
  messenger commands (MS-MSRP), and with no words or bytes the codes MS-CIFS names
  without a layout (READ_MPX_SECONDARY, WRITE_MPX_SECONDARY, WRITE_COMPLETE as a request,
  IOCTL_SECONDARY, CLOSE_AND_TREE_DISC, READ_BULK, WRITE_BULK, WRITE_BULK_DATA;
  SECURITY_PACKAGE_ANDX with an empty AndX header), and SMB_COM_INVALID (0xFE), each answered with an error response except FIND_NOTIFY_CLOSE
  (which smbd acknowledges); LOGOFF_ANDX.

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

tid = s.tree_connect('\\\\SMBWIRESRV\\share')
s.disconnect_tree(tid)

ptid = s.tree_connect_andx('\\\\SMBWIRESRV\\print')


def call(command, words, data):
    """One request of command with the given parameter words and data bytes."""
    pkt = smb.NewSMBPacket()
    pkt['Tid'] = ptid
    cmd = smb.SMBCommand(command)
    cmd['Parameters'] = words
    cmd['Data'] = data
    pkt.addCommand(cmd)
    s.sendSMB(pkt)
    return s.recvSMB()


r = call(0xC0, struct.pack('<HH', 0, 1), b'\x04smbwire\x00')            # OPEN_PRINT_FILE
assert r['ErrorCode'] == 0 and r['ErrorClass'] == 0, 'OPEN_PRINT_FILE refused'
fid = struct.unpack('<H', smb.SMBCommand(r['Data'][0])['Parameters'][:2])[0]
job = b'hello printer'
call(0xC1, struct.pack('<H', fid), b'\x01' + struct.pack('<H', len(job)) + job)  # WRITE_PRINT_FILE
call(0xC1, struct.pack('<H', fid), b'\x01\x00\x00')                      # 0 bytes
call(0xC3, struct.pack('<HH', 10, 0), b'')                               # GET_PRINT_QUEUE
call(0xC2, struct.pack('<H', fid), b'')                                  # CLOSE_PRINT_FILE
call(0xC3, struct.pack('<HH', 10, 0), b'')                               # GET_PRINT_QUEUE
r = call(0xC1, struct.pack('<H', fid), b'\x01\x01\x00x')                 # on the closed FID
assert r['ErrorCode'] != 0 or r['ErrorClass'] != 0, 'WRITE_PRINT_FILE on a closed FID accepted'
s.disconnect_tree(ptid)

# The commands smbd no longer implements, each built from its layout (MS-CIFS 2.2.4,
# the CIFS 1.0 draft for COPY and MOVE, MS-MSRP for SEND_MESSAGE) and answered by smbd
# with an error response (FIND_NOTIFY_CLOSE: success, smbd ignores it).
ptid = s.tree_connect_andx('\\\\SMBWIRESRV\\share')
fid = s.nt_create_andx(ptid, 'hello.txt')
data = b'mpx'
obsolete = [
    (0x1B, struct.pack('<HIHHIH', fid, 0, 1024, 0, 0, 0), b''),               # READ_MPX
    (0x1E, struct.pack('<HHHIIHIHH', fid, len(data), 0, 0, 0, 0, 0, len(data),
                       32 + 1 + 24 + 2 + 1), b'\x00' + data),                  # WRITE_MPX
    (0x29, struct.pack('<HHH', ptid, 0x0001, 0x0000),
     b'\x04hello.txt\x00\x04copy.txt\x00'),                                   # COPY
    (0x2A, struct.pack('<HHH', ptid, 0x0001, 0x0000),
     b'\x04hello.txt\x00\x04moved.txt\x00'),                                  # MOVE
    (0x21, b'', b''),                                                          # QUERY_SERVER
    (0x30, b'', b''),                                                          # NEW_FILE_SIZE
    (0x35, struct.pack('<H', 1), b''),                                         # FIND_NOTIFY_CLOSE
    (0xD0, b'', b'\x04SMBWIRECLIENT\x00\x04SMBWIRESRV\x00\x01\x02\x00hi'),     # SEND_MESSAGE
    (0xD1, b'', b'\x04SMBWIRECLIENT\x00\x04*\x00\x01\x02\x00hi'),              # SEND_BROADCAST_MESSAGE
    (0xD2, b'', b'\x04SMBWIRE\x00'),                                          # FORWARD_USER_NAME
    (0xD3, b'', b'\x04SMBWIRE\x00'),                                          # CANCEL_FORWARD
    (0xD4, b'', b''),                                                          # GET_MACHINE_NAME
    (0xD5, b'', b'\x04SMBWIRECLIENT\x00\x04SMBWIRESRV\x00'),                   # SEND_START_MB_MESSAGE
    (0xD7, struct.pack('<H', 1), b'\x01\x02\x00hi'),                          # SEND_TEXT_MB_MESSAGE
    (0xD6, struct.pack('<H', 1), b''),                                         # SEND_END_MB_MESSAGE
    # the codes MS-CIFS names without a layout (reserved or never used)
    (0x1C, b'', b''), (0x1F, b'', b''), (0x20, b'', b''), (0x28, b'', b''), (0x31, b'', b''),
    (0xD8, b'', b''), (0xD9, b'', b''), (0xDA, b'', b''),
    (0x7E, struct.pack('<BBH', 0xFF, 0, 0), b''),                           # SECURITY_PACKAGE_ANDX
    (0xFE, b'', b''),                                                          # SMB_COM_INVALID
]
for code, words, payload in obsolete:
    r = call(code, words, payload)
    print('0x%02x: %s' % (code, 'error class %d code %d' % (r['ErrorClass'], r['ErrorCode'])
                          if r['ErrorCode'] or r['ErrorClass'] else 'success'))
s.close(ptid, fid)
s.disconnect_tree(ptid)
s.logoff()
print('core: TREE_CONNECT, the print commands and %d obsolete ones answered' % len(obsolete))
