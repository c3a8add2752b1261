#!/usr/bin/python3
"""smbwire golden capture: the core-protocol commands no stock client here sends, from
impacket's SMB1 classes (and its SMBCommand for the print commands).

usage: /usr/bin/python3 core_impacket.py PORT [NAME]   (NAME: ignored, from record_torture.sh)

One connection, user smbwire, against tests/peers/smbd.sh (its [print] share):
  TREE_CONNECT (core, 0x70: three 0x04 strings; impacket's tree_connect()) to SHARE,
  TREE_DISCONNECT; TREE_CONNECT_ANDX to print; OPEN_PRINT_FILE (SetupLength 0, Mode 1
  graphics, identifier "smbwire"), WRITE_PRINT_FILE twice (0x01 data blocks of 13 and
  0 bytes), GET_PRINT_QUEUE (MaxCount 10), CLOSE_PRINT_FILE, GET_PRINT_QUEUE again,
  WRITE_PRINT_FILE on the closed FID (an error response); TREE_DISCONNECT, LOGOFF_ANDX.

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
s.logoff()
print('core: TREE_CONNECT and the print commands answered')
