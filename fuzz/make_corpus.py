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
pcap/:      the golden captures of at most 8 KiB, as they are (fuzz_pcap)
Messages over 8 KiB are left out to keep the corpora small (all of them
together stay well under 2 MB).
"""
import glob
import hashlib
import os

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
out = os.path.join(root, 'fuzz', 'corpus')
subs = ('nbss', 'message', 'header', 'andx', 'commands', 'roundtrip', 'encode', 'strings',
        'pcap')
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
for cap in sorted(glob.glob(os.path.join(root, 'tests', 'golden', '*.pcapng'))):
    data = open(cap, 'rb').read()
    if len(data) <= 8192:
        with open(os.path.join(out, 'pcap', os.path.basename(cap)), 'wb') as f:
            f.write(data)
