#!/usr/bin/python3
"""smbwire golden capture: multi-fragment transactions against smbd on 127.0.0.1.

usage: /usr/bin/python3 transactions.py PORT

Hand-built SMB1 messages (socket + struct; impacket only for the NTLM hashes and
the DCE/RPC / NDR structures) that split TRANSACTION, TRANSACTION2 and
NT_TRANSACT requests into a primary request and secondary requests, and that
make smbd split its responses: the session setup offers MaxBufferSize 500 (the
smallest smbd accepts), so smbd sends at most 500-byte messages and spreads a
larger transaction response over several messages with displacements.

Connection 1 (Unicode, NT status; session setup and tree connects with OEM strings):
  TRANS2 SET_PATH_INFORMATION (SMB_INFO_SET_EAS, three 150-byte EAs on hello.txt):
    primary with the first 6 parameter bytes, then two TRANS2_SECONDARY sent out of
    order (the data tail first, then the rest of the parameters with the data head);
    smbd sends an interim response after the primary, one response at the end.
  TRANS2 QUERY_PATH_INFORMATION (SMB_INFO_QUERY_ALL_EAS) -> response in 2 parts.
  NT_CREATE_ANDX (overwrite-if) + CLOSE of a file with a long name, then TRANS2
    FIND_FIRST2 "\\*" (SMB_FIND_FILE_ID_BOTH_DIRECTORY_INFO) -> response in 2 parts.
  NT_TRANSACT_CREATE of nt-transact-create.txt with a 332-byte EA list split into
    the primary (100 parameter + 76 data bytes) and an NT_TRANSACT_SECONDARY (256 data
    bytes; interim response after the primary, then the create response), then
    NT_TRANSACT_QUERY_SECURITY_DESC on that FID with MaxDataCount 0
    (STATUS_BUFFER_TOO_SMALL) and 4096, CLOSE.
  TREE_CONNECT_ANDX IPC$, NT_CREATE_ANDX srvsvc, TRANSACTION TransactNmPipe
    "\\PIPE\\" (Unicode name after its pad byte) with a DCE/RPC bind split into the
    primary and a TRANSACTION_SECONDARY (interim response, then the bind_ack),
    TransactNmPipe NetrShareEnum level 1 -> response in 3 parts, CLOSE,
    LOGOFF_ANDX.
Connection 2 (OEM strings, NT status): TRANSACTION "\\PIPE\\LANMAN" (OEM name)
  RAP NetShareEnum level 1 in one request and one response.
"""
import socket
import struct
import sys

from impacket import ntlm
from impacket.dcerpc.v5 import rpcrt, srvs
from impacket.dcerpc.v5.dtypes import NULL
from impacket.uuid import uuidtup_to_bin

HOST = '127.0.0.1'
USER, PASSWORD, DOMAIN = 'smbwire', 'Passw0rd!', 'WORKGROUP'
PID = 0x5457
MAX_BUFFER = 500
NT_NAME = 'nt-transact-create.txt'
LONG_NAME = 'smbwire golden capture, a file with a long name to fill the listing.txt'

SMB_COM_CLOSE = 0x04
SMB_COM_TRANSACTION = 0x25
SMB_COM_TRANSACTION_SECONDARY = 0x26
SMB_COM_TRANSACTION2 = 0x32
SMB_COM_TRANSACTION2_SECONDARY = 0x33
SMB_COM_NEGOTIATE = 0x72
SMB_COM_SESSION_SETUP_ANDX = 0x73
SMB_COM_LOGOFF_ANDX = 0x74
SMB_COM_TREE_CONNECT_ANDX = 0x75
SMB_COM_NT_TRANSACT = 0xa0
SMB_COM_NT_TRANSACT_SECONDARY = 0xa1
SMB_COM_NT_CREATE_ANDX = 0xa2

FLAGS_CASELESS_CANON = 0x18
F2_LONG_NAMES = 0x0001
F2_EAS = 0x0002
F2_IS_LONG_NAME = 0x0040
F2_NT_STATUS = 0x4000
F2_UNICODE = 0x8000
CAPS = 0x04 | 0x08 | 0x10 | 0x40 | 0x80   # UNICODE LARGE_FILES NT_SMBS STATUS32 LEVEL_II_OPLOCKS

OEM_F2 = F2_NT_STATUS | F2_LONG_NAMES | F2_EAS | F2_IS_LONG_NAME
UNI_F2 = OEM_F2 | F2_UNICODE


def align4(x):
    return (x + 3) & ~3


def utf16z(s):
    return s.encode('utf-16-le') + b'\0\0'


def oemz(s):
    return s.encode('ascii') + b'\0'


