#!/usr/bin/python3
"""Write the fuzz seed corpora from the golden vectors (our own captures).

usage: fuzz/make_corpus.py  (from anywhere; rewrites fuzz/corpus/)
nbss/:      byte 0 = transport (0 NBT, 1 DIRECT), then the whole NBSS packet
message/:   byte 0 = bit 0 Flags.Reply, bit 1 Flags2.Unicode, then the SMB message
header/:    the first 48 bytes of every SMB message (header + a little)
andx/:      the SMB message as is
commands/, roundtrip/: the selector of fuzz/families.h (family, direction,
            Unicode, NT status), then the message body after the header
encode/:    one seed per selector value (deterministic bytes), plus the
            command bodies with their selector
strings/:   byte 0 = encoding/flags (fuzz_strings.c), then string bytes:
            hand-made edge cases and string areas of the golden messages
pcap/:      the golden captures of at most 8 KiB, as they are (fuzz_pcap), and
            tests/framing/dgram-mailslot.pcapng (NetBIOS datagrams)
trans/:     the selector of fuzz_trans.c (command, Reply, Unicode, NT status,
            LOCKING_ANDX prefix), then the body after the header: every
            transaction message of the golden captures, and hand-made ones
            of every form, including the MS17-010 shapes
trans_asm/: the fragment records of fuzz_trans_asm.c: the multi-fragment
            transactions of the golden captures (their counts, totals,
            displacements and IDs), and hand-made sequences (in and out of
            order, interim responses, EternalBlue's NT_TRANSACT continued by a
            TRANSACTION2_SECONDARY, totals that grow or shrink, pieces past
            the total or near 2^32, overlaps, nine disjoint pieces)
Messages over 8 KiB are left out to keep the corpora small (all of them
together stay well under 2 MB).
"""
import glob
import hashlib
import os
import random
import struct

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
out = os.path.join(root, 'fuzz', 'corpus')
subs = ('nbss', 'message', 'header', 'andx', 'commands', 'roundtrip', 'encode', 'strings',
        'pcap', 'trans', 'trans_asm')
for sub in subs:
    d = os.path.join(out, sub)
    os.makedirs(d, exist_ok=True)
    for f in glob.glob(os.path.join(d, '*')):
        os.remove(f)


def put(sub, data):
    name = hashlib.sha1(data).hexdigest()[:16]
    with open(os.path.join(out, sub, name), 'wb') as f:
        f.write(data)


FAMILY = {0x72: 0, 0x73: 1, 0x75: 2, 0x2D: 3, 0x2E: 4, 0xA2: 5, 0x24: 6, 0x04: 7}

for vec in sorted(glob.glob(os.path.join(root, 'tests', 'golden', '*.vec'))):
    for line in open(vec):
        if not line.startswith('msg '):
            continue
        pkt = bytes.fromhex(line.split()[3])
        if len(pkt) > 8192:
            continue
        put('nbss', bytes([1 if pkt[0] == 0 else 0]) + pkt)
        if pkt[0] != 0 or len(pkt) < 4 + 32:
            continue
        smb = pkt[4:]
        rsp, uni, nt = smb[9] & 0x80, smb[11] & 0x80, smb[11] & 0x40
        put('message', bytes([(1 if rsp else 0) | (2 if uni else 0)]) + smb)
        put('header', smb[:48])
        put('andx', smb)
        fam = FAMILY.get(smb[4])
        if fam is None:
            continue
        sel = fam | (8 if rsp else 0) | (16 if uni else 0) | (32 if nt else 0)
        put('commands', bytes([sel]) + smb[32:])
        put('roundtrip', bytes([sel]) + smb[32:])
        put('encode', bytes([sel & 0x7F]) + smb[32:][:512])
        # String areas: the data bytes of the first block, read as each
        # encoding.
        if len(smb) > 35:
            wct = smb[32]
            start = 33 + 2 * wct + 2
            area = smb[start:start + 200]
            if area:
                put('strings', bytes([1 if uni else 0]) + area)

# Encoder seeds: every selector with the same deterministic value bytes.
seed = b''
while len(seed) < 160:
    seed += hashlib.sha256(b'smbwire encode seed %d' % len(seed)).digest()
for sel in range(256):
    put('encode', bytes([sel]) + seed[:96 + (sel % 64)])

