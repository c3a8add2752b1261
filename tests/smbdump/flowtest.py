#!/usr/bin/python3
"""Reassembly and link-layer test of smbdump's capture reader (examples/flow.c).

usage: /usr/bin/python3 tests/smbdump/flowtest.py SMBDUMP TMPDIR CAPTURE...

Each CAPTURE (pcap or pcapng, Ethernet/IPv4, no holes) is read once with
smbdump --json as the reference.  Its TCP segments are then rewritten into
new captures that must give exactly the same NBSS packets, per connection and
direction (frame numbers and times aside):
  split      every payload cut into pieces of 1..97 bytes
  reorder    segments shuffled within windows of 6 packets
  retrans    segments sent twice, some much later
  overlap    segments that repeat the end of the previous one
  all        the three above together
  links      Ethernet+VLAN (QinQ), Linux SLL, SLL2, BSD null, loop, raw IP,
             IPv4 and IPv6 link types, IPv6 with a hop-by-hop header,
             nanosecond pcap and pcapng
and, with missing bytes, only packets the reference has, in its order,
losing only those the holes fall in:
  holes      a few segments dropped (the peer's ACKs cover them)
  snap       a 200-byte snap length
For reorder, all, holes and snap the "transaction" and "transaction_error"
keys are left out of the comparison: they depend on how the two directions
interleave and on every earlier fragment, not only on the bytes of each
direction.
Prints one line per variant; exits 1 on any failure.
"""
import json
import os
import random
import struct
import subprocess
import sys

# ---------------------------------------------------------------- reading


def read_capture(path):
    """[(ts_ns, linktype, frame bytes)] from pcap or pcapng"""
    data = open(path, 'rb').read()
    out = []
    magic = data[:4]
    if magic in (b'\xd4\xc3\xb2\xa1', b'\x4d\x3c\xb2\xa1'):
        nano = magic == b'\x4d\x3c\xb2\xa1'
        lt = struct.unpack_from('<I', data, 20)[0]
        off = 24
        while off + 16 <= len(data):
            s, us, cl, ol = struct.unpack_from('<IIII', data, off)
            out.append((s * 10**9 + (us if nano else us * 1000), lt, data[off + 16:off + 16 + cl]))
            off += 16 + cl
        return out
    if magic != b'\x0a\x0d\x0d\x0a':
        raise SystemExit('%s: not a little-endian pcap or pcapng' % path)
    off, ifs = 0, []
    while off + 12 <= len(data):
        bt, bl = struct.unpack_from('<II', data, off)
        body = data[off + 8:off + bl - 4]
        if bt == 1:
            res, o = 6, 8                      # if_tsresol, default microseconds
            while o + 4 <= len(body):
                code, ln = struct.unpack_from('<HH', body, o)
                if code == 0:
                    break
                if code == 9 and ln >= 1:
                    res = body[o + 4]
                o += 4 + ln + (-ln) % 4
            ifs.append((struct.unpack_from('<H', body, 0)[0], res))
        elif bt == 6:
            iid, hi, lo, cl, ol = struct.unpack_from('<IIIII', body, 0)
            lt, res = ifs[iid]
            raw = (hi << 32) | lo
            ts = raw * 10**(9 - res) if not res & 0x80 and res <= 9 else raw * 1000
            out.append((ts, lt, body[20:20 + cl]))
        off += bl
    return out


def parse(frame, lt):
    """Ethernet/IPv4/TCP -> dict, or None"""
    if lt != 1 or len(frame) < 14 or frame[12:14] != b'\x08\x00':
        return None
    ip = frame[14:]
    ihl = (ip[0] & 15) * 4
    tot = struct.unpack_from('>H', ip, 2)[0]
    if ip[9] != 6:
        return None
    t = ip[ihl:tot]
    hl = (t[12] >> 4) * 4
    sport, dport, seq, ack = struct.unpack_from('>HHII', t, 0)
    return dict(src=ip[12:16], dst=ip[16:20], sport=sport, dport=dport, seq=seq, ack=ack,
                flags=t[13], win=struct.unpack_from('>H', t, 14)[0], payload=bytes(t[hl:]))


