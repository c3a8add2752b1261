#!/usr/bin/python3
"""Turn tests/golden/*.pcapng into tests/golden/*.vec (text vectors for the C tests).

usage: /usr/bin/python3 tests/golden/extract.py [--out DIR] [--port N] [CAPTURE ...]
       (default: every tests/golden/*.pcapng)

For each capture:
  1. tshark -T fields gives every TCP segment (frame, stream, ports, relative seq, len,
     payload). Each direction of each stream is reassembled in sequence order (bytes
     already seen -- retransmissions, overlaps -- are dropped) and cut into NBSS
     packets (4-byte header: type, flags byte whose bit 0 is length bit 16, 16-bit
     big-endian length). A packet belongs to the frame whose segment completes it.
  2. tshark -T json -x (with the NBSS port(s) decoded as nbss, NBSS and TCP
     desegmentation on) gives the dissection. Each nbss layer of a frame is matched
     to one of our packets by its raw bytes (and must match exactly), the smb layer
     after it is that packet's SMB.
  3. Per packet: "msg <frame> <c2s|s2c> <hex>" and one "f <field> <values>" line per
     smb.* / nbss.* field (see README.md for the value rules).
Exits non-zero if tshark and our reassembly disagree.
"""
import glob
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TSHARK = os.environ.get('TSHARK', 'tshark')
PREFIXES = ('smb.', 'nbss.')


