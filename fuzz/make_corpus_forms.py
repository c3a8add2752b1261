#!/usr/bin/python3
"""Write fuzz/corpus/forms from the golden vectors (our own captures).

usage: fuzz/make_corpus_forms.py  (from anywhere; rewrites fuzz/corpus/forms)
Each seed is fuzz_forms.c's input: two bytes (little-endian) select the
message type (its index in SMBW_TYPE_LIST, include/smbwire/form.h), one
byte Flags2.Unicode (bit 0), then the SMB message after its 32-byte header.
One seed per distinct (type, WordCount, Unicode, first 64 bytes); messages
over 8 KiB are left out.
"""
import glob
import hashlib
import os
import re

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
out = os.path.join(root, 'fuzz', 'corpus', 'forms')
inc = os.path.join(root, 'include', 'smbwire')

codes = {}
for name, code in re.findall(r'X\((\w+),\s*(0x[0-9A-Fa-f]+),\s*[01]\)',
                             open(os.path.join(inc, 'message.h')).read()):
    codes[name] = int(code, 16)
form_h = open(os.path.join(inc, 'form.h')).read()
lst = form_h[form_h.index('#define SMBW_TYPE_LIST(X)'):form_h.index('/** Message type numbers')]
types = {}
for i, (cmd, reply) in enumerate(re.findall(r'X\(\w+,\s*\w+,\s*(\w+),\s*([01])\)', lst)):
    types[(codes[cmd], int(reply))] = i

os.makedirs(out, exist_ok=True)
for f in glob.glob(os.path.join(out, '*')):
    os.remove(f)
seen = set()
for vec in sorted(glob.glob(os.path.join(root, 'tests', 'golden', '*.vec'))):
    for line in open(vec):
        if not line.startswith('msg '):
            continue
        pkt = bytes.fromhex(line.split()[3])
        smb = pkt[4:]
        if len(smb) < 35 or smb[:4] != b'\xffSMB' or len(smb) > 8192:
            continue
        t = types.get((smb[4], 1 if smb[9] & 0x80 else 0))
        if t is None:
            continue
        uni = 1 if (smb[10] | smb[11] << 8) & 0x8000 else 0
        seed = bytes([t & 0xFF, t >> 8, uni]) + smb[32:]
        key = (t, smb[32], uni, seed[:64])
        if key in seen:
            continue
        seen.add(key)
        with open(os.path.join(out, hashlib.sha1(seed).hexdigest()[:16]), 'wb') as fh:
            fh.write(seed)
print('forms: %d seeds' % len(seen))
