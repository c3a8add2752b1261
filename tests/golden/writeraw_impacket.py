#!/usr/bin/python3
"""smbwire golden capture: WRITE_RAW (MS-CIFS 2.2.4.25, 3.2.4.14) against smbd with raw
mode on and signing off (tests/peers/smbd.sh ... rawmode), from impacket's SMB1 classes.

usage: /usr/bin/python3 writeraw_impacket.py PORT [NAME]   (NAME: ignored, from record_torture.sh)

One connection, user smbwire: NEGOTIATE, SESSION_SETUP_ANDX, TREE_CONNECT_ANDX share,
NT_CREATE_ANDX writeraw.bin, then WRITE_RAW requests as MS-CIFS orders them: the
request (12 words, the data not in it), the server's interim response (1 word,
Available; smbd sends it with the request's header Flags, REPLY clear), the raw data
alone in an NBSS session message from the client, and with WritethroughMode set the
final response (MS-CIFS names SMB_COM_WRITE_COMPLETE; smbd sends a 1-word
SMB_COM_WRITE_RAW response with the Count written):
  1. 100 bytes at offset 0, WritethroughMode 1 (interim, raw data, WRITE_COMPLETE);
  2. 3000 bytes at offset 100, WritethroughMode 0 (interim, raw data, no final response);
  3. 14-word request (OffsetHigh 0) with 10 bytes in the request itself and 20 raw,
     WritethroughMode 1;
  4. WRITE_RAW on a bad FID (an error response instead of the interim one: no raw data
     follows).
Then READ_ANDX of the whole file (the bytes are checked here), CLOSE, DELETE,
TREE_DISCONNECT, LOGOFF_ANDX.  impacket's own SMB.write_raw() sends the data without
waiting for the interim response, so the requests are built here from its structures.

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
tid = s.tree_connect_andx('\\\\SMBWIRESRV\\share')
fid = s.nt_create_andx(tid, 'writeraw.bin', disposition=smb.FILE_OVERWRITE_IF)


class WriteRaw14(smb.SMBCommand_Parameters):
    """The 14-word request: OffsetHigh after the 12 words' fields."""
    structure = (
        ('Fid', '<H'),
        ('Count', '<H'),
        ('_reserved', '<H=0'),
        ('Offset', '<L'),
        ('Timeout', '<L=0'),
        ('WriteMode', '<H=0'),
        ('_reserved2', '<L=0'),
        ('DataLength', '<H'),
        ('DataOffset', '<H=0'),
        ('OffsetHigh', '<L=0'),
    )


def write_raw(fid, offset, data, writethrough, inline=b'', wide=False):
    """WRITE_RAW of inline + data: returns the interim response, or the error one."""
    pkt = smb.NewSMBPacket()
    pkt['Tid'] = tid
    cmd = smb.SMBCommand(smb.SMB.SMB_COM_WRITE_RAW)
    p = WriteRaw14() if wide else smb.SMBWriteRaw_Parameters()
    p['Fid'] = fid
    p['Count'] = len(inline) + len(data)
    p['Offset'] = offset
    p['WriteMode'] = 1 if writethrough else 0
    p['DataLength'] = len(inline)
    # DataOffset: from the SMB header to the inline data, after ByteCount
    p['DataOffset'] = (32 + 1 + 2 * (14 if wide else 12) + 2) if inline else 0
    cmd['Parameters'] = p
    cmd['Data'] = inline
    pkt.addCommand(cmd)
    s.sendSMB(pkt)
    interim = s.recvSMB()
    if interim['ErrorCode'] != 0 or interim['ErrorClass'] != 0:
        return interim                   # refused: no raw data is sent
    s._sess.send_packet(data)            # the raw data, alone in a session message
    if writethrough:
        # MS-CIFS: SMB_COM_WRITE_COMPLETE; smbd 4.17 answers with a 1-word
        # SMB_COM_WRITE_RAW response (Count)
        final = s.recvSMB()
        assert final['Command'] in (0x1D, 0x20), 'no final response'
    return interim


content = bytes((i * 7 + 3) & 0xFF for i in range(3130))
write_raw(fid, 0, content[:100], True)
write_raw(fid, 100, content[100:3100], False)
write_raw(fid, 3100, content[3110:3130], True, inline=content[3100:3110], wide=True)
write_raw(0x7777, 0, b'never sent', False)

got = b''
while len(got) < len(content):
    chunk = s.read_andx(tid, fid, len(got), 4096)
    if not chunk:
        break
    got += chunk
assert got == content, 'read back %d bytes, differing from the %d written' % (len(got), len(content))
s.close(tid, fid)
s.remove('share', 'writeraw.bin')
s.disconnect_tree(tid)
s.logoff()
print('writeraw: %d bytes written with WRITE_RAW and read back' % len(content))
