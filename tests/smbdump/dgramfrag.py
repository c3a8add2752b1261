#!/usr/bin/python3
"""Fragmented NetBIOS datagrams through smbdump's reassembly (UDP 138).

usage: /usr/bin/python3 tests/smbdump/dgramfrag.py SMBDUMP TMPDIR CAPTURE

No capture we know of holds a fragmented datagram, so this one writes
them: every whole DIRECT/BROADCAST datagram of CAPTURE (our recording,
tests/framing/dgram-mailslot.pcapng) is cut here into pieces by the rules
of RFC 1002 4.4.1 (F on the first, M on all but the last, PACKET_OFFSET,
DGM_LENGTH), independently of the library's encoder, and written to a new
capture in these shapes:

  in-order      3 pieces, in order
  reversed      3 pieces, last first (another DGM_ID)
  interleaved   two datagrams' pieces alternating (two keys at once)
  duplicate     a piece sent twice: the second is refused
                (SMBW_E_TRANS_OVERLAP), the datagram still completes
  lying-first   a middle piece with F set: refused (SMBW_E_NBSS_FLAGS)

The line of the piece that completes a datagram must carry the same "smb"
and "transaction" objects (payload included) as the whole datagram's line in
CAPTURE, and say "reassembly": {"complete": true, "fragments": N, "total"};
the other pieces "complete": false, or their "reassembly_error".  Prints one
line per shape; exits 1 on any failure.
"""
import json
import os
import struct
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import flowtest  # noqa: E402


def udp_frames(cap):
    """[(ts, eth+ip header template (bytes), src, dst, sport, dport, payload)] of port 138"""
    out = []
    for ts, lt, fr in flowtest.read_capture(cap):
        if lt != 1 or fr[12:14] != b'\x08\x00':
            continue
        ip = fr[14:]
        ihl = (ip[0] & 15) * 4
        if ip[9] != 17:
            continue
        sport, dport, ulen = struct.unpack_from('>HHH', ip, ihl)
        if 138 not in (sport, dport):
            continue
        out.append(dict(ts=ts, mac=fr[:14], src=ip[12:16], dst=ip[16:20], sport=sport,
                        dport=dport, payload=bytes(ip[ihl + 8:ihl + ulen])))
    return out


def names_end(p):
    """offset of the user data of a DIRECT/BROADCAST datagram"""
    o = 14
    for _ in range(2):
        while p[o]:
            o += 1 + p[o]
        o += 1
    return o


def frame(f, payload):
    udp = struct.pack('>HHHH', f['sport'], f['dport'], 8 + len(payload), 0) + payload
    ip = struct.pack('>BBHHHBBH4s4s', 0x45, 0, 20 + len(udp), 0, 0x4000, 64, 17, 0,
                     f['src'], f['dst']) + udp
    return f['mac'] + ip


