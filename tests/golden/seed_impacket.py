#!/usr/bin/python3
"""smbwire golden capture: impacket as an SMB1 client against the throwaway smbd.

usage: /usr/bin/python3 seed_impacket.py PORT seed|anon|ops

seed: NBSS session request on a non-139 port, NEGOTIATE without extended security
      (8-byte challenge), SESSION_SETUP_ANDX NTLMv1 wrong password then smbwire,
      TREE_CONNECT_ANDX share, OPEN_ANDX hello.txt, READ_ANDX (12- and 10-word forms)
      until EOF, CLOSE, OPEN_ANDX missing file, OPEN_ANDX with the extended-response
      flag (19-word response), CLOSE, TREE_CONNECT_ANDX missing share, ECHO, LOGOFF_ANDX.
anon: no NBSS session request. Connection 1: null session, TREE_CONNECT_ANDX share
      without (3-word response) and with (7-word response) the extended-response flag,
      TREE_CONNECT_ANDX ro (refused), LOGOFF_ANDX. Connection 2: guest session
      (unknown user mapped to guest), TREE_CONNECT_ANDX share, LOGOFF_ANDX.
ops:  no NBSS session request; the everyday file commands in the forms impacket (or a
      hand-filled impacket SMBCommand) sends: NT_CREATE_ANDX, WRITE_ANDX 12-word and
      14-word, FLUSH, SEEK (modes 0, 1, 2), QUERY_INFORMATION2, SET_INFORMATION2,
      CLOSE, QUERY_INFORMATION, SET_INFORMATION, NT_RENAME with each InformationLevel
      (rename, hard link, copy, move cluster information), CHECK_DIRECTORY (found and
      not found), TRANS2 FIND_FIRST2 without the close flags then FIND_CLOSE2, DELETE
      of a wildcard (refused) and of each name, ECHO with EchoCount 3 (three
      responses), TREE_DISCONNECT, LOGOFF_ANDX.

Talks to 127.0.0.1 only.
"""
import os
import struct
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


def u16z(s, name):
    """a file name as the string part of a core command's data (after its 0x04)"""
    return name.encode('utf-16le') + b'\0\0' if unicode(s) else name.encode('ascii') + b'\0'


def raw_cmd(s, command, params, data=b'', tid=None, what=None):
    """one SMB command with hand-filled words and bytes; prints and returns the response"""
    cmd = smb.SMBCommand(command)
    cmd['Parameters'] = params
    cmd['Data'] = data
    r = exchange(s, cmd, tid)
    print('%s -> 0x%08x' % (what or 'command 0x%02x' % command, status(r)))
    return r


def words(r):
    """the parameter words of the first block of a response"""
    return smb.SMBCommand(r['Data'][0])['Parameters'] if r['Data'] else b''


def write_andx(s, tid, fid, offset, data, nwords):
    cmd = smb.SMBCommand(smb.SMB.SMB_COM_WRITE_ANDX)
    if nwords == 12:
        cmd['Parameters'] = smb.SMBWriteAndX_Parameters_Short()   # no OffsetHigh
        cmd['Parameters']['DataOffset'] = 32 + 1 + 24 + 2
    else:
        cmd['Parameters'] = smb.SMBWriteAndX_Parameters()         # with OffsetHigh
        cmd['Parameters']['DataOffset'] = 32 + 1 + 28 + 2
    cmd['Parameters']['Fid'] = fid
    cmd['Parameters']['Offset'] = offset
    cmd['Parameters']['WriteMode'] = 0
    cmd['Parameters']['Remaining'] = 0
    cmd['Parameters']['DataLength'] = len(data)
    cmd['Data'] = data
    r = exchange(s, cmd, tid)
    print('WRITE_ANDX (%d words) offset %d, %d bytes -> 0x%08x' % (nwords, offset, len(data), status(r)))