# ---------------------------------------------------------------- writing

def tcp_bytes(p, payload):
    return struct.pack('>HHIIBBHHH', p['sport'], p['dport'], p['seq'] & 0xFFFFFFFF, p['ack'],
                       5 << 4, p['flags'], p['win'], 0, 0) + payload


def ipv4(p, seg):
    tot = 20 + len(seg)
    tot = tot if tot <= 0xFFFF else 0          # a TSO/GRO super-packet: length 0
    return struct.pack('>BBHHHBBH4s4s', 0x45, 0, tot, 0, 0x4000, 64, 6, 0,
                       p['src'], p['dst']) + seg


def ipv6(p, seg, hbh=False):
    src = b'\x20\x01\x0d\xb8' + bytes(11) + p['src'][3:4]
    dst = b'\x20\x01\x0d\xb8' + bytes(11) + p['dst'][3:4]
    if hbh:  # hop-by-hop options header (8 bytes, PadN) before TCP
        ext = bytes([6, 0, 1, 4, 0, 0, 0, 0])
        n = len(ext) + len(seg)
        return struct.pack('>IHBB16s16s', 0x60000000, n if n <= 0xFFFF else 0, 0, 64, src, dst) + ext + seg
    n = len(seg)
    return struct.pack('>IHBB16s16s', 0x60000000, n if n <= 0xFFFF else 0, 6, 64, src, dst) + seg


def link(kind, p, payload):
    """(linktype, frame) for one TCP segment"""
    seg = tcp_bytes(p, payload)
    v6 = kind in ('ipv6', 'ipv6-hbh', 'sll2-v6', 'null-v6')
    ip = ipv6(p, seg, kind == 'ipv6-hbh') if v6 else ipv4(p, seg)
    et = b'\x86\xdd' if v6 else b'\x08\x00'
    mac = b'\x02\x00\x00\x00\x00\x01\x02\x00\x00\x00\x00\x02'
    if kind == 'eth':
        return 1, mac + et + ip
    if kind == 'vlan':
        return 1, mac + b'\x88\xa8\x00\x64\x81\x00\x00\x0a' + et + ip
    if kind == 'sll':
        return 113, struct.pack('>HHH8s', 0, 1, 6, bytes(8)) + et + ip
    if kind == 'sll2-v6':
        return 276, et + b'\x00\x00' + struct.pack('>IHBB8s', 1, 1, 0, 6, bytes(8)) + ip
    if kind in ('null', 'null-v6'):
        return 0, struct.pack('<I', 30 if v6 else 2) + ip
    if kind == 'loop':
        return 108, struct.pack('>I', 2) + ip
    if kind == 'raw':
        return 101, ip
    if kind == 'ipv4':
        return 228, ip
    if kind in ('ipv6', 'ipv6-hbh'):
        return 229, ip
    raise ValueError(kind)


