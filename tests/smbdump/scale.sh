#!/bin/bash
# Scale measurement: smbdump --stats on a synthesised ~1 GB capture.
# usage: scale.sh SMBDUMP [SIZE_MB] [SEED_CAPTURE]
#
# The capture (written in /tmp, deleted afterwards) repeats the packets of
# tests/golden/smbclient-get.pcapng (NEGOTIATE .. READ_ANDX of 100 KB ..
# TREE_DISCONNECT, 34 NBSS packets per copy):
#   - first half: one new TCP connection per copy (client address and port
#     rewritten, 50 ms apart), so thousands of connections open and close;
#   - second half: one single connection carrying the copies back to back,
#     sequence numbers continued (starting 50 MB below 2^32, so they wrap).
# Prints the messages per second and the peak RSS from /usr/bin/time -v.
#
# Then a transaction stress capture (TX_CONNS connections, default 400, each
# sending TX_PER NT_TRANSACT primaries, default 200, that announce 900000
# data bytes, send 1000 and never finish): smbdump keeps at most 64 open
# transactions per connection and 256 MiB of transaction buffers in all, so
# the peak RSS stays bounded however many there are.
set -eu
smbdump=$1
size_mb=${2:-1024}
here=$(cd "$(dirname "$0")" && pwd)
seed=${3:-$here/../golden/smbclient-get.pcapng}
py=/usr/bin/python3
[ -x "$py" ] || py=python3
tmp=$(mktemp -d /tmp/smbdump-scale.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
cap=$tmp/scale.pcap

"$py" - "$seed" "$cap" "$size_mb" <<'EOF'
import struct, sys
sys.path.insert(0, sys.argv[0] and '.')
seed, out, size_mb = sys.argv[1], sys.argv[2], int(sys.argv[3])

def read_pcapng(path):
    data = open(path, 'rb').read()
    off, res, recs = 0, [], []
    while off + 12 <= len(data):
        bt, bl = struct.unpack_from('<II', data, off)
        body = data[off + 8:off + bl - 4]
        if bt == 1:
            r, o = 6, 8
            while o + 4 <= len(body):
                code, ln = struct.unpack_from('<HH', body, o)
                if code == 0: break
                if code == 9: r = body[o + 4]
                o += 4 + ln + (-ln) % 4
            res.append(r)
        elif bt == 6:
            iid, hi, lo, cl, ol = struct.unpack_from('<IIIII', body, 0)
            recs.append((((hi << 32) | lo) * 10 ** (9 - res[iid]), bytearray(body[20:20 + cl])))
        off += bl
    return recs

recs = read_pcapng(seed)
pkts = []
for ts, fr in recs:
    if fr[12:14] != b'\x08\x00' or fr[23] != 6:
        continue
    ihl = (fr[14] & 15) * 4
    t = 14 + ihl
    pkts.append((ts, fr, t))
t0 = pkts[0][0]
syn = next(p for p in pkts if p[1][p[2] + 13] & 0x12 == 0x02)
cport = struct.unpack_from('>H', syn[1], syn[2])[0]
span = pkts[-1][0] - t0

f = open(out, 'wb', buffering=1 << 22)
f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 262144, 1))
target = size_mb << 20
written = 24