# Hand-made string edge cases: (flags, bytes).
OEM, U16, U8 = 0, 1, 2
cases = [
    (OEM, b'NT LM 0.12'), (OEM, b'caf\xe9 \xff\x80'), (OEM | 8, b''), (OEM, b'a\x00b'),
    (U16, 'Windows 2000 2195'.encode('utf-16le')),
    (U16, 'h\u00e9llo \u20ac \U0001F600'.encode('utf-16le')),
    (U16, b'\x00\xd8A\x00'),            # lone high surrogate
    (U16, b'\x00\xdcA\x00'),            # lone low surrogate
    (U16, b'\x3d\xd8'),                 # high surrogate at the end
    (U16, b'A\x00B'),                   # odd length, non-zero tail
    (U16, b'A\x00\x00'),                # odd length, zero tail (half terminator)
    (U16 | 4, b'A\x00B\x00\x00\x00C\x00'),  # NUL unit inside
    (U8, 'h\u00e9llo \u20ac \U0001F600'.encode('utf-8')),
    (U8, b'\xc0\xaf'),                  # overlong
    (U8, b'\xed\xa0\x80'),              # encoded surrogate
    (U8, b'\xf4\x90\x80\x80'),          # above U+10FFFF
    (U8, b'\xe2\x82'),                  # truncated sequence
    (U8, b'\x80\xbf\xfe\xff'),          # stray continuation and invalid bytes
    (U8, b'a\x00b'),                    # NUL inside
]
for flags, data in cases:
    put('strings', bytes([flags]) + data)

# Capture files for smbdump's path (fuzz_pcap.c), kept under libFuzzer's
# -max_len of 8 KiB.
# The NetBIOS datagrams (UDP 138) of tests/framing take the same path.
for cap in sorted(glob.glob(os.path.join(root, 'tests', 'golden', '*.pcapng'))) + \
        [os.path.join(root, 'tests', 'framing', 'dgram-mailslot.pcapng')]:
    data = open(cap, 'rb').read()
    if len(data) <= 8192:
        with open(os.path.join(out, 'pcap', os.path.basename(cap)), 'wb') as f:
            f.write(data)


# ---- transactions (fuzz_trans.c, fuzz_trans_asm.c) ----

TRANS_IDX = {0x25: 0, 0x26: 1, 0x32: 2, 0x33: 3, 0xA0: 4, 0xA1: 5}
TRANS_FAMILY = {0x26: 0x25, 0x33: 0x32, 0xA1: 0xA0}
# Word layouts (byte offsets): base WordCount, 32-bit, then the positions of
# TotalParameterCount, TotalDataCount, ParameterCount, ParameterOffset,
# ParameterDisplacement, DataCount, DataOffset, DataDisplacement, SetupCount
# (None: the form has no such field).
REQ_LAYOUT = {
    0x25: (14, False, 0, 2, 18, 20, None, 22, 24, None, 26),
    0x32: (14, False, 0, 2, 18, 20, None, 22, 24, None, 26),
    0x26: (8, False, 0, 2, 4, 6, 8, 10, 12, 14, None),
    0x33: (9, False, 0, 2, 4, 6, 8, 10, 12, 14, None),
    0xA0: (19, True, 3, 7, 19, 23, None, 27, 31, None, 35),
    0xA1: (18, True, 3, 7, 11, 15, 19, 23, 27, 31, None),
}
RSP_LAYOUT = {
    0x25: (10, False, 0, 2, 6, 8, 10, 12, 14, 16, 18),
    0x32: (10, False, 0, 2, 6, 8, 10, 12, 14, 16, 18),
    0xA0: (18, True, 3, 7, 11, 15, 19, 23, 27, 31, 35),
}


def trans_fields(smb, rsp):
    """Counts of the transaction block at offset 32: a dict, or None."""
    cmd, wct = smb[4], smb[32]
    lay = (RSP_LAYOUT if rsp else REQ_LAYOUT).get(cmd)
    if lay is None or wct < lay[0] or len(smb) < 33 + 2 * wct:
        return None
    w = smb[33:33 + 2 * wct]

    def get(at):
        if at is None:
            return 0
        return struct.unpack_from('<I' if lay[1] else '<H', w, at)[0]
    names = ('tpc', 'tdc', 'pc', 'po', 'pd', 'dc', 'do', 'dd')
    f = {n: get(at) for n, at in zip(names, lay[2:10])}
    f['setup'] = b''
    if lay[10] is not None:
        sc = w[lay[10]]
        f['setup'] = w[2 * lay[0]:2 * lay[0] + 2 * sc]
    f['function'] = struct.unpack_from('<H', w, 36)[0] if (cmd == 0xA0 and not rsp) else 0
    f['wide'] = lay[1]
    return f


