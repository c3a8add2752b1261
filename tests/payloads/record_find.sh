#!/bin/bash
# Record the TRANS2_FIND_FIRST2 / TRANS2_FIND_NEXT2 bytes that
# tests/payloads/test_find.c reads (tests/payloads/find.vec), from a
# throwaway Samba smbd on loopback.
#
#   bash tests/payloads/record_find.sh [FILE]    (as root; PORT=14470 by default)
#
# Starts smbd (tests/peers/smbd.sh, NT1 only, 127.0.0.1 only) with a small
# share (names that exercise every string case: "." and "..", a directory
# with a space, a Latin-1 name, a CJK name that has no OEM form, a long
# name, one-letter and odd-length names; "mangled names = yes" so that
# non-8.3 names get short names; an EA on hello.txt so EaSize is not 0),
# captures on lo with dumpcap while three clients list it:
#   1. smbclient (NT1, NTLMSSP): ls
#   2. impacket SMBConnection.listPath (NT LM 0.12 dialect)
#   3. a hand-built client (below; impacket only for NTLMv1): FIND_FIRST2 "\*"
#      at every level 1, 2, 0x101..0x106 in Unicode and in OEM with resume
#      keys, levels 1 and 2 without, FIND_FIRST2 + FIND_NEXT2 chains with
#      SearchCount 4 (0x104 Unicode, level 1 OEM), a one-file search at
#      0x102, and SMB_INFO_QUERY_EAS_FROM_LIST with a GEA list.
# Then reads every TRANS2 FIND request/response pair back from the capture
# (TCP streams via tshark -z follow, NBSS and SMB parsed here), and tshark's
# own decode of each response (-T fields), with extract_find.py, into FILE
# (default tests/payloads/find.vec; format in tests/payloads/README.md).
# Only 127.0.0.1 is ever contacted.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
PORT=${PORT:-14470}
PY=/usr/bin/python3
OUT=${1:-}

. "$here/record_common.sh"
rec_init find dumpcap tshark smbd smbclient

bash "$root/tests/peers/smbd.sh" start "$work/smbd" "$PORT" >/dev/null
share=$work/smbd/share
rm -f "$share/big.bin"
mkdir -p "$share/sub dir"
echo inner > "$share/sub dir/inner.txt"
printf 'x' > "$share/a"
printf 'abc' > "$share/ab.c"
echo long > "$share/Long File Name With Spaces.txt"
echo cafe > "$share/naïve café.txt"
echo nihon > "$share/日本語.txt"
$PY -c "import os, sys; os.setxattr(sys.argv[1], 'user.smbwire', b'hello ea')" "$share/hello.txt" \
    || echo "record_find.sh: no user xattrs here: EaSize stays 0" >&2
