#!/usr/bin/python3
"""smbwire golden capture: impacket as an SMB1 client against the throwaway smbd.

usage: /usr/bin/python3 seed_impacket.py PORT seed|anon

seed: NBSS session request on a non-139 port, NEGOTIATE without extended security
      (8-byte challenge), SESSION_SETUP_ANDX NTLMv1 wrong password then smbwire,
      TREE_CONNECT_ANDX share, OPEN_ANDX hello.txt, READ_ANDX (12- and 10-word forms)
      until EOF, CLOSE, OPEN_ANDX missing file, OPEN_ANDX with the extended-response
      flag (19-word response), CLOSE, TREE_CONNECT_ANDX missing share, ECHO, LOGOFF_ANDX.
anon: no NBSS session request. Connection 1: null session, TREE_CONNECT_ANDX share
      without (3-word response) and with (7-word response) the extended-response flag,
      TREE_CONNECT_ANDX ro (refused), LOGOFF_ANDX. Connection 2: guest session
      (unknown user mapped to guest), TREE_CONNECT_ANDX share, LOGOFF_ANDX.

Talks to 127.0.0.1 only.
"""
import os
import sys

# Deterministic header Pid and VC number (impacket uses os.getpid() for both).
os.getpid = lambda: 0x5357

from impacket import nmb, smb  # noqa: E402

HOST = '127.0.0.1'
SERVER_NAME = 'SMBWIRESRV'     # NetBIOS called name (avoids impacket's *SMBSERVER name query)
CLIENT_NAME = 'SMBWIRECLIENT'  # NetBIOS calling name

port = int(sys.argv[1])
mode = sys.argv[2]

# No extended security: NEGOTIATE without FLAGS2_EXTENDED_SECURITY -> 8-byte challenge.
# With FLAGS2_UNICODE in the NEGOTIATE (smbd mirrors it, impacket then keeps it), so the
# tree connects and opens carry Unicode strings; impacket's NTLMv1 session setup always
# clears FLAGS2_UNICODE, so SESSION_SETUP_ANDX stays OEM.
_orig_neg = smb.SMB.neg_session


def _neg_session(self, extended_security=True, negPacket=None):
    self.set_flags(flags2=self.get_flags()[1] | smb.SMB.FLAGS2_UNICODE)
    return _orig_neg(self, False, negPacket)


smb.SMB.neg_session = _neg_session


def connect(nbss):
    # impacket sends an NBSS session request only when the port equals
    # nmb.NETBIOS_SESSION_PORT (139); point that at our port when we want one.
    nmb.NETBIOS_SESSION_PORT = port if nbss else 139
    return smb.SMB(SERVER_NAME, HOST, my_name=CLIENT_NAME, sess_port=port, timeout=10)


def exchange(s, cmd, tid=None):
    """send one SMB (single command) and return the response without raising"""
    pkt = smb.NewSMBPacket()
    if tid is not None:
        pkt['Tid'] = tid
    pkt.addCommand(cmd)
    s.sendSMB(pkt)
    return s.recvSMB()


def status(r):
    return (r['ErrorCode'] << 16) | (r['_reserved'] << 8) | r['ErrorClass']


def unicode(s):
    return s.get_flags()[1] & smb.SMB.FLAGS2_UNICODE


def tree_connect(s, share, flags):
    path = '\\\\%s\\%s' % (HOST, share.upper())
    cmd = smb.SMBCommand(smb.SMB.SMB_COM_TREE_CONNECT_ANDX)
    cmd['Parameters'] = smb.SMBTreeConnectAndX_Parameters()
    cmd['Parameters']['Flags'] = flags
    cmd['Parameters']['PasswordLength'] = 1
    cmd['Data'] = smb.SMBTreeConnectAndX_Data(flags=s.get_flags()[1])
    cmd['Data']['Password'] = b'\x00'
    if unicode(s):
        cmd['Data']['Path'] = path.encode('utf-16le')
    else:
        cmd['Data']['Path'] = path
    cmd['Data']['Service'] = '?????'
    r = exchange(s, cmd)
    print('TREE_CONNECT_ANDX %s flags=0x%x -> 0x%08x tid=%d' % (share, flags, status(r), r['Tid']))
    return r['Tid'] if status(r) == 0 else None


