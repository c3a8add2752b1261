#!/bin/bash
# Record the TRANS2_FIND_FIRST2 / TRANS2_FIND_NEXT2 bytes that
# tests/payloads/test_find.c embeds, from a throwaway Samba smbd on loopback.
#
#   bash tests/payloads/record_find.sh [FILE]     (as root; PORT=14470 by default)
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
# own decode of each response (-T fields), and writes them as C.
#
# With FILE, the block between the "BEGIN record_find.sh" and
# "END record_find.sh" lines of FILE is replaced (normally
# tests/payloads/test_find.c); without it the C goes to stdout.
# Only 127.0.0.1 is ever contacted.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
PORT=${PORT:-14470}
PY=/usr/bin/python3
OUT=${1:-}

for t in dumpcap tshark smbd smbclient; do
    command -v $t >/dev/null || { echo "record_find.sh: $t missing" >&2; exit 1; }
done
$PY -c 'import impacket' 2>/dev/null || { echo "record_find.sh: $PY cannot import impacket" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "record_find.sh: run as root (dumpcap on lo, useradd)" >&2; exit 1; }

work=$(mktemp -d /tmp/smbwire-find.XXXXXX)
dumpcap_pid=
cleanup() {
    [ -n "$dumpcap_pid" ] && kill "$dumpcap_pid" 2>/dev/null && wait "$dumpcap_pid" 2>/dev/null
    bash "$root/tests/peers/smbd.sh" stop "$work/smbd" || true
    if [ -n "${KEEP_WORK:-}" ]; then echo "work dir kept: $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT

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

cat > "$work/client.conf" <<CONF
[global]
  netbios name = SMBWIRECLIENT
  workgroup = WORKGROUP
  client use kerberos = off
CONF

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

dumpcap -q -i lo -f "tcp port $PORT" -w "$work/find.pcapng" >"$work/dumpcap.log" 2>&1 &
dumpcap_pid=$!
for _ in $(seq 1 100); do [ -s "$work/find.pcapng" ] && break; sleep 0.1; done
sleep 0.5
smbclient -s "$work/client.conf" --option='client min protocol=NT1' --option='client max protocol=NT1' \
    -p "$PORT" -U 'smbwire%Passw0rd!' //127.0.0.1/share -c 'ls' >"$work/smbclient.out" 2>&1
$PY "$work/impacket_ls.py" "$PORT" >"$work/impacket.out" 2>&1
$PY "$work/raw.py" "$PORT" >"$work/raw.out" 2>&1
sleep 0.5
kill "$dumpcap_pid"; wait "$dumpcap_pid" 2>/dev/null || true
dumpcap_pid=

cat > "$work/extract.py" <<'PY'
# Read the FIND request/response pairs out of the capture and print them as C.
import datetime, re, struct, subprocess, sys
pcap, port, smbd_version, tshark_version = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
TS = ['tshark', '-r', pcap, '-d', 'tcp.port==%d,nbss' % port]

def streams():
    out = subprocess.run(TS + ['-T', 'fields', '-e', 'tcp.stream'], capture_output=True, text=True, errors='replace').stdout
    return sorted({int(x) for x in out.split()})

def follow(n):
    out = subprocess.run(TS + ['-q', '-z', 'follow,tcp,raw,%d' % n], capture_output=True, text=True, errors='replace').stdout
    c2s, s2c = bytearray(), bytearray()
    for line in out.split('\n'):
        if not re.fullmatch(r'\t?[0-9a-f]+', line):
            continue
        (s2c if line.startswith('\t') else c2s).extend(bytes.fromhex(line.strip()))
    return bytes(c2s), bytes(s2c)

def messages(b):
    p = 0
    while p + 4 <= len(b):
        n = struct.unpack_from('>I', b, p)[0] & 0x1ffff
        if b[p] == 0 and b[p + 4:p + 8] == b'\xffSMB':
            yield b[p + 4:p + 4 + n]
        p += 4 + n

def trans2(m, rsp):
    wct = m[32]
    w = m[33:33 + 2 * wct]
    if rsp:
        if wct < 10:
            return None
        tpc, tdc, _, pc, po, pd, dc, do, dd, sc = struct.unpack_from('<9HB', w, 0)
        setup = struct.unpack_from('<H', w, 20)[0] if sc else None
    else:
        tpc, tdc, mpc, mdc, msc, _, fl, to, _, pc, po, dc, do, sc = struct.unpack_from('<HHHHBBHIHHHHHB', w, 0)
        setup = struct.unpack_from('<H', w, 28)[0]
        pd = dd = 0
    assert pc == tpc and dc == tdc and pd == 0 and dd == 0, 'fragmented transaction'
    return setup, m[po:po + pc], m[do:do + dc]

pairs = []
for s in streams():
    c2s, s2c = follow(s)
    reqs = {}
    for m in messages(c2s):
        if m[4] == 0x32:
            mid = struct.unpack_from('<H', m, 30)[0]
            reqs[mid] = (struct.unpack_from('<H', m, 10)[0], trans2(m, False))
    for m in messages(s2c):
        mid = struct.unpack_from('<H', m, 30)[0]
        if m[4] != 0x32 or mid not in reqs:
            continue
        f2, (sub, qp, qd) = reqs[mid]
        if sub not in (1, 2):
            continue
        t = trans2(m, True)
        if t is None:
            continue
        pairs.append(dict(stream=s, mid=mid, sub=sub, uni=bool(f2 & 0x8000), qp=qp, qd=qd, rp=t[1], rd=t[2]))

FIELDS = ['tcp.stream', 'smb.mid', 'smb.file', 'smb.file_name_len', 'smb.next_entry_offset',
          'smb.file_index', 'smb.end_of_file', 'smb.alloc_size64', 'smb.data_size', 'smb.alloc_size',
          'smb.file_attribute', 'smb.ea.list_length', 'smb.short_file', 'smb.short_file_name_len',
          'smb.resume', 'smb.index_number', 'smb.create.time', 'smb.access.time',
          'smb.last_write.time', 'smb.change.time', 'smb.create.smb.date', 'smb.create.smb.time',
          'smb.access.smb.date', 'smb.access.smb.time', 'smb.last_write.smb.date',
          'smb.last_write.smb.time', 'smb.search_count', 'smb.end_of_search', 'smb.last_name_offset']
out = subprocess.run(TS + ['-Y', 'smb.trans2.cmd && smb.flags.response == 1', '-T', 'fields',
                           '-E', 'occurrence=a', '-E', 'aggregator=|'] + sum([['-e', f] for f in FIELDS], []),
                     capture_output=True, text=True, errors='replace').stdout
ws = {}
for line in out.split('\n'):
    if not line:
        continue
    v = dict(zip(FIELDS, line.split('\t')))
    ws[(int(v['tcp.stream']), int(v['smb.mid']))] = {k: (x.split('|') if x else []) for k, x in v.items()}

def filetime(s):
    if not s or s.startswith('No time') or s.startswith('Time can'):
        return 0
    m = re.fullmatch(r'(\w+) +(\d+), (\d+) (\d+):(\d+):(\d+)\.(\d+) UTC', s)
    assert m, s
    d = datetime.datetime.strptime('%s %s %s %s:%s:%s' % m.groups()[:6], '%b %d %Y %H:%M:%S')
    unix = int((d - datetime.datetime(1970, 1, 1)).total_seconds())
    return (unix + 11644473600) * 10000000 + int(m.group(7)[:9].ljust(9, '0')) // 100

def num(s):
    return int(s, 0)

def cstr(b):
    return ''.join('\\x%02x' % x for x in b)

def carray(name, b):
    lines = ['static const uint8_t %s[] =' % name]
    if not b:
        lines.append('    "";')
    for i in range(0, len(b), 16):
        lines.append('    "%s"%s' % (cstr(b[i:i + 16]), ';' if i + 16 >= len(b) else ''))
    return '\n'.join(lines)

def cname(s):
    # ASCII names as C strings; tshark shows others with '?' or U+FFFD: NULL (not compared)
    if s is None or any(ord(ch) > 0x7e or ch in '?"\\' for ch in s):
        return 'NULL'
    return '"%s"' % s

print('/* BEGIN record_find.sh: generated by tests/payloads/record_find.sh from a capture of')
print('   smbd %s on 127.0.0.1, decoded by tshark %s; do not edit, rerun it. */' % (smbd_version, tshark_version))
clients = {}
recs = []
for i, p in enumerate(pairs):
    who = clients.setdefault(p['stream'], ['smbclient', 'impacket listPath', 'raw client'][min(len(clients), 2)])
    if p['sub'] == 1:
        attrs, count, flags, level, storage = struct.unpack_from('<HHHHI', p['qp'], 0)
    else:
        sid, count, level, key, flags = struct.unpack_from('<HHHIH', p['qp'], 0)
    w = ws.get((p['stream'], p['mid']), {})
    n = struct.unpack_from('<H', p['rp'], 0 if p['sub'] == 2 else 2)[0]
    print('/* %d: %s, %s level 0x%x %s flags 0x%04x, SearchCount %d -> %d entries */'
          % (i, who, 'FIND_FIRST2' if p['sub'] == 1 else 'FIND_NEXT2', level,
             'Unicode' if p['uni'] else 'OEM', flags, count, n))
    for part in ('qp', 'qd', 'rp', 'rd'):
        print(carray('rec%d_%s' % (i, part), p[part]))
    names = w.get('smb.file', [])
    ents = []
    if level != 3 and len(names) == n:
        get = lambda k, j, conv=num: conv(w[k][j]) if len(w.get(k, [])) == n else 0
        std = level in (1, 2)
        for j in range(n):
            short = w['smb.short_file'][j] if len(w.get('smb.short_file', [])) == n else ''
            ents.append(
                '    {%s, %s, %du, %du, %du, %du, %du, 0x%xu, %du, %du, %du, 0x%xull, 0x%xull, 0x%xull,'
                ' 0x%xull, 0x%xull, {0x%x, 0x%x, 0x%x, 0x%x, 0x%x, 0x%x}}' % (
                cname(names[j]), cname(short), get('smb.file_name_len', j),
                get('smb.next_entry_offset', j), get('smb.file_index', j),
                get('smb.data_size', j) if std else get('smb.end_of_file', j),
                get('smb.alloc_size', j) if std else get('smb.alloc_size64', j),
                get('smb.file_attribute', j), get('smb.ea.list_length', j),
                get('smb.short_file_name_len', j), get('smb.resume', j),
                get('smb.index_number', j),
                0 if std else get('smb.create.time', j, filetime),
                0 if std else get('smb.access.time', j, filetime),
                0 if std else get('smb.last_write.time', j, filetime),
                0 if std else get('smb.change.time', j, filetime),
                get('smb.create.smb.date', j), get('smb.create.smb.time', j),
                get('smb.access.smb.date', j), get('smb.access.smb.time', j),
                get('smb.last_write.smb.date', j), get('smb.last_write.smb.time', j)))
    if ents:
        print('static const rec_entry rec%d_ws[] = {\n%s};' % (i, ',\n'.join(ents)))
    last = lambda k: num(w[k][-1]) if w.get(k) else -1
    recs.append('  {"%d: %s", %d, %d, 0x%xu, 0x%xu, %d, %d, R(rec%d_qp), R(rec%d_qd), R(rec%d_rp), R(rec%d_rd),'
                ' %s, %d, %d, %d, %d}'
                % (i, who, p['sub'], int(p['uni']), level, flags, count, n, i, i, i, i,
                   'rec%d_ws' % i if ents else 'NULL', len(ents), last('smb.search_count'),
                   last('smb.end_of_search'), last('smb.last_name_offset')))
print('#define R(a) a, sizeof(a) - 1')
print('static const rec recs[] = {\n%s};' % ',\n'.join(recs))
print('#undef R')
print('/* END record_find.sh */')
PY

gen=$work/gen.c
$PY "$work/extract.py" "$work/find.pcapng" "$PORT" "$(smbd -V | sed 's/^Version //')" \
    "$(tshark -v 2>/dev/null | head -1 | sed 's/^TShark (Wireshark) //; s/ .*//')" > "$gen"
cat "$work/raw.out" >&2
if [ -n "$OUT" ]; then
    $PY - "$OUT" "$gen" <<'PY'
import sys
path, gen = sys.argv[1], open(sys.argv[2]).read()
src = open(path).read()
a = src.index('/* BEGIN record_find.sh')
b = src.index('/* END record_find.sh */') + len('/* END record_find.sh */\n')
open(path, 'w').write(src[:a] + gen + src[b:])
PY
    echo "record_find.sh: $(grep -c '^static const uint8_t' "$gen") arrays written into $OUT" >&2
else
    cat "$gen"
fi
