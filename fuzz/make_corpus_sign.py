#!/usr/bin/python3
"""Seed corpus of fuzz_sign (fuzz/corpus/sign) from the signed captures.

usage: /usr/bin/python3 fuzz/make_corpus_sign.py

Each SMB message of tests/signing/*.vec becomes one input in fuzz_sign's
layout: key length (16), sequence number (the message's position in its
capture, little-endian), 40 key bytes (impacket's MAC key from
tests/signing/impacket-signed.key, zero-padded), then the message without
its NBSS header.  Also a few hand-made ones: an NBSS header in front, a
31-byte header, NT_CANCEL, an oplock break acknowledgement, ECHO with
EchoCount 0, and a 40-byte (NTLMv1-style) key.
"""
import glob
import hashlib
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
OUT = os.path.join(HERE, 'corpus', 'sign')

key = bytes(16)
kf = os.path.join(ROOT, 'tests', 'signing', 'impacket-signed.key')
if os.path.exists(kf):
    for line in open(kf):
        if line.startswith('mac_key '):
            key = bytes.fromhex(line.split()[1])


def seed(klen, seq, k, msg):
    return bytes([klen]) + struct.pack('<I', seq) + (k + bytes(40))[:40] + msg


inputs = []
for vec in sorted(glob.glob(os.path.join(ROOT, 'tests', 'signing', '*.vec'))):
    i = 0
    for line in open(vec):
        if line.startswith('msg '):
            pkt = bytes.fromhex(line.split()[3])
            inputs.append(seed(16, i, key, pkt[4:]))
            i += 1


def hdr(cmd, flags=0):
    return b'\xffSMB' + bytes([cmd]) + bytes(4) + bytes([flags]) + b'\x04\x00' + bytes(20)


lock_ack = hdr(0x24) + bytes([8]) + struct.pack('<BBHHBBIHH', 0xFF, 0, 0, 0x4000, 2, 0, 0, 0, 0) + b'\0\0'
inputs += [
    seed(16, 2, key, b'\0\0\0\x23' + hdr(0x2b) + b'\x01\x01\x00\x00\x00'),
    seed(16, 2, key, hdr(0x2b)[:31]),
    seed(16, 5, key, hdr(0xa4) + b'\0\0\0'),
    seed(16, 6, key, lock_ack),
    seed(16, 8, key, hdr(0x2b) + b'\x01\x00\x00\x00\x00'),
    seed(40, 2, bytes(range(40)), hdr(0x2b) + b'\x01\x01\x00\x04\x00ping'),
    seed(0, 2, key, hdr(0x2b) + b'\x01\x01\x00\x00\x00'),
]

os.makedirs(OUT, exist_ok=True)
for f in glob.glob(os.path.join(OUT, '*')):
    os.remove(f)
for data in inputs:
    name = hashlib.sha1(data).hexdigest()[:16]
    with open(os.path.join(OUT, name), 'wb') as f:
        f.write(data)
print('%d inputs -> %s (%d bytes)' % (len(inputs), os.path.relpath(OUT), sum(map(len, inputs))))