def trans_block(cmd, off, uni=False, rsp=False, setup=(), name=None, params=b'', data=b'',
                tpc=None, tdc=None, pd=0, dd=0, mpc=1024, mdc=4096, function=0, fid=0,
                extra=b'', po=None, do=None, sc=None, wct=None, pc=None, dc=None):
    """A transaction block starting at header offset off: its bytes.
    Offsets default to the next 4-byte offset; any count or offset may be
    forced to a wrong value."""
    lay = (RSP_LAYOUT if rsp else REQ_LAYOUT)[cmd]
    base, wide = lay[0], lay[1]
    setup_b = b''.join(struct.pack('<H', x) for x in setup)
    nw = base + len(setup)
    boff = off + 1 + 2 * nw + 2
    area = b''
    if name is not None:
        if uni:
            if boff % 2:
                area += b'\0'
            area += name.encode('utf-16le') + b'\0\0'
        else:
            area += name.encode('latin-1') + b'\0'
    pos = boff + len(area)
    real_po = (pos + 3) & ~3 if params else pos
    area += b'\0' * (real_po - pos) + params
    pos = real_po + len(params)
    real_do = (pos + 3) & ~3 if data else pos
    area += b'\0' * (real_do - pos) + data + extra
    vals = {'tpc': len(params) if tpc is None else tpc, 'tdc': len(data) if tdc is None else tdc,
            'pc': len(params) if pc is None else pc, 'po': real_po if po is None else po,
            'pd': pd, 'dc': len(data) if dc is None else dc,
            'do': real_do if do is None else do, 'dd': dd}
    w = bytearray(2 * base)
    fmt = '<I' if wide else '<H'
    for n, at in zip(('tpc', 'tdc', 'pc', 'po', 'pd', 'dc', 'do', 'dd'), lay[2:10]):
        if at is not None:
            struct.pack_into(fmt, w, at, vals[n] & (0xFFFFFFFF if wide else 0xFFFF))
    if lay[10] is not None:
        w[lay[10]] = len(setup) if sc is None else sc
    if not rsp and cmd in (0x25, 0x32):
        struct.pack_into('<HH', w, 4, mpc, mdc)
    if not rsp and cmd == 0xA0:
        struct.pack_into('<II', w, 11, mpc, mdc)
        struct.pack_into('<H', w, 36, function)
        w[0] = len(setup)
    if not rsp and cmd == 0x33:
        struct.pack_into('<H', w, 16, fid)
    w = bytes(w) + setup_b
    return bytes([nw if wct is None else wct]) + w + struct.pack('<H', len(area)) + area


def trans_sel(cmd, rsp, uni, nt=True, prefix=0):
    return (TRANS_IDX[cmd] | (8 if rsp else 0) | (16 if uni else 0) | (32 if nt else 0) |
            (0x40 if prefix else 0) | (0x80 if prefix == 40 else 0))


def put_trans(cmd, rsp, uni, block, prefix=0, trailer=b''):
    put('trans', bytes([trans_sel(cmd, rsp, uni, True, prefix)]) + block + trailer)