def open_andx(s, tid, name, flags):
    cmd = smb.SMBCommand(smb.SMB.SMB_COM_OPEN_ANDX)
    cmd['Parameters'] = smb.SMBOpenAndX_Parameters()
    cmd['Parameters']['Flags'] = flags
    cmd['Parameters']['DesiredAccess'] = smb.SMB_ACCESS_READ | smb.SMB_SHARE_DENY_NONE
    cmd['Parameters']['OpenMode'] = smb.SMB_O_OPEN
    cmd['Parameters']['SearchAttributes'] = smb.ATTR_READONLY | smb.ATTR_HIDDEN | smb.ATTR_ARCHIVE
    cmd['Data'] = smb.SMBOpenAndX_Data(flags=s.get_flags()[1])
    if unicode(s):
        cmd['Data']['Pad'] = 0
        cmd['Data']['FileName'] = name.encode('utf-16le')
    else:
        cmd['Data']['FileName'] = name
    r = exchange(s, cmd, tid)
    st = status(r)
    fid = None
    if st == 0:
        resp = smb.SMBCommand(r['Data'][0])
        fid = smb.SMBOpenAndXResponse_Parameters(resp['Parameters'])['Fid']
        print('OPEN_ANDX %s flags=0x%x -> fid %d, %d response words' % (name, flags, fid, resp['WordCount']))
    else:
        print('OPEN_ANDX %s flags=0x%x -> 0x%08x' % (name, flags, st))
    return fid


def read_andx(s, tid, fid, offset, count, words):
    cmd = smb.SMBCommand(smb.SMB.SMB_COM_READ_ANDX)
    if words == 12:
        cmd['Parameters'] = smb.SMBReadAndX_Parameters()        # with OffsetHigh
    else:
        cmd['Parameters'] = smb.SMBReadAndX_Parameters2()       # 10 words
    cmd['Parameters']['Fid'] = fid
    cmd['Parameters']['Offset'] = offset
    cmd['Parameters']['MaxCount'] = count
    cmd['Parameters']['MinCount'] = count
    cmd['Parameters']['Remaining'] = 0
    cmd['Data'] = b''
    r = exchange(s, cmd, tid)
    if status(r) != 0:
        print('READ_ANDX -> 0x%08x' % status(r))
        return b''
    resp = smb.SMBCommand(r['Data'][0])
    p = smb.SMBReadAndXResponse_Parameters(resp['Parameters'])
    n = p['DataCount'] + (p['DataCount_Hi'] << 16)
    data = r.getData()[p['DataOffset']:p['DataOffset'] + n]
    print('READ_ANDX (%d words) offset %d max %d -> %d bytes' % (words, offset, count, len(data)))
    return data


def close(s, tid, fid):
    cmd = smb.SMBCommand(smb.SMB.SMB_COM_CLOSE)
    cmd['Parameters'] = smb.SMBClose_Parameters()
    cmd['Parameters']['FID'] = fid
    cmd['Parameters']['Time'] = 0
    r = exchange(s, cmd, tid)
    print('CLOSE %d -> 0x%08x' % (fid, status(r)))


def login(s, user, password, domain='WORKGROUP'):
    flags2 = s.get_flags()[1]      # impacket drops FLAGS2_UNICODE for good when a login fails
    try:
        s.login(user, password, domain)
        print('SESSION_SETUP_ANDX %r -> ok uid=%d guest=%d' % (user, s.get_uid(), s.isGuestSession()))
        return True
    except smb.SessionError as e:
        print('SESSION_SETUP_ANDX %r -> %s' % (user, e))
        return False
    finally:
        s.set_flags(flags2=flags2)


def logoff(s):
    s.logoff()
    print('LOGOFF_ANDX')


def seed():
    s = connect(nbss=True)
    login(s, 'smbwire', 'wrong-password')          # STATUS_LOGON_FAILURE
    assert login(s, 'smbwire', 'Passw0rd!')
    tid = tree_connect(s, 'share', 0)
    fid = open_andx(s, tid, 'hello.txt', 0)
    data, off, words = b'', 0, 12
    while True:                                      # 20-byte reads until EOF, alternating forms
        chunk = read_andx(s, tid, fid, off, 20, words)
        words = 10 if words == 12 else 12
        if not chunk:
            break
        data += chunk
        off += len(chunk)
    print('hello.txt: %r' % data)
    close(s, tid, fid)
    open_andx(s, tid, 'missing.txt', 0)              # STATUS_OBJECT_NAME_NOT_FOUND
    fid = open_andx(s, tid, 'hello.txt', 0x10)       # extended response: 19 words
    read_andx(s, tid, fid, 0, 64, 10)
    close(s, tid, fid)
    tree_connect(s, 'nosuch', 0)                     # STATUS_BAD_NETWORK_NAME
    s.echo('smbwire', 1)
    print('ECHO')
    logoff(s)
    s.close_session()


def anon():
    s = connect(nbss=False)
    login(s, '', '')                                 # null session
    tree_connect(s, 'share', 0)                      # 3-word response
    tree_connect(s, 'share', 0x0008)                 # TREE_CONNECT_ANDX_EXTENDED_RESPONSE: 7 words
    tree_connect(s, 'ro', 0x0008)                    # guest ok = no
    logoff(s)
    s.close_session()

    s = connect(nbss=False)
    login(s, 'someguest', 'anything')                # unknown user -> guest (map to guest = Bad User)
    tree_connect(s, 'share', 0)
    logoff(s)
    s.close_session()


{'seed': seed, 'anon': anon}[mode]()