def put(ts, fr):
    global written
    f.write(struct.pack('<IIII', ts // 10**9, (ts % 10**9) // 1000, len(fr), len(fr)))
    f.write(fr)
    written += 16 + len(fr)

# phase 1: a new connection per copy
base_ts = 1_700_000_000 * 10**9
i = 0
while written < target // 2:
    port = 1024 + i % 60000
    a, b = (i // 60000) % 250 + 1, 0
    for ts, fr, t in pkts:
        fr = bytearray(fr)
        sp, dp = struct.unpack_from('>HH', fr, t)
        if sp == cport:
            struct.pack_into('>H', fr, t, port)
            fr[26:30] = bytes([10, 9, a, 1])
        else:
            struct.pack_into('>H', fr, t + 2, port)
            fr[30:34] = bytes([10, 9, a, 1])
        put(base_ts + i * 50_000_000 + (ts - t0), fr)
    i += 1
conns = i

# phase 2: one long connection, sequence numbers continued (and wrapping)
data = [(ts, fr, t) for ts, fr, t in pkts if not fr[t + 13] & 0x07]   # no SYN/FIN/RST
clen = sum(len(fr) - t - (fr[t + 12] >> 4) * 4 for ts, fr, t in data
           if struct.unpack_from('>H', fr, t)[0] == cport)
slen = sum(len(fr) - t - (fr[t + 12] >> 4) * 4 for ts, fr, t in data
           if struct.unpack_from('>H', fr, t)[0] != cport)
# relative sequence numbers of the seed: offsets from the first data byte
cbase = struct.unpack_from('>I', syn[1], syn[2] + 4)[0] + 1
sak = next(p for p in pkts if p[1][p[2] + 13] & 0x12 == 0x12)
sbase = struct.unpack_from('>I', sak[1], sak[2] + 4)[0] + 1
c0, s0 = 0xFFFFFFFF - 50_000_000, 0xFFFFFFFF - 20_000_000
p2_ts = base_ts + conns * 50_000_000 + 10**9
j = 0
while written < target:
    for ts, fr, t in data:
        fr = bytearray(fr)
        sp = struct.unpack_from('>H', fr, t)[0]
        seq, ack = struct.unpack_from('>II', fr, t + 4)
        if sp == cport:
            seq = (c0 + j * clen + (seq - cbase)) & 0xFFFFFFFF
            ack = (s0 + j * slen + (ack - sbase)) & 0xFFFFFFFF
            struct.pack_into('>H', fr, t, 40000)
        else:
            seq = (s0 + j * slen + (seq - sbase)) & 0xFFFFFFFF
            ack = (c0 + j * clen + (ack - cbase)) & 0xFFFFFFFF
            struct.pack_into('>H', fr, t + 2, 40000)
        struct.pack_into('>II', fr, t + 4, seq, ack)
        put(p2_ts + j * span + (ts - t0), fr)
    j += 1
f.close()
print('synthesised %.0f MB: %d connections of %d packets, then one connection with %d copies'
      % (written / 1e6, conns, len(pkts), j))
EOF

ls -l "$cap"
/usr/bin/time -v "$smbdump" --stats --port 14450 "$cap" > "$tmp/stats" 2> "$tmp/time"
grep -E '^(packets|NBSS packets|time|reassembly|other packets|transactions)' "$tmp/stats"
rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$tmp/time")
wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$tmp/time")
msgs=$(awk '/^NBSS packets/ {print $3}' "$tmp/stats")
secs=$(awk '/^time/ {print $2}' "$tmp/stats")
bytes=$(stat -c %s "$cap")
awk -v m="$msgs" -v s="$secs" -v r="$rss" -v b="$bytes" -v w="$wall" 'BEGIN {
  printf "scale: %.0f MB capture, %d NBSS packets in %.2f s (wall %s): %.0f messages/s, %.0f MB/s, peak RSS %.1f MB\n",
         b / 1e6, m, s, w, m / s, b / s / 1e6, r / 1024 }'
# The same capture as JSON Lines (to /dev/null): the cost of the output.
/usr/bin/time -v "$smbdump" --json --port 14450 "$cap" 2> "$tmp/time" > /dev/null
rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$tmp/time")
wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$tmp/time")
awk -v m="$msgs" -v r="$rss" -v w="$wall" 'BEGIN {
  n = split(w, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i];
  printf "scale: --json: %d objects in %s: %.0f messages/s, peak RSS %.1f MB\n", m, w, m / s, r / 1024 }'

# Transaction stress: open transactions that never complete.
txcap=$tmp/tx.pcap
"$py" - "$txcap" "${TX_CONNS:-400}" "${TX_PER:-200}" <<'EOF'
import struct, sys
out, nconn, per = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
f = open(out, 'wb', buffering=1 << 22)
f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 262144, 1))

def csum(b):
    if len(b) % 2:
        b += b'\0'
    s = sum(struct.unpack('>%dH' % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF

def pkt(ts, src, dst, sp, dp, seq, ack, flags, payload=b''):
    tcp = struct.pack('>HHIIBBHHH', sp, dp, seq, ack, 5 << 4, flags, 65535, 0, 0) + payload
    ip = struct.pack('>BBHHHBBH4s4s', 0x45, 0, 20 + len(tcp), 0, 0x4000, 64, 6, 0, src, dst)
    ip = ip[:10] + struct.pack('>H', csum(ip)) + ip[12:]
    fr = b'\x02\0\0\0\0\x02\x02\0\0\0\0\x01\x08\x00' + ip + tcp
    f.write(struct.pack('<IIII', ts // 10**6, ts % 10**6, len(fr), len(fr)))
    f.write(fr)

def nt_transact(mid, data_len, total):
    # NT_TRANSACT primary, 19 words: MaxSetupCount, Reserved1, Total{Parameter,Data}Count,
    # Max{Parameter,Data}Count, ParameterCount/Offset, DataCount/Offset, SetupCount, Function
    words = struct.pack('<BHIIIIIIIIBH', 0, 0, 0, total, 0, 65536, 0, 76, data_len, 76, 0, 1)
    body = bytes([19]) + words + struct.pack('<H', 3 + data_len) + b'\0' * 3 + b'\x5a' * data_len
    hdr = b'\xffSMB' + bytes([0xA0]) + struct.pack('<IBHH8sHHHHH', 0, 0x18, 0xC003, 0, b'\0' * 8,
                                                    0, 1, 0x5357, 100, mid)
    smb = hdr + body
    return struct.pack('>I', len(smb)) + smb

ts = 1_700_000_000 * 10**6
for c in range(nconn):
    cli, srv = bytes([10, 7, c // 250, c % 250 + 1]), bytes([10, 0, 0, 1])
    port = 20000 + c
    cs, ss = 1000, 5000
    pkt(ts, cli, srv, port, 445, cs, 0, 0x02)
    pkt(ts + 10, srv, cli, 445, port, ss, cs + 1, 0x12)
    ts += 20
    cs += 1
    ss += 1
    for m in range(per):
        p = nt_transact(m, 1000, 900000)
        pkt(ts, cli, srv, port, 445, cs, ss, 0x18, p)
        ts += 10
        cs += len(p)
f.close()
print('transaction stress: %d connections x %d open NT_TRANSACT of 900000 bytes' % (nconn, per))
EOF
/usr/bin/time -v "$smbdump" --stats "$txcap" > "$tmp/stats" 2> "$tmp/time"
grep -E '^(NBSS packets|transactions)' "$tmp/stats"
grep -A3 '^transaction refusals' "$tmp/stats" || true
rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$tmp/time")
awk -v r="$rss" -v b="$(stat -c %s "$txcap")" 'BEGIN {
  printf "scale: transaction stress, %.0f MB capture: peak RSS %.1f MB\n", b / 1e6, r / 1024 }'