transactions = []  # golden fragment sequences for trans_asm: (rsp, [(cmd, fields, hdr)])
for vec in sorted(glob.glob(os.path.join(root, 'tests', 'golden', '*.vec'))):
    open_seq = {}
    for line in open(vec):
        if not line.startswith('msg '):
            continue
        pkt = bytes.fromhex(line.split()[3])
        if pkt[0] != 0 or len(pkt) < 4 + 35:
            continue
        smb = pkt[4:]
        cmd = smb[4]
        if cmd not in TRANS_IDX or len(smb) > 8192:
            continue
        rsp, uni, nt = smb[9] & 0x80, smb[11] & 0x80, smb[11] & 0x40
        put('trans', bytes([trans_sel(cmd, rsp, uni, nt)]) + smb[32:])
        f = trans_fields(smb, rsp)
        if f is None or (rsp and smb[32] == 0):
            continue
        tid, pidl, uid, mid = struct.unpack_from('<HHHH', smb, 24)
        pidh = struct.unpack_from('<H', smb, 12)[0]
        hdr = (tid, uid, mid, pidl, pidh)
        key = (bool(rsp), mid)
        if (not rsp and cmd in (0x25, 0x32, 0xA0)) or key not in open_seq:
            open_seq[key] = (bool(rsp), [])
            transactions.append(open_seq[key])
        open_seq[key][1].append((cmd, f, hdr))

# Hand-made blocks of every form, at offsets 32, 39 and 40 (LOCKING_ANDX
# prefix), OEM and Unicode.
rng = random.Random(17010)
rpc = bytes(rng.randrange(256) for _ in range(72))
for off in (32, 39, 40):
    for uni in (False, True):
        blocks = [
            (0x25, False, trans_block(0x25, off, uni, setup=(0x26, 0x4000), name='\\PIPE\\',
                                      data=rpc, mpc=0, mdc=1024)),
            (0x25, False, trans_block(0x25, off, uni, setup=(), name='\\PIPE\\LANMAN',
                                      params=b'\0\0WrLeh\0B13BWz\0\x01\0\x00\x10')),
            (0x25, True, trans_block(0x25, off, uni, rsp=True, params=b'\0' * 8, data=rpc)),
            (0x26, False, trans_block(0x26, off, uni, params=b'ab', data=rpc[:32], tpc=4,
                                      tdc=104, pd=2, dd=72)),
            (0x32, False, trans_block(0x32, off, uni, setup=(0x0010,),
                                      params=b'\x04\x00' + 'x'.encode('utf-16le') + b'\0\0')),
            (0x32, True, trans_block(0x32, off, uni, rsp=True, params=b'\0\0', data=rpc[:40],
                                     tdc=80, dd=40)),
            (0x33, False, trans_block(0x33, off, uni, params=b'\x01' * 6, data=rpc, tpc=12,
                                      tdc=400, pd=6, dd=100, fid=0x4001)),
            (0xA0, False, trans_block(0xA0, off, uni, setup=(0, 0, 0, 0), function=2,
                                      params=b'', data=rpc[:16])),
            (0xA0, False, trans_block(0xA0, off, uni, function=6, params=struct.pack('<HHI', 0x4001, 0, 7))),
            (0xA0, True, trans_block(0xA0, off, uni, rsp=True, params=b'\0' * 4, data=rpc)),
            (0xA1, False, trans_block(0xA1, off, uni, data=rpc[:56], tpc=100, tdc=332,
                                      pd=0, dd=76)),
            (0x32, True, bytes([0, 0, 0])),
            (0x26, True, bytes([0, 1, 0, 0x2A])),
        ]
        for cmd, rsp, blk in blocks:
            put_trans(cmd, rsp, uni, blk, 0 if off == 32 else off)
            if off == 32 and not uni:
                put_trans(cmd, rsp, uni, blk, 0, b'\x00\x2A')  # trailing bytes