def pieces(p, n, dgm_id, lie=None):
    """datagram p cut into n pieces (payloads), with DGM_ID dgm_id"""
    ue = names_end(p)
    names, data = p[14:ue], p[ue:]
    cuts = [len(data) * k // n for k in range(n + 1)]
    out = []
    for k in range(n):
        flags = (p[1] & 0x0C) | (2 if k == 0 else 0) | (1 if k + 1 < n else 0)
        if lie == k:
            flags |= 2
        body = names + data[cuts[k]:cuts[k + 1]]
        out.append(bytes([p[0], flags]) + struct.pack('>H', dgm_id) + p[4:10] +
                   struct.pack('>HH', len(body), cuts[k]) + body)
    return out


def run(smbdump, cap):
    r = subprocess.run([smbdump, '--json', '--hex-limit', '0', cap], capture_output=True)
    if r.returncode != 0:
        raise SystemExit('smbdump failed on %s: %s' % (cap, r.stderr.decode(errors='replace')))
    return [json.loads(line) for line in r.stdout.decode().splitlines() if line.startswith('{')]


def main():
    smbdump, tmp, cap = sys.argv[1:4]
    os.makedirs(tmp, exist_ok=True)
    frames = udp_frames(cap)
    orig = {j['frame']: j for j in run(smbdump, cap) if 'nbdgm' in j}
    whole = []
    for i, f in enumerate(frames):
        p = f['payload']
        j = orig.get(i + 1)
        if p[0] in (0x10, 0x11, 0x12) and not p[1] & 1 and p[12:14] == b'\0\0' and j and 'smb' in j:
            whole.append((f, j))
    if len(whole) < 2:
        raise SystemExit('%s: fewer than two whole mailslot datagrams' % cap)
    whole.sort(key=lambda x: -len(x[0]['payload']))
    (fa, ja), (fb, jb) = whole[0], whole[1]
    # each shape: list of (frame template, payload, expected)
    # expected: ('part',), ('done', orig json, n), ('error', code)
    shapes = []
    pa = pieces(fa['payload'], 3, 0x4001)
    shapes.append(('in-order', [(fa, pa[0], ('part',)), (fa, pa[1], ('part',)),
                                (fa, pa[2], ('done', ja, 3))]))
    pa = pieces(fa['payload'], 3, 0x4002)
    shapes.append(('reversed', [(fa, pa[2], ('part',)), (fa, pa[1], ('part',)),
                                (fa, pa[0], ('done', ja, 3))]))
    pa = pieces(fa['payload'], 2, 0x4003)
    pb = pieces(fb['payload'], 2, 0x4003 if fb['payload'][4:10] != fa['payload'][4:10] else 0x4004)
    shapes.append(('interleaved', [(fa, pa[0], ('part',)), (fb, pb[0], ('part',)),
                                   (fa, pa[1], ('done', ja, 2)), (fb, pb[1], ('done', jb, 2))]))
    pa = pieces(fa['payload'], 3, 0x4005)
    shapes.append(('duplicate', [(fa, pa[0], ('part',)), (fa, pa[0], ('error', 'SMBW_E_TRANS_OVERLAP')),
                                 (fa, pa[1], ('part',)), (fa, pa[2], ('done', ja, 3))]))
    pa = pieces(fa['payload'], 3, 0x4006, lie=1)
    shapes.append(('lying-first', [(fa, pa[0], ('part',)), (fa, pa[1], ('error', 'SMBW_E_NBSS_FLAGS')),
                                   (fa, pa[2], ('part',))]))
    bad = 0
    for name, seq in shapes:
        path = os.path.join(tmp, 'dgramfrag-%s.pcap' % name)
        flowtest.write_pcap(path, 1, [(10**9 * (k + 1), frame(f, p)) for k, (f, p, _) in enumerate(seq)])
        got = [j for j in run(smbdump, path) if 'nbdgm' in j]
        why = ''
        if len(got) != len(seq):
            why = '%d lines for %d datagrams' % (len(got), len(seq))
        for k, ((f, p, exp), j) in enumerate(zip(seq, got)):
            if why:
                break
            ra, re = j.get('reassembly'), j.get('reassembly_error')
            if exp[0] == 'part':
                if not ra or ra['complete'] or 'smb' in j:
                    why = 'piece %d: %r' % (k + 1, ra or re)
            elif exp[0] == 'error':
                if not re or re.get('code') != exp[1] or 'smb' in j:
                    why = 'piece %d: expected %s, got %r' % (k + 1, exp[1], ra or re)
            else:
                _, o, n = exp
                total = len(o['nbdgm'] and f['payload']) - names_end(f['payload'])
                if not ra or not ra['complete'] or ra['fragments'] != n or ra['total'] != total:
                    why = 'piece %d: %r' % (k + 1, ra or re)
                for key in ('smb', 'transaction'):
                    if not why and j.get(key) != o.get(key):
                        why = 'piece %d: "%s" differs from the whole datagram\'s' % (k + 1, key)
        print('%s %s%s' % ('ok' if not why else 'FAIL', name, (': ' + why) if why else ''))
        bad += bool(why)
    print('dgramfrag: %d shapes, %d failed' % (len(shapes), bad))
    sys.exit(1 if bad else 0)


if __name__ == '__main__':
    main()