touch -d '2024-01-01 00:00:00 UTC' "$share"/* "$share/sub dir/inner.txt" "$share"
# short names for non-8.3 names; smbd rereads smb.conf on SIGHUP
sed -i 's/^\[share\]$/[share]\n  mangled names = yes/' "$work/smbd/smb.conf"
kill -HUP "$(cat "$work/smbd/smbd.launch.pid")"
sleep 1

rec_client_conf

cat > "$work/raw.py" <<'PY'
# Hand-built FIND_FIRST2 / FIND_NEXT2 requests (socket + struct).
import socket, struct, sys
from impacket import ntlm
PORT = int(sys.argv[1])
F2_OEM = 0x4000 | 0x0040 | 0x0002 | 0x0001   # NT status, long names, EAs
F2_UNI = F2_OEM | 0x8000

def z(s, uni):
    return s.encode('utf-16-le') + b'\0\0' if uni else s.encode('cp850') + b'\0'

class Conn:
    def __init__(self):
        self.sk = socket.create_connection(('127.0.0.1', PORT), timeout=10)
        self.mid, self.uid, self.tid = 0, 0, 0xffff

    def rx(self, n):
        b = b''
        while len(b) < n:
            c = self.sk.recv(n - len(b))
            if not c:
                raise EOFError
            b += c
        return b

    def smb(self, cmd, words, data, f2):
        self.mid += 1
        h = b'\xffSMB' + struct.pack('<BIBHH8sHHHHH', cmd, 0, 0x18, f2, 0, b'\0' * 8, 0,
                                     self.tid, 0x4646, self.uid, self.mid)
        m = h + bytes([len(words) // 2]) + words + struct.pack('<H', len(data)) + data
        self.sk.sendall(struct.pack('>I', len(m)) + m)
        r = self.rx(struct.unpack('>I', self.rx(4))[0] & 0x1ffff)
        wct = r[32]
        bcc, = struct.unpack_from('<H', r, 33 + 2 * wct)
        return dict(raw=r, status=struct.unpack_from('<I', r, 5)[0], tid=struct.unpack_from('<H', r, 24)[0],
                    uid=struct.unpack_from('<H', r, 28)[0], wct=wct, w=r[33:33 + 2 * wct],
                    d=r[35 + 2 * wct:35 + 2 * wct + bcc])

    def login(self):
        r = self.smb(0x72, b'', b'\x02NT LM 0.12\x00', F2_UNI)
        key, = struct.unpack_from('<I', r['w'], 15)
        ch = r['d'][:8]
        lm = ntlm.get_ntlmv1_response(ntlm.compute_lmhash('Passw0rd!'), ch)
        nt = ntlm.get_ntlmv1_response(ntlm.compute_nthash('Passw0rd!'), ch)
        w = struct.pack('<BBHHHHIHHII', 0xff, 0, 0, 16644, 2, 0, key, len(lm), len(nt), 0, 0xdc)
        r = self.smb(0x73, w, lm + nt + z('smbwire', 0) + z('WORKGROUP', 0) + z('Unix', 0)
                     + z('smbwire', 0), F2_OEM)
        assert r['status'] == 0, hex(r['status'])
        self.uid = r['uid']
        r = self.smb(0x75, struct.pack('<BBHHH', 0xff, 0, 0, 0, 1),
                     b'\0' + z('\\\\127.0.0.1\\SHARE', 0) + z('?????', 0), F2_OEM)
        assert r['status'] == 0, hex(r['status'])
        self.tid = r['tid']

    def trans2(self, sub, params, data, f2):
        start = 32 + 1 + 30 + 2
        po = (start + 3) & ~3
        do = (po + len(params) + 3) & ~3 if data else po + len(params)
        body = b'\0' * (po - start) + params + b'\0' * (do - po - len(params)) + data
        w = struct.pack('<HHHHBBHIHHHHHBBH', len(params), len(data), 10, 16000, 0, 0, 0, 0, 0,
                        len(params), po, len(data), do, 1, 0, sub)
        r = self.smb(0x32, w, body, f2)
        if r['wct'] == 0:
            return r['status'], b'', b''
        tpc, tdc, _, pc, po, pd, dc, do, dd = struct.unpack_from('<9H', r['w'], 0)
        assert pc == tpc and dc == tdc, 'fragmented response'
        return r['status'], r['raw'][po:po + pc], r['raw'][do:do + dc]

def first(c, uni, level, flags, count=100, pattern='\\*', data=b''):
    p = struct.pack('<HHHHI', 0x16, count, flags, level, 0) + z(pattern, uni)
    st, rp, rd = c.trans2(1, p, data, F2_UNI if uni else F2_OEM)
    print('FIND_FIRST2 unicode=%d level=0x%x flags=0x%x count=%d -> 0x%08x %d+%d bytes'
          % (uni, level, flags, count, st, len(rp), len(rd)))
    return rp, rd

def next2(c, uni, sid, level, flags, name, count):
    p = struct.pack('<HHHIH', sid, count, level, 0, flags) + z(name, uni)
    st, rp, rd = c.trans2(2, p, b'', F2_UNI if uni else F2_OEM)
    print('FIND_NEXT2 unicode=%d level=0x%x -> 0x%08x %d+%d bytes' % (uni, level, st, len(rp), len(rd)))
    return rp, rd

def last_name(level, uni, rd):
    """name of the last entry (levels 1 and 0x104 only)"""
    p, name = 0, None
    while p < len(rd):
        if level == 1:
            n = rd[p + 26]
            q = p + 27
            if uni and q % 2:
                q += 1
            name = rd[q:q + n]
            p = q + n + (2 if uni else 1)
        else:
            neo, = struct.unpack_from('<I', rd, p)
            n, = struct.unpack_from('<I', rd, p + 60)
            name = rd[p + 94:p + 94 + n]
            if not neo or p + neo >= len(rd):
                break
            p += neo
    return name.decode('utf-16-le') if uni else name.rstrip(b'\0').decode('cp850')

def chain(c, uni, level):
    rp, rd = first(c, uni, level, 0x04, count=4)
    sid, n, eos = struct.unpack_from('<HHH', rp, 0)
    while not eos:
        rp, rd = next2(c, uni, sid, level, 0x0c, last_name(level, uni, rd), 4)
        n, eos = struct.unpack_from('<HH', rp, 0)

c = Conn()
c.login()
for uni in (1, 0):
    for level in (1, 2, 0x101, 0x102, 0x103, 0x104, 0x105, 0x106):
        first(c, uni, level, 0x06)
    for level in (1, 2):
        first(c, uni, level, 0x02)
chain(c, 1, 0x104)
chain(c, 0, 1)
first(c, 1, 0x102, 0x06, count=1, pattern='\\hello.txt')
gea = bytes([len(b'smbwire')]) + b'smbwire\0'
first(c, 1, 3, 0x06, pattern='\\hello.txt', data=struct.pack('<I', 4 + len(gea)) + gea)
PY

cat > "$work/impacket_ls.py" <<'PY'
import sys
from impacket.smbconnection import SMBConnection
from impacket.smb import SMB_DIALECT
conn = SMBConnection('127.0.0.1', '127.0.0.1', sess_port=int(sys.argv[1]), preferredDialect=SMB_DIALECT)
conn.login('smbwire', 'Passw0rd!')
for f in conn.listPath('share', '*'):
    print(f.get_longname())
conn.logoff()
PY

rec_capture_start "$work/find.pcapng"
smbclient -s "$work/client.conf" --option='client min protocol=NT1' --option='client max protocol=NT1' \
    -p "$PORT" -U 'smbwire%Passw0rd!' //127.0.0.1/share -c 'ls' >"$work/smbclient.out" 2>&1
$PY "$work/impacket_ls.py" "$PORT" >"$work/impacket.out" 2>&1
$PY "$work/raw.py" "$PORT" >"$work/raw.out" 2>&1
rec_capture_stop

# The pairs and tshark's decode as the data file (extract_find.py works on
# any kept capture too).
out=${OUT:-$here/find.vec}
$PY "$here/extract_find.py" "$work/find.pcapng" "$PORT" "$(smbd -V | sed 's/^Version //')" > "$work/find.vec"
cat "$work/raw.out" >&2
mv "$work/find.vec" "$out"
echo "record_find.sh: $(grep -c '^msg ' "$out") pairs written to $out" >&2
