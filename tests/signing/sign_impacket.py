#!/usr/bin/python3
"""smbwire signing capture: impacket as a signing SMB1 client against smbd with
`server signing = mandatory` (tests/peers/smbd.sh ... signing).

usage: /usr/bin/python3 sign_impacket.py PORT KEYFILE

NEGOTIATE with extended security, SESSION_SETUP_ANDX NTLMSSP (NTLMv2, key
exchange) as smbwire / Passw0rd!, after which impacket signs every request
and smbd every response; then: ls of the share (TRANS2 FIND_FIRST2), get of
hello.txt (NT_CREATE_ANDX, READ_ANDX, CLOSE), put of sign-put.txt (WRITE_ANDX),
two NT_CREATE_ANDX of sign-put.txt with a batch oplock requested (impacket's
CreateFlags 0x16): the second makes smbd send an oplock break (a LOCKING_ANDX
request from the server, exempt from signing: its signature is zeros), which
is acknowledged (LOCKING_ANDX OPLOCK_RELEASE without ranges: no response, so
sequence number + 2); a LOCKING_ANDX on the first handle, then a blocking one
on the second that stays pending, cancelled by NT_CANCEL (no response of its
own: sequence number + 1) and answered with an error; ECHO with EchoCount 2
(two responses, one sequence number), CLOSE x2, TREE_DISCONNECT, DELETE of
sign-put.txt, LOGOFF_ANDX.

Writes KEYFILE: "mac_key HEX" (impacket's signing key: the NTLMSSP exported
session key; no challenge response with extended security).

Talks to 127.0.0.1 only.
"""
import io
import os
import struct
import sys

os.getpid = lambda: 0x5357      # deterministic Pid (impacket uses os.getpid())

from impacket import smb  # noqa: E402

HOST = '127.0.0.1'
port = int(sys.argv[1])
keyfile = sys.argv[2]


def status(r):
    return (r['ErrorCode'] << 16) | (r['_reserved'] << 8) | r['ErrorClass']


s = smb.SMB('SMBWIRESRV', HOST, my_name='SMBWIRECLIENT', sess_port=port, timeout=10)
s.login('smbwire', 'Passw0rd!', 'WORKGROUP')
assert s._SignatureEnabled, 'impacket did not turn signing on'
with open(keyfile, 'w') as f:
    f.write('# MAC key impacket signed with (SigningSessionKey || SigningChallengeResponse)\n')
    f.write('mac_key %s\n' % (s._SigningSessionKey + s._SigningChallengeResponse).hex())
print('login: signing on, MAC key %d bytes' % len(s._SigningSessionKey + s._SigningChallengeResponse))

for e in s.list_path('share', '*'):
    print('ls:', e.get_longname())

buf = io.BytesIO()
s.retr_file('share', 'hello.txt', buf.write)
print('get hello.txt: %d bytes' % len(buf.getvalue()))

payload = b'signed upload from impacket\n'
s.stor_file_nonraw('share', 'sign-put.txt', io.BytesIO(payload).read)
print('put sign-put.txt: %d bytes' % len(payload))

tid = s.tree_connect_andx('\\\\%s\\SHARE' % HOST)
fid1 = s.nt_create_andx(tid, 'sign-put.txt', accessMask=0x2019f | 0x2)


def locking(fid, locktype, timeout, ranges, mid):
    cmd = smb.SMBCommand(smb.SMB.SMB_COM_LOCKING_ANDX)
    cmd['Parameters'] = struct.pack('<BBHHBBIHH', 0xFF, 0, 0, fid, locktype, 0, timeout, 0, len(ranges))
    cmd['Data'] = b''.join(struct.pack('<HII', 0x5357, off, n) for off, n in ranges)
    pkt = smb.NewSMBPacket()
    pkt['Tid'] = tid
    pkt['Mid'] = mid
    pkt.addCommand(cmd)
    s.sendSMB(pkt)


# Acknowledge the oplock break smbd sends when the second open arrives.
_recv = s.recvSMB


def recv_acking_breaks():
    while True:
        r = _recv()
        if r['Command'] == smb.SMB.SMB_COM_LOCKING_ANDX and not (r['Flags1'] & smb.SMB.FLAGS1_REPLY):
            p = smb.SMBCommand(r['Data'][0])['Parameters']
            bfid, ltype, level = struct.unpack('<HBB', p[4:8])
            print('oplock break from the server: fid %d, type 0x%02x, level %d' % (bfid, ltype, level))
            locking(bfid, 0x02, 0, [], 102)      # the acknowledgement: no response
            continue
        return r


s.recvSMB = recv_acking_breaks
fid2 = s.nt_create_andx(tid, 'sign-put.txt', accessMask=0x2019f | 0x2)
print('opened sign-put.txt twice: fids %d, %d' % (fid1, fid2))

# fid1 locks bytes 0..9; fid2 asks for the same range, waiting forever
locking(fid1, 0, 0, [(0, 10)], 100)
r = s.recvSMB()
print('LOCKING_ANDX fid1 0..9 -> 0x%08x' % status(r))
locking(fid2, 0, 0xFFFFFFFF, [(0, 10)], 101)
# NT_CANCEL for Mid 101: no response, and it takes one sequence number only
# (impacket always adds 2: give the second back)
cancel = smb.NewSMBPacket()
cancel['Tid'] = tid
cancel['Mid'] = 101
c = smb.SMBCommand(smb.SMB.SMB_COM_NT_CANCEL)
c['Parameters'] = b''
c['Data'] = b''
cancel.addCommand(c)
s.sendSMB(cancel)
s._SignSequenceNumber -= 1
r = s.recvSMB()
print('LOCKING_ANDX fid2 (pending, cancelled) -> 0x%08x mid %d' % (status(r), r['Mid']))

echo = smb.NewSMBPacket()
echo['Mid'] = 103
e = smb.SMBCommand(smb.SMB.SMB_COM_ECHO)
e['Parameters'] = struct.pack('<H', 2)
e['Data'] = b'smbwire signing'
echo.addCommand(e)
s.sendSMB(echo)
for i in range(2):
    r = s.recvSMB()
    print('ECHO response %d -> 0x%08x' % (i + 1, status(r)))

s.close(tid, fid1)
s.close(tid, fid2)
s.disconnect_tree(tid)
s.remove('share', 'sign-put.txt')
s.logoff()
print('done')