def write_pcap(path, lt, frames, nano=False, snap=262144):
    with open(path, 'wb') as f:
        f.write(struct.pack('<IHHiIII', 0xa1b23c4d if nano else 0xa1b2c3d4, 2, 4, 0, 0, snap, lt))
        for ts, fr in frames:
            cap = fr[:snap]
            sub = ts % 10**9 if nano else (ts % 10**9) // 1000
            f.write(struct.pack('<IIII', ts // 10**9, sub, len(cap), len(fr)) + cap)


def write_pcapng(path, lt, frames):
    def block(bt, body):
        body += bytes((-len(body)) % 4)
        return struct.pack('<II', bt, len(body) + 12) + body + struct.pack('<I', len(body) + 12)
    with open(path, 'wb') as f:
        f.write(block(0x0A0D0D0A, struct.pack('<IHHq', 0x1A2B3C4D, 1, 0, -1)))
        f.write(block(1, struct.pack('<HHI', lt, 0, 0)))
        for ts, fr in frames:
            us = ts // 1000
            f.write(block(6, struct.pack('<IIIII', 0, us >> 32, us & 0xFFFFFFFF, len(fr), len(fr)) + fr))


# ---------------------------------------------------------------- transforms

def pieces(p, rnd, maxlen=97):
    """cut one data segment into several"""
    out, data, off = [], p['payload'], 0
    while off < len(data):
        n = rnd.randint(1, maxlen)
        q = dict(p, seq=p['seq'] + off, payload=data[off:off + n])
        if off + n < len(data):
            q['flags'] = p['flags'] & ~0x01       # FIN only on the last piece
        out.append(q)
        off += n
    return out or [p]


def variant(pkts, name, rnd):
    """list of packet dicts in the new order"""
    data_idx = [i for i, p in enumerate(pkts) if p['payload']]
    out = list(pkts)
    if name in ('split', 'all'):
        out = [q for p in out for q in (pieces(p, rnd) if p['payload'] else [p])]
    if name in ('overlap', 'all'):
        nxt = []
        last = {}
        for p in out:
            k = (p['src'], p['sport'])
            if p['payload'] and k in last and rnd.random() < 0.7:
                prev = last[k]
                back = min(len(prev['payload']), rnd.randint(1, 40))
                if (prev['seq'] + len(prev['payload'])) & 0xFFFFFFFF == p['seq']:
                    p = dict(p, seq=(p['seq'] - back) & 0xFFFFFFFF, payload=prev['payload'][-back:] + p['payload'])
            if p['payload']:
                last[k] = p
            nxt.append(p)
        out = nxt
    if name in ('retrans', 'all'):
        nxt = []
        later = []
        for p in out:
            nxt.append(p)
            if p['payload'] and rnd.random() < 0.3:
                if rnd.random() < 0.5:
                    nxt.append(p)
                else:
                    later.append(p)
            if later and rnd.random() < 0.1:
                nxt.append(later.pop(0))
        out = nxt + later
    if name in ('reorder', 'all'):
        # shuffle windows of packets that hold no SYN (a packet moved before
        # its connection's SYN would open a new connection, as in tshark)
        for w in range(0, len(out), 6):
            win = out[w:w + 6]
            if any(p['flags'] & 0x02 for p in win):
                continue
            rnd.shuffle(win)
            out[w:w + 6] = win
    if name == 'holes':
        drop = set(rnd.sample(data_idx[4:], min(3, max(0, len(data_idx) - 4))))
        out = [p for i, p in enumerate(out) if i not in drop]
    return out


# ---------------------------------------------------------------- running

# The keys that depend on the order of the two directions, not only on each
# direction's bytes: the transaction tracker sees a response's request (or a
# request's interim response) before or after it depending on how the
# directions interleave, and a lost fragment changes the transactions after
# it.  They are compared only where the rewriting keeps that order.
TX_KEYS = ('transaction', 'transaction_error')


def smbdump_json(smbdump, path, ports, strip_tx=False):
    args = [smbdump, '--json']
    for p in ports:
        args += ['--port', str(p)]
    r = subprocess.run(args + [path], stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
    if r.returncode not in (0, 1):
        raise RuntimeError('smbdump exited with %d: %s' % (r.returncode, r.stderr.decode(errors='replace')[:300]))
    msgs = {}
    for line in r.stdout.decode().split('\n'):   # not splitlines(): names may hold U+2028
        if not line:
            continue
        o = json.loads(line)
        if 'nbdgm' in o:  # NetBIOS datagrams: dgramcheck.py
            continue
        key = (o['stream'], o['dir'])
        o.pop('frame')
        o.pop('ts')
        if strip_tx:
            for k in TX_KEYS:
                o.pop(k, None)
        msgs.setdefault(key, []).append(json.dumps(o, sort_keys=True))
    return msgs


def is_subsequence(a, b):
    it = iter(b)
    return all(x in it for x in a)


# Captures whose dissection depends on the order of the two directions,
# which the shuffles and holes below change on purpose.
CROSS_DIRECTION = {
    'torture-readraw': 'READ_RAW data is known by the request before it, in the other '
                       'direction (shuffled or dropped here)',
    'impacket-writeraw': 'WRITE_RAW data is known by the request before it, and an error '
                         'response in the other direction says none comes',
}


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    smbdump, tmp, caps = sys.argv[1], sys.argv[2], sys.argv[3:]
    # the servers of our recordings (tests/golden/record*.sh); on other ports
    # smbdump finds SMB by its bytes, which a capture cut into 1-byte pieces
    # or shuffled does not show at the start of a connection
    ports = [4445, 14450, 14451, 14452, 14453]
    fails = 0
    rnd = random.Random(4)
    for cap in caps:
        base = os.path.splitext(os.path.basename(cap))[0]
        if base in CROSS_DIRECTION:
            print('skip %s: %s' % (base, CROSS_DIRECTION[base]))
            continue
        recs = read_capture(cap)
        pkts = []
        for ts, lt, fr in recs:
            p = parse(fr, lt)
            if p:
                p['ts'] = ts
                pkts.append(p)
        if not pkts:
            print('skip %s: no Ethernet/IPv4/TCP packets' % base)
            continue
        ref_path = os.path.join(tmp, base + '-ref.pcap')
        write_pcap(ref_path, *link_frames('eth', pkts))
        ref = smbdump_json(smbdump, ref_path, ports)
        ref_notx = smbdump_json(smbdump, ref_path, ports, strip_tx=True)
        orig = smbdump_json(smbdump, cap, ports)
        nref = sum(len(v) for v in ref.values())
        if ref != orig or not nref:
            print('FAIL %s: rewritten capture differs from the original (%d packets)' % (base, nref))
            fails += 1
            continue
        tests = [(v, 'eth') for v in ('split', 'reorder', 'retrans', 'overlap', 'all')]
        tests += [('none', k) for k in ('vlan', 'sll', 'sll2-v6', 'null', 'null-v6', 'loop', 'raw',
                                        'ipv4', 'ipv6', 'ipv6-hbh', 'nano', 'pcapng')]
        tests += [('holes', 'eth'), ('snap', 'eth')]
        for var, kind in tests:
            seq = variant(pkts, var, rnd) if var not in ('none', 'snap') else pkts
            path = os.path.join(tmp, '%s-%s-%s.pcap' % (base, var, kind))
            k = 'eth' if kind in ('nano', 'pcapng') else kind
            lt, frames = link_frames(k, seq)
            if kind == 'pcapng':
                write_pcapng(path, lt, frames)
            else:
                write_pcap(path, lt, frames, nano=(kind == 'nano'), snap=200 if var == 'snap' else 262144)
            strip = var in ('reorder', 'all', 'holes', 'snap')
            want = ref_notx if strip else ref
            try:
                got = smbdump_json(smbdump, path, ports, strip_tx=strip)
            except (RuntimeError, subprocess.TimeoutExpired) as e:
                print('FAIL %s %s %s: %s' % (base, var, kind, e))
                fails += 1
                continue
            n = sum(len(v) for v in got.values())
            if var in ('holes', 'snap'):
                ok = all(is_subsequence(got.get(key, []), want[key]) for key in got) and set(got) <= set(want)
                lost = nref - n
                what = '%d of %d NBSS packets, in order (%d lost to the holes)' % (n, nref, lost)
                if var == 'holes' and lost > 3 * 4:
                    ok = False
            else:
                ok = got == want
                what = '%d NBSS packets, identical' % n if ok else '%d NBSS packets, DIFFERENT from %d' % (n, nref)
            print('%s %s %s %s: %s' % ('ok  ' if ok else 'FAIL', base, var, kind, what))
            if not ok:
                fails += 1
    print('flowtest: %s' % ('all passed' if not fails else '%d failed' % fails))
    sys.exit(1 if fails else 0)


def link_frames(kind, pkts):
    lt, frames = None, []
    for p in pkts:
        lt, fr = link(kind, p, p['payload'])
        frames.append((p['ts'], fr))
    return lt, frames


if __name__ == '__main__':
    main()
