#!/usr/bin/python3
"""Write the fuzz seed corpora from the golden vectors (our own captures).

usage: fuzz/make_corpus.py  (from the source root; rewrites fuzz/corpus/)
nbss/:    byte 0 = transport (0 NBT, 1 DIRECT), then the whole NBSS packet
message/: byte 0 = bit 0 Flags.Reply, bit 1 Flags2.Unicode, then the SMB message
Messages over 8 KiB are left out to keep the corpus small.
"""
import glob
import hashlib
import os

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
out = os.path.join(root, 'fuzz', 'corpus')
for sub in ('nbss', 'message'):
    d = os.path.join(out, sub)
    os.makedirs(d, exist_ok=True)
    for f in glob.glob(os.path.join(d, '*')):
        os.remove(f)


def put(sub, data):
    name = hashlib.sha1(data).hexdigest()[:16]
    with open(os.path.join(out, sub, name), 'wb') as f:
        f.write(data)


for vec in sorted(glob.glob(os.path.join(root, 'tests', 'golden', '*.vec'))):
    for line in open(vec):
        if not line.startswith('msg '):
            continue
        pkt = bytes.fromhex(line.split()[3])
        if len(pkt) > 8192:
            continue
        put('nbss', bytes([1 if pkt[0] == 0 else 0]) + pkt)
        if pkt[0] == 0 and len(pkt) >= 4 + 32:
            smb = pkt[4:]
            sel = (1 if smb[9] & 0x80 else 0) | (2 if smb[11] & 0x80 else 0)
            put('message', bytes([sel]) + smb)