class Conn:
    def __init__(self, port, label):
        print('--- %s' % label)
        self.sock = socket.create_connection((HOST, port), timeout=10)
        self.mid = 0
        self.uid = 0
        self.tid = 0xffff

    # ---- NBSS / SMB framing
    def send_smb(self, cmd, words, data, flags2, mid):
        hdr = b'\xffSMB' + struct.pack('<BIBHH8sHHHHH', cmd, 0, FLAGS_CASELESS_CANON, flags2, 0,
                                       b'\0' * 8, 0, self.tid, PID, self.uid, mid)
        msg = hdr + bytes([len(words) // 2]) + words + struct.pack('<H', len(data)) + data
        self.sock.sendall(struct.pack('>BBH', 0, len(msg) >> 16, len(msg) & 0xffff) + msg)

    def recv_exact(self, n):
        buf = b''
        while len(buf) < n:
            chunk = self.sock.recv(n - len(buf))
            if not chunk:
                raise EOFError('connection closed')
            buf += chunk
        return buf

    def recv_smb(self):
        typ, b1, ln = struct.unpack('>BBH', self.recv_exact(4))
        r = self.recv_exact(((b1 & 1) << 16) | ln)
        assert typ == 0 and r[:4] == b'\xffSMB', (typ, r[:8])
        cmd = r[4]
        status, = struct.unpack_from('<I', r, 5)
        tid, pid, uid, mid = struct.unpack_from('<HHHH', r, 24)
        wct = r[32]
        words = r[33:33 + 2 * wct]
        bcc, = struct.unpack_from('<H', r, 33 + 2 * wct)
        return dict(raw=r, cmd=cmd, status=status, tid=tid, uid=uid, mid=mid, wct=wct,
                    words=words, bcc=bcc, data=r[35 + 2 * wct:35 + 2 * wct + bcc])

    def smb(self, cmd, words, data, flags2):
        self.mid += 1
        self.send_smb(cmd, words, data, flags2, self.mid)
        r = self.recv_smb()
        print('  cmd 0x%02x -> wct %d bcc %d status 0x%08x' % (cmd, r['wct'], r['bcc'], r['status']))
        return r

    # ---- transactions
    def trans_collect(self, cmd):
        """read responses until the totals are reached; returns (status, params, data)"""
        params = bytearray()
        data = bytearray()
        parts = 0
        got_p = got_d = 0
        while True:
            r = self.recv_smb()
            parts += 1
            w = r['words']
            if r['wct'] == 0:
                print('    response %d: wct 0 status 0x%08x' % (parts, r['status']))
                return r['status'], bytes(params), bytes(data)
            if cmd == SMB_COM_NT_TRANSACT:
                tpc, tdc, pc, po, pd, dc, do, dd = struct.unpack_from('<IIIIIIII', w, 3)
            else:
                tpc, tdc, _, pc, po, pd, dc, do, dd = struct.unpack_from('<HHHHHHHHH', w, 0)
            raw = r['raw']
            if len(params) < tpc:
                params.extend(b'\0' * (tpc - len(params)))
            if len(data) < tdc:
                data.extend(b'\0' * (tdc - len(data)))
            params[pd:pd + pc] = raw[po:po + pc]
            data[dd:dd + dc] = raw[do:do + dc]
            print('    response %d: status 0x%08x params %d@%d data %d@%d of %d/%d'
                  % (parts, r['status'], pc, pd, dc, dd, tpc, tdc))
            got_p += pc
            got_d += dc
            if got_p >= tpc and got_d >= tdc:
                return r['status'], bytes(params[:tpc]), bytes(data[:tdc])

    def transaction(self, cmd, setup, params, data, pieces, flags2, name=None,
                    max_params=1024, max_data=4096, function=0, interim=True):
        """send a transaction as a primary request plus secondaries.

        pieces: list of (param_from, param_to, data_from, data_to[, pad byte]), the first
        for the primary request, in the order they are sent; the pad byte (default 0)
        fills the alignment gaps before the parameters and the data."""
        self.mid += 1
        mid = self.mid
        secondary = {SMB_COM_TRANSACTION: SMB_COM_TRANSACTION_SECONDARY,
                     SMB_COM_TRANSACTION2: SMB_COM_TRANSACTION2_SECONDARY,
                     SMB_COM_NT_TRANSACT: SMB_COM_NT_TRANSACT_SECONDARY}[cmd]
        nt = cmd == SMB_COM_NT_TRANSACT
        for i, piece in enumerate(pieces):
            p0, p1, d0, d1 = piece[:4]
            fill = bytes([piece[4]]) if len(piece) > 4 else b'\0'
            p = params[p0:p1]
            d = data[d0:d1]
            c = cmd if i == 0 else secondary
            if i == 0:
                wct = (19 if nt else 14) + len(setup)
            else:
                wct = {SMB_COM_TRANSACTION_SECONDARY: 8, SMB_COM_TRANSACTION2_SECONDARY: 9,
                       SMB_COM_NT_TRANSACT_SECONDARY: 18}[c]
            start = 32 + 1 + 2 * wct + 2
            pre = b''
            if i == 0 and name is not None:
                if flags2 & F2_UNICODE:
                    pre = (b'\0' if start % 2 else b'') + utf16z(name)
                else:
                    pre = oemz(name)
            po = align4(start + len(pre))
            do = align4(po + len(p)) if d else po + len(p)
            body = pre + fill * (po - start - len(pre)) + p
            body += fill * (do - start - len(body)) + d
            if i == 0 and nt:
                words = struct.pack('<BHIIIIIIIIBH', 0, 0, len(params), len(data), max_params,
                                    max_data, len(p), po, len(d), do, len(setup), function)
            elif i == 0:
                words = struct.pack('<HHHHBBHIHHHHHBB', len(params), len(data), max_params,
                                    max_data, 0, 0, 0, 0, 0, len(p), po, len(d), do, len(setup), 0)
            elif nt:
                words = struct.pack('<3sIIIIIIIIB', b'\0\0\0', len(params), len(data), len(p), po,
                                    p0, len(d), do, d0, 0)
            else:
                words = struct.pack('<HHHHHHHH', len(params), len(data), len(p), po, p0, len(d),
                                    do, d0)
                if c == SMB_COM_TRANSACTION2_SECONDARY:
                    words += struct.pack('<H', 0xffff)   # FID
            if i == 0:
                words += b''.join(struct.pack('<H', s) for s in setup)
            self.send_smb(c, words, body, flags2, mid)
            print('  cmd 0x%02x wct %d params %d@%d data %d@%d of %d/%d'
                  % (c, wct, len(p), p0, len(d), d0, len(params), len(data)))
            if i == 0 and len(pieces) > 1 and interim:
                r = self.recv_smb()
                print('    interim response: cmd 0x%02x wct %d bcc %d status 0x%08x'
                      % (r['cmd'], r['wct'], r['bcc'], r['status']))
                assert r['wct'] == 0 and r['status'] == 0, r
        return self.trans_collect(cmd)

    # ---- session
    def negotiate(self):
        r = self.smb(SMB_COM_NEGOTIATE, b'', b'\x02NT LM 0.12\x00', UNI_F2)
        return r['words'], r['data']

    def session_setup(self, w, d):
        session_key, = struct.unpack_from('<I', w, 15)
        challenge = d[:8]
        lm = ntlm.get_ntlmv1_response(ntlm.compute_lmhash(PASSWORD), challenge)
        nt = ntlm.get_ntlmv1_response(ntlm.compute_nthash(PASSWORD), challenge)
        words = struct.pack('<BBHHHHIHHII', 0xff, 0, 0, MAX_BUFFER, 2, 0, session_key, len(lm),
                            len(nt), 0, CAPS)
        data = lm + nt + oemz(USER) + oemz(DOMAIN) + oemz('Unix') + oemz('smbwire')
        r = self.smb(SMB_COM_SESSION_SETUP_ANDX, words, data, OEM_F2)
        assert r['status'] == 0
        self.uid = r['uid']

    def tree_connect(self, share):
        words = struct.pack('<BBHHH', 0xff, 0, 0, 0, 1)
        data = b'\x00' + oemz('\\\\%s\\%s' % (HOST, share.upper())) + oemz('?????')
        r = self.smb(SMB_COM_TREE_CONNECT_ANDX, words, data, OEM_F2)
        assert r['status'] == 0
        self.tid = r['tid']

    def nt_create(self, name, access, share_access=7, disposition=1):
        n = utf16z(name)
        words = struct.pack('<BBHBHIIIQIIIIIB', 0xff, 0, 0, 0, len(n) - 2, 0, 0, access, 0, 0,
                            share_access, disposition, 0, 2, 0)
        # 83 is odd: one pad byte aligns the UTF-16 name
        r = self.smb(SMB_COM_NT_CREATE_ANDX, words, b'\0' + n, UNI_F2)
        assert r['status'] == 0
        fid, = struct.unpack_from('<H', r['words'], 5)
        return fid

    def close_fid(self, fid):
        self.smb(SMB_COM_CLOSE, struct.pack('<HI', fid, 0xffffffff), b'', UNI_F2)

    def logoff(self, flags2):
        self.smb(SMB_COM_LOGOFF_ANDX, struct.pack('<BBH', 0xff, 0, 0), b'', flags2)

    def close(self):
        self.sock.close()


def fea_list():
    feas = b''
    for i in range(3):
        name = ('SMBWIRE.EA%d' % (i + 1)).encode('ascii')
        value = bytes((i * 50 + k) & 0xff for k in range(150))
        feas += struct.pack('<BBH', 0, len(name), len(value)) + name + b'\0' + value
    return struct.pack('<I', 4 + len(feas)) + feas


def nt_ea_list():
    """FILE_FULL_EA_INFORMATION list of two EAs (NT_TRANSACT_CREATE)"""
    out = b''
    entries = [(b'SMBWIRE.NT1', 150), (b'SMBWIRE.NT2', 140)]
    for i, (name, n) in enumerate(entries):
        value = bytes((0x80 + i * 40 + k) & 0xff for k in range(n))
        body = struct.pack('<BBH', 0, len(name), n) + name + b'\0' + value
        size = 4 + len(body)
        if i + 1 < len(entries):
            size = align4(size)
            out += struct.pack('<I', size) + body + b'\0' * (size - 4 - len(body))
        else:
            out += struct.pack('<I', 0) + body
    return out


def expect(status, want, what):
    print('  => %s: status 0x%08x' % (what, status))
    if status != want:
        sys.exit('%s: status 0x%08x, want 0x%08x' % (what, status, want))


def main():
    port = int(sys.argv[1])

    c = Conn(port, '1 Unicode client, MaxBufferSize %d' % MAX_BUFFER)
    w, d = c.negotiate()
    c.session_setup(w, d)
    c.tree_connect('share')

    # TRANS2_SET_PATH_INFORMATION SMB_INFO_SET_EAS: 26 parameter bytes, 502 data bytes
    params = struct.pack('<HI', 0x0002, 0) + utf16z('hello.txt')
    data = fea_list()
    st, p, _ = c.transaction(SMB_COM_TRANSACTION2, [0x0006], params, data,
                             [(0, 6, 0, 0), (26, 26, 240, len(data)), (6, 26, 0, 240)], UNI_F2,
                             max_params=2, max_data=0)
    expect(st, 0, 'TRANS2_SET_PATH_INFORMATION (3 fragments, out of order)')

    # TRANS2_QUERY_PATH_INFORMATION SMB_INFO_QUERY_ALL_EAS: the EA list comes back in 2 parts
    params = struct.pack('<HI', 0x0004, 0) + utf16z('hello.txt')
    st, p, d = c.transaction(SMB_COM_TRANSACTION2, [0x0005], params, b'',
                             [(0, len(params), 0, 0)], UNI_F2, max_params=2, max_data=4096)
    expect(st, 0, 'TRANS2_QUERY_PATH_INFORMATION')
    assert d == data, (d.hex(), data.hex())

    # TRANS2_FIND_FIRST2 \* SMB_FIND_FILE_ID_BOTH_DIRECTORY_INFO, after creating a fifth
    # entry with a long name so that the listing needs two responses
    c.close_fid(c.nt_create(LONG_NAME, 0x00120196, disposition=5))
    params = struct.pack('<HHHHI', 0x0016, 100, 0x0006, 0x0105, 0) + utf16z('\\*')
    st, p, d = c.transaction(SMB_COM_TRANSACTION2, [0x0001], params, b'',
                             [(0, len(params), 0, 0)], UNI_F2, max_params=10, max_data=8192)
    expect(st, 0, 'TRANS2_FIND_FIRST2')

    # NT_TRANSACT_CREATE with a 332-byte EA list: the primary carries the 100 parameter
    # bytes and the first 76 data bytes, an NT_TRANSACT_SECONDARY the other 256.
    # tshark 4.0 reads the NT_TRANSACT_SECONDARY ByteCount one byte late (bytes 70-71
    # instead of 69-70; tests/known-differences.txt): with ByteCount 257 (0x0101) and a
    # pad byte of 0x01 both readings give 257, so the capture compares cleanly.
    name = utf16z(NT_NAME)
    eas = nt_ea_list()
    params = struct.pack('<IIIQIIIIIIIIB', 0, 0, 0x0012019f, 0, 0x20, 7, 5, 0, 0, len(eas),
                         len(name) - 2, 2, 0) + b'\0' + name
    assert len(eas) == 332
    st, p, _ = c.transaction(SMB_COM_NT_TRANSACT, [], params, eas,
                             [(0, len(params), 0, 76), (len(params), len(params), 76, 332, 1)],
                             UNI_F2, max_params=128, max_data=0, function=1)
    expect(st, 0, 'NT_TRANSACT_CREATE with EAs (2 fragments)')
    fid, = struct.unpack_from('<H', p, 2)

    # NT_TRANSACT_QUERY_SECURITY_DESC: too small, then the descriptor
    params = struct.pack('<HHI', fid, 0, 0x00000007)
    st, p, _ = c.transaction(SMB_COM_NT_TRANSACT, [], params, b'', [(0, 8, 0, 0)], UNI_F2,
                             max_params=4, max_data=0, function=6)
    expect(st, 0xc0000023, 'NT_TRANSACT_QUERY_SECURITY_DESC MaxDataCount 0')
    st, p, sd = c.transaction(SMB_COM_NT_TRANSACT, [], params, b'', [(0, 8, 0, 0)], UNI_F2,
                              max_params=4, max_data=4096, function=6)
    expect(st, 0, 'NT_TRANSACT_QUERY_SECURITY_DESC')
    c.close_fid(fid)

    # DCE/RPC over \PIPE\ on IPC$
    c.tree_connect('IPC$')
    fid = c.nt_create('srvsvc', 0x0002019f, share_access=3)
    bind = rpcrt.MSRPCBind()
    item = rpcrt.CtxItem()
    item['AbstractSyntax'] = uuidtup_to_bin(('4B324FC8-1670-01D3-1278-5A47BF6EE188', '3.0'))
    item['TransferSyntax'] = uuidtup_to_bin(('8a885d04-1ceb-11c9-9fe8-08002b104860', '2.0'))
    item['ContextID'] = 0
    item['TransItems'] = 1
    bind.addCtxItem(item)
    bind['max_tfrag'] = bind['max_rfrag'] = 4280
    hdr = rpcrt.MSRPCHeader()
    hdr['type'] = rpcrt.MSRPC_BIND
    hdr['flags'] = rpcrt.PFC_FIRST_FRAG | rpcrt.PFC_LAST_FRAG
    hdr['call_id'] = 1
    hdr['pduData'] = bind.getData()
    pdu = hdr.getData()
    st, _, ack = c.transaction(SMB_COM_TRANSACTION, [0x0026, fid], b'', pdu,
                               [(0, 0, 0, 40), (0, 0, 40, len(pdu))], UNI_F2, name='\\PIPE\\',
                               max_params=0, max_data=4280)
    expect(st, 0, 'TransactNmPipe bind (2 fragments)')
    assert ack[2] == rpcrt.MSRPC_BINDACK, ack.hex()

    req = srvs.NetrShareEnum()
    req['ServerName'] = '\\\\127.0.0.1\x00'
    req['InfoStruct']['Level'] = 1
    req['InfoStruct']['ShareInfo']['tag'] = 1
    req['InfoStruct']['ShareInfo']['Level1']['Buffer'] = NULL
    req['PreferedMaximumLength'] = 0xffffffff
    req['ResumeHandle'] = NULL
    call = rpcrt.MSRPCRequestHeader()
    call['type'] = rpcrt.MSRPC_REQUEST
    call['flags'] = rpcrt.PFC_FIRST_FRAG | rpcrt.PFC_LAST_FRAG
    call['call_id'] = 2
    call['ctx_id'] = 0
    call['op_num'] = req.opnum
    call['pduData'] = req.getData()
    pdu = call.getData()
    st, _, rsp = c.transaction(SMB_COM_TRANSACTION, [0x0026, fid], b'', pdu,
                               [(0, 0, 0, len(pdu))], UNI_F2, name='\\PIPE\\',
                               max_params=0, max_data=4280)
    expect(st, 0, 'TransactNmPipe NetrShareEnum')
    assert rsp[2] == rpcrt.MSRPC_RESPONSE, rsp.hex()
    c.close_fid(fid)
    c.logoff(UNI_F2)
    c.close()

    # OEM client: RAP NetShareEnum on \PIPE\LANMAN
    c = Conn(port, '2 OEM client, RAP over \\PIPE\\LANMAN')
    w, d = c.negotiate()
    c.session_setup(w, d)
    c.tree_connect('IPC$')
    params = struct.pack('<H', 0) + oemz('WrLeh') + oemz('B13BWz') + struct.pack('<HH', 1, 4096)
    st, p, d = c.transaction(SMB_COM_TRANSACTION, [], params, b'', [(0, len(params), 0, 0)],
                             OEM_F2, name='\\PIPE\\LANMAN', max_params=8, max_data=4096)
    expect(st, 0, 'RAP NetShareEnum')
    c.logoff(OEM_F2)
    c.close()


main()
