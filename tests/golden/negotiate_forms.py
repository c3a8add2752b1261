#!/usr/bin/python3
"""smbwire golden capture: hand-built SMB1 messages (socket + struct) that the stock
clients never send. Talks to 127.0.0.1 only.

usage: /usr/bin/python3 negotiate_forms.py NT1_PORT LEGACY_PORT

NT1_PORT    smbd started by "tests/peers/smbd.sh start DIR PORT" (NT1 only)
LEGACY_PORT smbd started by "tests/peers/smbd.sh start DIR PORT legacy"
            (server min protocol = CORE, lanman auth = yes)

Each numbered step is one TCP connection; see README.md for what smbd answered.
impacket.ntlm is used only to compute LM/NT hashes and the DES challenge responses.
"""
import socket
import struct
import sys

from impacket import ntlm

HOST = '127.0.0.1'
USER, PASSWORD, DOMAIN = 'smbwire', 'Passw0rd!', 'WORKGROUP'
PID = 0x4e46

SMB_COM_CLOSE = 0x04
SMB_COM_READ_ANDX = 0x2e
SMB_COM_NEGOTIATE = 0x72
SMB_COM_SESSION_SETUP_ANDX = 0x73
SMB_COM_LOGOFF_ANDX = 0x74
SMB_COM_TREE_CONNECT_ANDX = 0x75
SMB_COM_OPEN_ANDX = 0x2d

FLAGS_CASELESS_CANON = 0x18
F2_LONG_NAMES = 0x0001
F2_EAS = 0x0002
F2_IS_LONG_NAME = 0x0040
F2_EXTENDED_SECURITY = 0x0800
F2_NT_STATUS = 0x4000
F2_UNICODE = 0x8000

CAP_UNICODE = 0x04
CAP_LARGE_FILES = 0x08
CAP_NT_SMBS = 0x10
CAP_STATUS32 = 0x40
CAP_LEVEL_II_OPLOCKS = 0x80


def nb_name(name, suffix):
    """first-level encoded NetBIOS name (RFC 1002 4.1), no scope"""
    raw = name.upper().ljust(15)[:15].encode('ascii') + bytes([suffix])
    enc = bytes(b for c in raw for b in (0x41 + (c >> 4), 0x41 + (c & 15)))
    return b'\x20' + enc + b'\x00'