def tshark(args):
    r = subprocess.run([TSHARK] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if r.returncode != 0:
        sys.exit('tshark %s failed: %s' % (' '.join(args), r.stderr.decode(errors='replace')))
    return r.stdout


def tshark_version():
    return tshark(['-v']).decode().splitlines()[0].strip().rstrip('.')


def ftype_names():
    """ftenum number -> FT_* name, in the order tshark -G ftypes lists them"""
    names = []
    for line in tshark(['-G', 'ftypes']).decode().splitlines():
        if line.startswith('FT_'):
            names.append(line.split('\t')[0])
    return names


def truthy(v):
    return v in ('1', 'True', 'true')


# ---------------------------------------------------------------- TCP / NBSS reassembly

def segments(path):
    out = tshark(['-r', path, '-o', 'tcp.relative_sequence_numbers:TRUE', '-T', 'fields',
                  '-E', 'separator=\t', '-Y', 'tcp',
                  '-e', 'frame.number', '-e', 'tcp.stream', '-e', 'tcp.srcport', '-e', 'tcp.dstport',
                  '-e', 'tcp.seq', '-e', 'tcp.len', '-e', 'tcp.flags.syn', '-e', 'tcp.flags.ack',
                  '-e', 'tcp.payload'])
    segs = []
    for line in out.decode().splitlines():
        f = line.split('\t')
        while len(f) < 9:
            f.append('')
        if not f[4] or not f[5]:
            continue                       # a TCP header too short to have seq/len
        segs.append(dict(frame=int(f[0]), stream=int(f[1]), sport=int(f[2]), dport=int(f[3]),
                         seq=int(f[4]), len=int(f[5]), syn=truthy(f[6]), ack=truthy(f[7]),
                         payload=bytes.fromhex(f[8].replace(':', ''))))
    return segs


def server_ports(segs):
    """stream -> server port: the destination of the SYN, else the lower port"""
    ports = {}
    for s in segs:
        if s['syn'] and not s['ack']:
            ports.setdefault(s['stream'], s['dport'])
    for s in segs:
        ports.setdefault(s['stream'], min(s['sport'], s['dport']))
    return ports


# Server ports whose streams carry NBSS: the standard two, 4445 (the
# suricata-verify smbandx capture) and the high ports our own recordings use;
# --port N adds more.
NBSS_PORTS = {139, 445, 4445, 14450, 14451, 14452, 14453}
OUT_DIR = None      # --out DIR: write the .vec files there, not beside the captures


def nbss_packets(segs, sports):
    """list of (frame, stream, direction, bytes, order) in capture order"""
    state = {}   # (stream, sport) -> [next_seq or None, buffer]
    packets = []
    for s in segs:
        if sports[s['stream']] not in NBSS_PORTS:
            continue
        key = (s['stream'], s['sport'])
        st = state.setdefault(key, [None, bytearray()])
        if s['syn']:
            st[0] = s['seq'] + 1
            continue
        if s['len'] == 0:
            continue
        data = s['payload']
        assert len(data) == s['len'], 'frame %d: payload %d != len %d' % (s['frame'], len(data), s['len'])
        if st[0] is None:
            st[0] = s['seq']
        if s['seq'] > st[0]:
            sys.exit('frame %d: gap in stream %d (seq %d, expected %d)' % (s['frame'], s['stream'], s['seq'], st[0]))
        skip = st[0] - s['seq']
        if skip >= len(data):
            continue                       # retransmission / duplicate
        st[1] += data[skip:]
        st[0] += len(data) - skip
        buf = st[1]
        direction = 'c2s' if s['dport'] == sports[s['stream']] else 's2c'
        while len(buf) >= 4:
            n = ((buf[1] & 1) << 16) | (buf[2] << 8) | buf[3]
            if len(buf) < 4 + n:
                break
            packets.append((s['frame'], s['stream'], direction, bytes(buf[:4 + n])))
            del buf[:4 + n]
    for (stream, sport), st in state.items():
        if st[1]:
            print('warning: stream %d port %d: %d trailing bytes without a complete NBSS packet'
                  % (stream, sport, len(st[1])), file=sys.stderr)
    return packets


# ---------------------------------------------------------------- dissection

def pairs_hook(p):
    return p                               # keep duplicate keys, in order


def is_tree(v):
    return isinstance(v, list) and (not v or isinstance(v[0], tuple))


def dissect(path, ports):
    args = ['-r', path, '-T', 'json', '-x',
            '-o', 'nbss.desegment_nbss_commands:TRUE', '-o', 'tcp.desegment_tcp_streams:TRUE',
            '-o', 'tcp.relative_sequence_numbers:TRUE', '-Y', 'nbss']
    for p in sorted(ports):
        args += ['-d', 'tcp.port==%d,nbss' % p]
    frames = {}
    # tshark can emit bytes that are not UTF-8 (raw strings of malformed
    # packets): decode leniently.
    for pkt in json.loads(tshark(args).decode('utf-8', 'replace'), object_pairs_hook=pairs_hook):
        layers = dict(dict(pkt)['_source'])['layers']   # pairs: a frame can hold several nbss/smb
        frame = None
        units = []                         # [nbss_raw_hex, nbss_tree, smb_tree or None]
        for k, v in layers:
            if k == 'frame':
                frame = int(dict(v)['frame.number'])
            elif k == 'nbss_raw':
                units.append([v[0], None, None])
            elif k == 'nbss':
                units[-1][1] = v
            elif k == 'smb' and units:
                units[-1][2] = v
        frames[frame] = units
    return frames


def escape_text(s):
    return (s.replace('\\', '\\\\').replace('\n', '\\n').replace('\r', '\\r')
            .replace('\t', '\\t').replace('|', '\\|'))


def le_int(hexstr):
    return int.from_bytes(bytes.fromhex(hexstr), 'little') if hexstr else 0


def fmt(name, value, raw, ftypes, stats):
    """one value -> text, or None to leave the field out"""
    if raw is None:
        return None                        # generated by tshark (smb.time, smb.response_in, ...)
    ft = ftypes[raw[4]] if isinstance(raw, list) and len(raw) >= 5 and raw[4] < len(ftypes) else '?'
    rawhex = raw[0] if isinstance(raw, list) else ''
    if ft in ('FT_NONE', 'FT_PROTOCOL'):
        return None
    if ft == 'FT_BOOLEAN':
        return '1' if truthy(value) or (value not in ('0', 'False', 'false') and value != '') else '0'
    if ft.startswith('FT_UINT') or ft.startswith('FT_INT') or ft in ('FT_CHAR', 'FT_FRAMENUM'):
        if ft in ('FT_UINT_STRING',):
            return escape_text(value)
        if ft == 'FT_UINT_BYTES':
            return rawhex.lower()
        try:
            return str(int(value, 0))
        except ValueError:
            stats['nonnumeric'].add(name)
            return str(le_int(rawhex)) if raw[3] == 0 else escape_text(value)
    if ft in ('FT_ABSOLUTE_TIME', 'FT_RELATIVE_TIME'):
        return str(le_int(rawhex))         # the wire value, little-endian
    if ft in ('FT_BYTES', 'FT_GUID', 'FT_ETHER', 'FT_EUI64', 'FT_OID'):
        return rawhex.lower()
    if ft in ('FT_STRING', 'FT_STRINGZ'):
        return escape_text(value)
    stats['other'].add('%s:%s' % (name, ft))
    return escape_text(value)


def collect(tree, out, ftypes, stats):
    """walk a layer tree in order; out: field -> [values]"""
    pending = {}                           # a field's _raw entry comes right before it
    for k, v in tree:
        if k.endswith('_raw'):
            pending[k[:-4]] = v
            continue
        if is_tree(v):
            collect(v, out, ftypes, stats)
            continue
        if k.endswith('_tree') or not k.startswith(PREFIXES):
            continue
        if isinstance(v, list):             # same field repeated inside one tree level
            rl = pending.pop(k, None)
            rl = rl if isinstance(rl, list) and rl and isinstance(rl[0], list) else [rl] * len(v)
            for val, raw in zip(v, rl):
                s = fmt(k, val, raw, ftypes, stats)
                if s is not None:
                    out.setdefault(k, []).append(s)
            continue
        s = fmt(k, v, pending.pop(k, None), ftypes, stats)
        if s is not None:
            out.setdefault(k, []).append(s)


# ---------------------------------------------------------------- main

def extract(path, version, ftypes):
    segs = segments(path)
    sports = server_ports(segs)
    packets = nbss_packets(segs, sports)
    used = set(p for p in sports.values() if p in NBSS_PORTS)
    frames = dissect(path, used)
    name = os.path.splitext(os.path.basename(path))[0]
    stats = {'nonnumeric': set(), 'other': set()}
    lines = [
        '# smbwire golden vectors: %s.pcapng (generated by tests/golden/extract.py -- do not edit)' % name,
        '# %s; server port(s): %s' % (version, ' '.join(str(p) for p in sorted(used))),
        '# msg <frame> <c2s|s2c> <hex of the whole NBSS packet, header included>',
        '# f <tshark field> <value>[|<value>...]   (fields of the msg above; see tests/golden/README.md)',
    ]
    used = {}
    errors = 0
    for frame, stream, direction, data in packets:
        units = frames.get(frame, [])
        k = used.get(frame, 0)
        used[frame] = k + 1
        lines.append('msg %d %s %s' % (frame, direction, data.hex()))
        if k >= len(units) or units[k][0].lower() != data.hex():
            print('%s: frame %d: NBSS packet %d of the frame does not match tshark' % (name, frame, k + 1),
                  file=sys.stderr)
            errors += 1
            continue
        out = {}
        _, nbss_tree, smb_tree = units[k]
        if nbss_tree:
            collect(nbss_tree, out, ftypes, stats)
        if smb_tree:
            collect(smb_tree, out, ftypes, stats)
        for field, values in out.items():
            lines.append('f %s %s' % (field, '|'.join(values)))
    for frame, units in frames.items():
        if used.get(frame, 0) != len(units):
            print('%s: frame %d: tshark has %d NBSS packets, we have %d'
                  % (name, frame, len(units), used.get(frame, 0)), file=sys.stderr)
            errors += 1
    if stats['nonnumeric']:
        print('%s: integer fields with non-numeric values (raw used): %s'
              % (name, ' '.join(sorted(stats['nonnumeric']))), file=sys.stderr)
    if stats['other']:
        print('%s: fields of other types (text used): %s' % (name, ' '.join(sorted(stats['other']))),
              file=sys.stderr)
    vec = os.path.join(OUT_DIR or os.path.dirname(path), name + '.vec')
    with open(vec, 'w', encoding='utf-8') as f:
        f.write('\n'.join(lines) + '\n')
    nsmb = sum(1 for p in packets if p[3][0] == 0 and p[3][4:8] == b'\xffSMB')
    print('%-18s %4d NBSS packets (%d SMB) -> %s' % (name, len(packets), nsmb, os.path.relpath(vec)))
    return errors


def main():
    args = sys.argv[1:]
    paths = []
    while args:
        a = args.pop(0)
        if a == '--port':
            NBSS_PORTS.add(int(args.pop(0)))
        elif a == '--out':
            global OUT_DIR
            OUT_DIR = args.pop(0)
        else:
            paths.append(a)
    paths = paths or sorted(glob.glob(os.path.join(HERE, '*.pcapng')))
    if not paths:
        sys.exit('no captures')
    version = tshark_version()
    ftypes = ftype_names()
    errors = sum(extract(p, version, ftypes) for p in paths)
    if errors:
        sys.exit('%d mismatches between tshark and the reassembly' % errors)


if __name__ == '__main__':
    main()