def ops():
    s = connect(nbss=False)
    assert login(s, 'smbwire', 'Passw0rd!')
    tid = tree_connect(s, 'share', 0)
    name = 'impacket-ops.txt'
    fid = s.nt_create_andx(tid, name, disposition=smb.FILE_OVERWRITE_IF, accessMask=0x12019f)
    print('NT_CREATE_ANDX %s -> fid %d' % (name, fid))
    write_andx(s, tid, fid, 0, b'smbwire: a 12-word WRITE_ANDX request.\n', 12)
    write_andx(s, tid, fid, 40, b'smbwire: a 14-word WRITE_ANDX request.\n', 14)
    raw_cmd(s, smb.SMB.SMB_COM_FLUSH, struct.pack('<H', fid), tid=tid, what='FLUSH')
    for mode, off in ((2, 0), (0, 10), (1, -4)):      # from the end, the start, the current position
        r = raw_cmd(s, 0x12, struct.pack('<HHi', fid, mode, off), tid=tid,
                    what='SEEK mode %d offset %d' % (mode, off))
        if status(r) == 0:
            print('  position %d' % struct.unpack('<I', words(r)[:4])[0])
    raw_cmd(s, smb.SMB.SMB_COM_QUERY_INFORMATION2, struct.pack('<H', fid), tid=tid,
            what='QUERY_INFORMATION2')
    # SMB_DATE / SMB_TIME of 2024-01-01 00:00:00 (local time of the server): create, access, write
    d, t = ((2024 - 1980) << 9) | (1 << 5) | 1, 0
    raw_cmd(s, smb.SMB.SMB_COM_SET_INFORMATION2, struct.pack('<7H', fid, d, t, d, t, d, t), tid=tid,
            what='SET_INFORMATION2')
    close(s, tid, fid)
    raw_cmd(s, smb.SMB.SMB_COM_QUERY_INFORMATION, b'', b'\x04' + u16z(s, name), tid=tid,
            what='QUERY_INFORMATION %s' % name)
    # read-only + archive, LastWriteTime 1704067200 (2024-01-01 00:00:00 UTC); then back to normal
    raw_cmd(s, smb.SMB.SMB_COM_SET_INFORMATION, struct.pack('<HI10s', 0x21, 1704067200, b''),
            b'\x04' + u16z(s, name), tid=tid, what='SET_INFORMATION %s read-only' % name)
    raw_cmd(s, smb.SMB.SMB_COM_SET_INFORMATION, struct.pack('<HI10s', 0, 0, b''),
            b'\x04' + u16z(s, name), tid=tid, what='SET_INFORMATION %s normal' % name)
    # NT_RENAME: SearchAttributes, InformationLevel, ClusterCount; the new name after its
    # 0x04 is aligned to 2 bytes in Unicode (as Samba's client does it)
    new = name
    for level, what, to in ((0x104, 'rename', 'impacket-ops2.txt'), (0x103, 'hard link', 'impacket-ops3.txt'),
                            (0x105, 'copy', 'impacket-ops4.txt'), (0x102, 'move cluster information', 'impacket-ops5.txt')):
        r = raw_cmd(s, smb.SMB.SMB_COM_NT_RENAME, struct.pack('<HHI', 0x16, level, 0),
                    b'\x04' + u16z(s, new) + b'\x04' + (b'\0' if unicode(s) else b'') + u16z(s, to), tid=tid,
                    what='NT_RENAME %s %s -> %s' % (what, new, to))
        if level == 0x104 and status(r) == 0:
            new = to
    raw_cmd(s, smb.SMB.SMB_COM_CHECK_DIRECTORY, b'', b'\x04' + u16z(s, '\\'), tid=tid,
            what='CHECK_DIRECTORY \\')
    raw_cmd(s, smb.SMB.SMB_COM_CHECK_DIRECTORY, b'', b'\x04' + u16z(s, '\\nosuchdir'), tid=tid,
            what='CHECK_DIRECTORY \\nosuchdir')
    # FIND_FIRST2 of 2 entries without SMB_FIND_CLOSE_AT_EOS / _AFTER_REQUEST: the search
    # stays open on the server until FIND_CLOSE2
    p = smb.SMBFindFirst2_Parameters(s.get_flags()[1])
    p['SearchAttributes'] = smb.SMB_FILE_ATTRIBUTE_DIRECTORY | smb.SMB_FILE_ATTRIBUTE_HIDDEN | \
        smb.SMB_FILE_ATTRIBUTE_SYSTEM
    p['SearchCount'] = 2
    p['Flags'] = smb.SMB_FIND_RETURN_RESUME_KEYS
    p['InformationLevel'] = smb.SMB_FIND_FILE_BOTH_DIRECTORY_INFO
    p['SearchStorageType'] = 0
    p['FileName'] = u16z(s, '\\*')
    s.send_trans2(tid, smb.SMB.TRANS2_FIND_FIRST2, '\x00', p, '')
    r = s.recvSMB()
    t2 = smb.SMBCommand(r['Data'][0])
    t2p = smb.SMBTransaction2Response_Parameters(t2['Parameters'])
    block = r.getData()[t2p['ParameterOffset']:t2p['ParameterOffset'] + t2p['ParameterCount']]
    sid, count, eos = struct.unpack('<HHH', block[:6])
    print('TRANS2 FIND_FIRST2 -> 0x%08x sid %d, %d entries, end of search %d' % (status(r), sid, count, eos))
    raw_cmd(s, smb.SMB.SMB_COM_FIND_CLOSE2, struct.pack('<H', sid), tid=tid, what='FIND_CLOSE2')
    # smbd 4.17 refuses wildcards in DELETE (STATUS_OBJECT_NAME_INVALID): one name at a time
    for n in ('impacket-ops*.txt', 'impacket-ops2.txt', 'impacket-ops3.txt', 'impacket-ops4.txt'):
        raw_cmd(s, smb.SMB.SMB_COM_DELETE, struct.pack('<H', 0x06), b'\x04' + u16z(s, n), tid=tid,
                what='DELETE %s' % n)
    s.echo('smbwire echo', 3)
    print('ECHO EchoCount 3')
    s.disconnect_tree(tid)
    print('TREE_DISCONNECT')
    logoff(s)
    s.close_session()


{'seed': seed, 'anon': anon, 'ops': ops}[mode]()