class Conn:
    def __init__(self, port, label):
        print('--- %s (port %d)' % (label, port))
        self.sock = socket.create_connection((HOST, port), timeout=10)
        self.mid = 0
        self.uid = 0
        self.tid = 0xffff

    def send_nbss(self, typ, payload):
        self.sock.sendall(struct.pack('>BBH', typ, (len(payload) >> 16) & 1, len(payload) & 0xffff) + payload)

    def recv_exact(self, n):
        buf = b''
        while len(buf) < n:
            chunk = self.sock.recv(n - len(buf))
            if not chunk:
                raise EOFError('connection closed')
            buf += chunk
        return buf

    def recv_nbss(self):
        typ, b1, ln = struct.unpack('>BBH', self.recv_exact(4))
        return typ, self.recv_exact(((b1 & 1) << 16) | ln)

    def session_request(self, called, calling, raw_body=None):
        body = raw_body if raw_body is not None else nb_name(called, 0x20) + nb_name(calling, 0x00)
        self.send_nbss(0x81, body)
        typ, payload = self.recv_nbss()
        print('NBSS session request -> type 0x%02x %s' % (typ, payload.hex()))
        return typ

    def smb(self, cmd, words, data, flags2, flags=FLAGS_CASELESS_CANON):
        self.mid += 1
        hdr = b'\xffSMB' + struct.pack('<BIBHH8sHHHHH', cmd, 0, flags, flags2, 0, b'\0' * 8, 0,
                                       self.tid, PID, self.uid, self.mid)
        self.send_nbss(0x00, hdr + bytes([len(words) // 2]) + words + struct.pack('<H', len(data)) + data)
        typ, r = self.recv_nbss()
        assert typ == 0 and r[:4] == b'\xffSMB', (typ, r[:8])
        status, = struct.unpack_from('<I', r, 5)
        flags2_r, = struct.unpack_from('<H', r, 10)
        tid, pid, uid, mid = struct.unpack_from('<HHHH', r, 24)
        wct = r[32]
        rwords = r[33:33 + 2 * wct]
        bcc, = struct.unpack_from('<H', r, 33 + 2 * wct)
        rdata = r[35 + 2 * wct:35 + 2 * wct + bcc]
        if flags2_r & F2_NT_STATUS:
            st = 'status 0x%08x' % status
        else:
            st = 'DOS class %d code %d' % (status & 0xff, status >> 16)
        print('  cmd 0x%02x -> wct %d bcc %d %s' % (cmd, wct, bcc, st))
        return status, rwords, rdata, uid, tid

    def negotiate(self, dialects, flags2):
        data = b''.join(b'\x02' + d.encode('ascii') + b'\x00' for d in dialects)
        st, w, d, _, _ = self.smb(SMB_COM_NEGOTIATE, b'', data, flags2)
        idx = struct.unpack_from('<H', w, 0)[0] if len(w) >= 2 else None
        print('  NEGOTIATE %s -> index %s, %d words' % (dialects, idx, len(w) // 2))
        return w, d

    def close(self):
        self.sock.close()


def oem(s):
    return s.encode('ascii') + b'\x00'


def nt1_session_setup(c, w, d, flags2, password, caps):
    session_key, = struct.unpack_from('<I', w, 15)
    challenge = d[:8]
    lm = ntlm.get_ntlmv1_response(ntlm.compute_lmhash(password), challenge)
    nt = ntlm.get_ntlmv1_response(ntlm.compute_nthash(password), challenge)
    words = struct.pack('<BBHHHHIHHII', 0xff, 0, 0, 4356, 2, 0, session_key, len(lm), len(nt), 0, caps)
    data = lm + nt + oem(USER) + oem(DOMAIN) + oem('Unix') + oem('smbwire')
    st, _, _, uid, _ = c.smb(SMB_COM_SESSION_SETUP_ANDX, words, data, flags2)
    if st == 0:
        c.uid = uid
    return st


def tree_connect(c, share, tflags, flags2):
    words = struct.pack('<BBHHH', 0xff, 0, 0, tflags, 1)
    data = b'\x00' + oem('\\\\%s\\%s' % (HOST, share.upper())) + oem('?????')
    st, _, _, _, tid = c.smb(SMB_COM_TREE_CONNECT_ANDX, words, data, flags2)
    if st == 0:
        c.tid = tid
    return st


def open_read_close(c, name, flags2):
    # OPEN_ANDX (15 words, OEM file name, extended response) / READ_ANDX (12 words) / CLOSE
    words = struct.pack('<BBHHHHHIHI8s', 0xff, 0, 0, 0x0010, 0x0040, 0x0016, 0, 0, 0x0001, 0, b'\0' * 8)
    st, w, _, _, _ = c.smb(SMB_COM_OPEN_ANDX, words, oem(name), flags2)
    if st != 0:
        return
    fid, = struct.unpack_from('<H', w, 4)
    words = struct.pack('<BBHHIHHIHI', 0xff, 0, 0, fid, 0, 4096, 4096, 0, 0, 0)
    c.smb(SMB_COM_READ_ANDX, words, b'', flags2)
    c.smb(SMB_COM_CLOSE, struct.pack('<HI', fid, 0xffffffff), b'', flags2)


def logoff(c, flags2):
    c.smb(SMB_COM_LOGOFF_ANDX, struct.pack('<BBH', 0xff, 0, 0), b'', flags2)


def main():
    nt1, legacy = int(sys.argv[1]), int(sys.argv[2])
    std = F2_UNICODE | F2_NT_STATUS | F2_LONG_NAMES | F2_EAS | F2_IS_LONG_NAME

    # 1. NBSS session request with a malformed called name -> negative response
    c = Conn(nt1, '1 NBSS negative session response')
    c.session_request(None, None, raw_body=b'\x20' + b'A' * 10)
    c.close()

    # 2. NBSS session request, keep-alive, NEGOTIATE NT LM 0.12 without extended security
    c = Conn(nt1, '2 NBSS + keepalive + NEGOTIATE [NT LM 0.12] no ext sec')
    c.session_request('SMBWIRESRV', 'SMBWIRECLIENT')
    c.send_nbss(0x85, b'')
    c.negotiate(['NT LM 0.12'], std)
    c.close()

    # 3. only a core dialect against the NT1-only server
    c = Conn(nt1, '3 NEGOTIATE [PC NETWORK PROGRAM 1.0] on NT1 server')
    c.negotiate(['PC NETWORK PROGRAM 1.0'], std)
    c.close()

    # 4. unknown dialect -> DialectIndex 0xFFFF
    c = Conn(nt1, '4 NEGOTIATE [FOOBAR 9.9]')
    c.negotiate(['FOOBAR 9.9'], std)
    c.close()

    # 5. a Windows-style dialect list with extended security
    c = Conn(nt1, '5 NEGOTIATE six dialects, extended security')
    c.negotiate(['PC NETWORK PROGRAM 1.0', 'LANMAN1.0', 'Windows for Workgroups 3.1a',
                 'LM1.2X002', 'LANMAN2.1', 'NT LM 0.12'], std | F2_EXTENDED_SECURITY)
    c.close()

    # 6. non-Unicode, no NT status client: OEM strings and DOS error codes
    f2 = F2_LONG_NAMES | F2_IS_LONG_NAME
    caps = CAP_LARGE_FILES | CAP_NT_SMBS | CAP_LEVEL_II_OPLOCKS   # no CAP_UNICODE, no CAP_STATUS32
    c = Conn(nt1, '6 OEM client, DOS errors')
    w, d = c.negotiate(['NT LM 0.12'], f2)
    nt1_session_setup(c, w, d, f2, 'wrong-password', caps)
    nt1_session_setup(c, w, d, f2, PASSWORD, caps)
    tree_connect(c, 'share', 0x0000, f2)
    tree_connect(c, 'share', 0x0008, f2)
    open_read_close(c, 'hello.txt', f2)
    tree_connect(c, 'nosuch', 0x0000, f2)
    logoff(c, f2)
    c.close()

    # 7. core dialect on the legacy server -> 1-word response with an index
    c = Conn(legacy, '7 NEGOTIATE [PC NETWORK PROGRAM 1.0] on legacy server')
    c.negotiate(['PC NETWORK PROGRAM 1.0'], 0)
    c.close()

    # 8. LANMAN1.0 alone -> 13-word response
    c = Conn(legacy, '8 NEGOTIATE [LANMAN1.0]')
    c.negotiate(['LANMAN1.0'], 0)
    c.close()

    # 9. LANMAN2: 13-word negotiate, 10-word session setup, 2-word tree connect response
    c = Conn(legacy, '9 LANMAN2 session')
    w, d = c.negotiate(['LANMAN1.0', 'LM1.2X002'], 0)
    session_key, = struct.unpack_from('<I', w, 12)
    chal_len, = struct.unpack_from('<H', w, 22)
    lm = ntlm.get_ntlmv1_response(ntlm.compute_lmhash(PASSWORD), d[:chal_len])
    words = struct.pack('<BBHHHHIHI', 0xff, 0, 0, 4356, 2, 0, session_key, len(lm), 0)
    data = lm + oem(USER.upper()) + oem(DOMAIN) + oem('Unix') + oem('smbwire')
    st, _, _, uid, _ = c.smb(SMB_COM_SESSION_SETUP_ANDX, words, data, 0)
    if st == 0:
        c.uid = uid
    tree_connect(c, 'share', 0x0000, 0)
    logoff(c, 0)
    c.close()


main()
