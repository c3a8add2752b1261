#!/usr/bin/python3
"""Seed corpus of fuzz_rap from the golden captures tests/golden/rap-*.vec.

usage: python3 fuzz/make_corpus_rap.py     (writes fuzz/corpus/rap/<sha1 prefix>)

Input layout of fuzz_rap (see fuzz/fuzz_rap.c): byte 0 the mode,
  0: RAP request parameters;
  1: response data walk: byte 1 descriptor length n, n bytes of DataDesc,
     Converter (2 bytes), opcode (2), count (1), then the data;
  2: named pipe request: function-independent split: setup length (1),
     params length (1), then setup, params, data;
  3: named pipe response: function (2), unicode (1), params length (1),
     params, data;
  4: mailslot write: setup length (1), setup, data.
"""
import glob
import hashlib
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, 'corpus', 'rap')


def transactions(path):
    """(is_response, mid, setup, name_and_bytes, params, data) of each TRANSACTION"""
    for line in open(path):
        if not line.startswith('msg '):
            continue
        raw = bytes.fromhex(line.split()[3])[4:]
        if len(raw) < 33 or raw[4] != 0x25:
            continue
        resp = bool(raw[9] & 0x80)
        mid = struct.unpack_from('<H', raw, 30)[0]
        wct = raw[32]
        w = raw[33:33 + 2 * wct]
        if wct == 0 or len(w) < 2 * wct:
            continue
        if resp:
            pc, po, _, dc, do, _ = struct.unpack_from('<HHHHHH', w, 6)
            sc = w[18] if len(w) > 18 else 0
            setup = w[20:20 + 2 * sc]
        else:
            pc, po, dc, do = struct.unpack_from('<HHHH', w, 18)
            sc = w[26]
            setup = w[28:28 + 2 * sc]
        yield resp, mid, setup, raw[po:po + pc], raw[do:do + dc]


def main():
    os.makedirs(OUT, exist_ok=True)
    seeds = set()
    for path in sorted(glob.glob(os.path.join(HERE, '..', 'tests', 'golden', 'rap-*.vec'))):
        pend = {}
        for resp, mid, setup, params, data in transactions(path):
            if not resp:
                pend[mid] = (setup, params)
                if not setup:                                   # RAP
                    seeds.add(b'\x00' + params)
                elif len(setup) == 6:                           # mailslot
                    seeds.add(b'\x04' + bytes([len(setup)]) + setup + data)
                else:
                    seeds.add(b'\x02' + bytes([len(setup), len(params)]) + setup + params + data[:512])
                continue
            if mid not in pend:
                continue
            rsetup, rparams = pend.pop(mid)
            if not rsetup and len(rparams) > 2:
                opcode = struct.unpack_from('<H', rparams)[0]
                pdesc_end = rparams.index(b'\x00', 2)
                ddesc = rparams[pdesc_end + 1:rparams.index(b'\x00', pdesc_end + 1)]
                if len(params) >= 4:
                    conv = params[2:4]
                    count = struct.unpack_from('<H', params, 4)[0] if len(params) >= 6 else 1
                    seeds.add(b'\x01' + bytes([len(ddesc)]) + ddesc + conv +
                              struct.pack('<HB', opcode, min(count, 255)) + data)
            elif len(rsetup) >= 2:
                seeds.add(b'\x03' + rsetup[:2] + b'\x01' + bytes([len(params)]) + params + data[:512])
    for s in sorted(seeds):
        name = hashlib.sha1(s).hexdigest()[:16]
        with open(os.path.join(OUT, name), 'wb') as f:
            f.write(s)
    print('%d seeds -> %s' % (len(seeds), os.path.relpath(OUT)))


if __name__ == '__main__':
    main()
