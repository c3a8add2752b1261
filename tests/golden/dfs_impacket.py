#!/usr/bin/python3
"""smbwire golden capture: the DFS and the rarely sent TRANSACTION2 subcommands, from
impacket's SMB1 classes, against the smbd of tests/peers/smbd.sh started with "dfs".

usage: /usr/bin/python3 dfs_impacket.py PORT

One connection, user smbwire, TREE_CONNECT_ANDX to IPC$; then TRANS2_GET_DFS_REFERRAL
(MS-CIFS 2.2.6.16, MS-DFSC 2.2.2) with MaxReferralLevel 1, 2, 3 and 4 for the link
\\127.0.0.1\\dfs\\link (one target), level 3 and 4 for \\127.0.0.1\\dfs\\multi (two
targets), level 3 for the root \\127.0.0.1\\dfs and for a missing link (error);
TRANS2_REPORT_DFS_INCONSISTENCY (2.2.6.17) with a version 1 referral as data;
TRANS2_FIND_NOTIFY_FIRST and _NEXT (2.2.6.11, 2.2.6.12: no layout there; X/Open's), TRANS2_FSCTL, TRANS2_IOCTL2
and TRANS2_SESSION_SETUP (2.2.6.9, 2.2.6.10, 2.2.6.14), which smbd does not implement
and answers with an error; LOGOFF_ANDX.  Each answer is what smbd sends.

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
# DFS names are UTF-16 (MS-CIFS 2.2.6.16): Unicode from here on
s.set_flags(flags2=s.get_flags()[1] | smb.SMB.FLAGS2_UNICODE)
tid = s.tree_connect_andx('\\\\SMBWIRESRV\\IPC$')


def u(text):
    return (text + '\x00').encode('utf-16-le')


def trans2(sub, params=b'', data=b''):
    """a TRANSACTION2 of one setup word: Name one NUL byte (offset 65), then the
    parameters and the data at 4-aligned offsets (impacket's send_trans2 leaves its
    Name out of the byte area and counts it in ParameterOffset)"""
    pkt = smb.NewSMBPacket()
    pkt['Tid'] = tid
    cmd = smb.SMBCommand(smb.SMB.SMB_COM_TRANSACTION2)
    cmd['Parameters'] = smb.SMBTransaction2_Parameters()
    cmd['Parameters']['MaxDataCount'] = 16384
    cmd['Parameters']['MaxParameterCount'] = 1024
    cmd['Parameters']['Setup'] = struct.pack('<H', sub)
    cmd['Data'] = smb.SMBTransaction2_Data()
    start = 32 + 1 + 30 + 2                      # header, WordCount, 15 words, ByteCount
    poff = (start + 1 + 3) & ~3
    doff = (poff + len(params) + 3) & ~3 if data else poff + len(params)
    cmd['Parameters']['TotalParameterCount'] = len(params)
    cmd['Parameters']['TotalDataCount'] = len(data)
    cmd['Parameters']['ParameterCount'] = len(params)
    cmd['Parameters']['ParameterOffset'] = poff
    cmd['Parameters']['DataCount'] = len(data)
    cmd['Parameters']['DataOffset'] = doff
    cmd['Data']['Pad1'] = b'\x00' * (poff - start)     # the NUL Name, then the pad
    cmd['Data']['Trans_Parameters'] = params
    cmd['Data']['Pad2'] = b'\x00' * (doff - poff - len(params))
    cmd['Data']['Trans_Data'] = data
    pkt.addCommand(cmd)
    s.sendSMB(pkt)
    s.recvSMB()


def referral(level, path):
    trans2(0x0010, struct.pack('<H', level) + u(path))


for level in (1, 2, 3, 4):
    referral(level, '\\127.0.0.1\\dfs\\link')
referral(3, '\\127.0.0.1\\dfs\\multi')
referral(4, '\\127.0.0.1\\dfs\\multi')
referral(3, '\\127.0.0.1\\dfs')
referral(3, '\\127.0.0.1\\dfs\\missing')

# REPORT_DFS_INCONSISTENCY: the name, and the version 1 referral believed wrong
node = u('\\127.0.0.1\\share')
v1 = struct.pack('<HHHH', 1, 8 + len(node), 1, 0) + node
trans2(0x0011, u('\\127.0.0.1\\dfs\\link'), v1)

# FIND_NOTIFY_FIRST (X/Open SMB, Wireshark): SearchAttributes, ChangeCount,
# InformationLevel, Reserved (4), FileName; FIND_NOTIFY_NEXT: MonitorHandle, ChangeCount,
# then two words MS-CIFS and Wireshark do not name (sent as 0)
trans2(0x000B, struct.pack('<HHHI', 0x0016, 1, 1, 0) + u('\\*'))
trans2(0x000C, struct.pack('<HHHH', 1, 1, 0, 0))
# the reserved ones: opaque parameters and data
trans2(0x0009, b'\x00\x00', b'\x00\x00\x00\x00')
trans2(0x000A, b'\x00\x00', b'\x00\x00\x00\x00')
trans2(0x000E, b'\x00\x00', b'\x00\x00\x00\x00')
s.logoff()