# MS17-010 and advisory shapes, as single blocks.
big = bytes(range(256)) * 4
shapes = [
    # EternalBlue's NT_TRANSACT primary: a large TotalDataCount, the first 976 bytes
    (0xA0, False, trans_block(0xA0, 32, setup=(0,), function=0, params=b'\0' * 30,
                              data=big[:976], tdc=0x10FE8, mdc=0)),
    # ... continued by a TRANSACTION2_SECONDARY (the type confusion)
    (0x33, False, trans_block(0x33, 32, data=big[:1000], tpc=30, tdc=0x10FE8, dd=976)),
    # NT_TRANSACT counts and offsets near 2^32
    (0xA0, False, trans_block(0xA0, 32, data=big[:16], tdc=0xFFFFFFFF, do=0xFFFFFFF8, dc=16)),
    (0xA0, False, trans_block(0xA0, 32, params=big[:8], pc=0xFFFFFFFF)),
    (0xA1, False, trans_block(0xA1, 32, data=big[:16], tdc=0xFFFFFFFF, dd=0xFFFFFFF0)),
    # ParameterOffset + ParameterCount over 16 bits
    (0x32, False, trans_block(0x32, 32, setup=(1,), params=big[:16], po=0xFFF8)),
    # DataOffset into the header, into the words
    (0x32, False, trans_block(0x32, 32, setup=(1,), params=big[:8], data=big[:8], do=4)),
    (0x32, False, trans_block(0x32, 32, setup=(1,), params=big[:8], data=big[:8], do=40)),
    # Data over the Parameters; Data before them
    (0x32, False, trans_block(0x32, 32, setup=(1,), params=big[:16], data=big[:8], do=68)),
    (0x25, True, trans_block(0x25, 32, rsp=True, params=big[:16], data=big[:8], do=60)),
    # SetupCount lying about WordCount
    (0x32, False, trans_block(0x32, 32, setup=(1,), sc=3)),
    (0xA0, False, trans_block(0xA0, 32, setup=(1, 2), sc=0)),
    (0x32, True, trans_block(0x32, 32, rsp=True, setup=(1,), sc=0xFF)),
    (0x33, False, trans_block(0x33, 32, wct=8)),
    # zero-length pieces, every offset field as read
    (0x33, False, trans_block(0x33, 32, tpc=4, tdc=4, pd=4, dd=4, po=0xFFFF, do=0x1234)),
]
for cmd, rsp, blk in shapes:
    put_trans(cmd, rsp, False, blk)


# Fragment records (see fuzz_trans_asm.c).
class Asm:
    def __init__(self, pcap, dcap, ids=(1, 0x800, 0x40, 0x5357, 0)):
        fl = 0
        if pcap > 0xFFFF:
            fl |= 1
        if dcap > 0xFFFF:
            fl |= 4
        self.b = struct.pack('<HHB', pcap & 0xFFFF, dcap & 0xFFFF, fl)
        self.b += struct.pack('<5H', *ids)

    def frag(self, cmd, rsp=False, tp=0, td=0, pd=0, dd=0, pc=0, dc=0, ids=None, setup=None,
             function=0, wct0=False, smart=None):
        op = [0x25, 0x26, 0x32, 0x33, 0xA0, 0xA1, 0x24, 0x2E].index(cmd)
        op |= (8 if rsp else 0) | (0x40 if wct0 else 0) | (0x80 if setup is not None else 0)
        if ids is not None:
            op |= 0x30
        if smart is not None:        # (pm, dm) modes with their values as given
            pm, dm, vals = smart
        else:
            pm = dm = 3 | (3 << 2) | (3 << 4)  # u32 total, displacement, count
            vals = struct.pack('<III', tp, pd, pc) + struct.pack('<III', td, dd, dc)
        out = bytes([op, pm, dm])
        if ids is not None:
            out += struct.pack('<5H', *ids)
        if setup is not None:
            out += bytes([len(setup)]) + setup + struct.pack('<H', function)
        self.b += out + vals
        return self


for rsp, frags in transactions:
    if len(frags) < 1:
        continue
    tp = max(f['tpc'] for _, f, _ in frags)
    td = max(f['tdc'] for _, f, _ in frags)
    a = Asm(tp + (tp % 7), td + (td % 5), frags[0][2])
    for cmd, f, hdr in frags:
        a.frag(cmd, rsp, f['tpc'], f['tdc'], f['pd'], f['dd'], f['pc'], f['dc'],
               setup=f['setup'] or None, function=f['function'])
    put('trans_asm', a.b)
    if len(frags) > 1:  # the same in reverse order (secondaries first: refused)
        a = Asm(tp, td, frags[0][2])
        for cmd, f, hdr in reversed(frags):
            a.frag(cmd, rsp, f['tpc'], f['tdc'], f['pd'], f['dd'], f['pc'], f['dc'])
        put('trans_asm', a.b)

P, S = 0x32, 0x33
seqs = [
    # in order, out of order, complete
    Asm(20, 300).frag(P, tp=20, td=300, pc=20, dc=100).frag(S, tp=20, td=300, dd=100, dc=100)
    .frag(S, tp=20, td=300, dd=200, dc=100),
    Asm(20, 300).frag(P, tp=20, td=300, pc=4).frag(S, tp=20, td=300, dd=200, dc=100)
    .frag(S, tp=20, td=300, pd=4, pc=16, dc=200),
    # responses: interim first, then three pieces out of order
    Asm(10, 600).frag(0x32, True, wct0=True).frag(0x32, True, tp=10, td=600, dd=400, dc=200)
    .frag(0x32, True, tp=10, td=600, pc=10, dc=400),
    # NT_TRANSACT with 32-bit totals
    Asm(100, 0x1FFFF).frag(0xA0, tp=100, td=0x1FFFF, pc=100, dc=0x1000, setup=b'\x01\x00',
                          function=1)
    .frag(0xA1, tp=100, td=0x1FFFF, dd=0x1000, dc=0x1EFFF),
    # EternalBlue: NT_TRANSACT continued by TRANSACTION2_SECONDARY
    Asm(30, 0x10FE8).frag(0xA0, tp=30, td=0x10FE8, pc=30, dc=976)
    .frag(S, tp=30, td=0x10FE8, dd=976, dc=4000).frag(0xA1, tp=30, td=0x10FE8, dd=976, dc=4000),
    # totals that grow, shrink below received, shrink legally
    Asm(64, 64).frag(P, tp=10, td=40, pc=10, dc=20).frag(S, tp=10, td=50, dd=20, dc=10)
    .frag(S, tp=10, td=19, dd=20, dc=1).frag(S, tp=10, td=30, dd=20, dc=10),
    # pieces past the total, near 2^32
    Asm(64, 64).frag(0xA0, tp=8, td=40, dc=8).frag(0xA1, tp=8, td=40, dd=0xFFFFFFF0, dc=0x20)
    .frag(0xA1, tp=8, td=40, pd=4, pc=5).frag(0xA1, tp=8, td=40, pd=0, pc=8, dd=8, dc=32),
    # duplicate and overlapping
    Asm(64, 64).frag(P, tp=0, td=40, dc=10).frag(S, td=40, dd=10, dc=10)
    .frag(S, td=40, dd=10, dc=10).frag(S, td=40, dd=19, dc=2).frag(S, td=40, dd=20, dc=20),
    # zero-length fragments, a total of 0
    Asm(0, 0).frag(P).frag(P),
    Asm(8, 8).frag(P, tp=4, td=4).frag(S, tp=4, td=4, pd=4, dd=4).frag(S, tp=4, td=4, pd=5)
    .frag(S, tp=4, td=4, pc=4, dc=4),
    # a total larger than the buffer, then a transaction that fits
    Asm(16, 16).frag(P, tp=17, td=4).frag(P, tp=16, td=16, pc=16, dc=16).frag(S, tp=16, td=16),
    # IDs that change; a secondary first; a request among responses
    Asm(16, 16).frag(S, tp=4).frag(P, tp=4, td=4, pc=1).frag(S, tp=4, td=4, pd=1, pc=1,
                                                             ids=(1, 0x800, 0x41, 0x5357, 0))
    .frag(0x32, True, tp=4, td=4).frag(0x24, tp=4, td=4),
]
# nine disjoint one-byte pieces, in reverse order, then the gaps
a = Asm(0, 100).frag(P, td=100)
for k in range(9, -1, -1):
    a.frag(S, td=100, dd=10 * k, dc=1)
for k in range(10):
    a.frag(S, td=100, dd=10 * k + 1, dc=9)
seqs.append(a)
# the reassembler's "smart" modes: totals kept, displacement at the next hole,
# count the rest of the hole (mode 0, 0, 1) or u8 counts
smart_rest = (0 | (0 << 2) | (1 << 4), 0 | (0 << 2) | (1 << 4))
smart_u8 = (0 | (0 << 2) | (0 << 4), 0 | (0 << 2) | (0 << 4))
a = Asm(300, 3000).frag(P, tp=300, td=3000, pc=50, dc=100)
for k in range(12):
    pm, dm = (smart_rest if k % 3 == 2 else smart_u8)
    vals = struct.pack('<H', 37 * k) + (b'' if pm & 0x30 else bytes([23 + k])) + \
        struct.pack('<H', 211 * k) + (b'' if dm & 0x30 else bytes([91 + k]))
    a.frag(S, smart=(pm, dm, vals))
seqs.append(a)
for a in seqs:
    put('trans_asm', a.b)
