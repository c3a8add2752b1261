#!/usr/bin/python3
"""impacket's SMB1 parsing cost per message, for smbwire-bench.

    /usr/bin/python3 impacket_bench.py MESSAGES [--min-time S] [--runs R] [--budget S]

MESSAGES holds NBSS packets back to back (what smbwire-bench loaded).  Each
message is parsed the way impacket's own client reads a reply:
impacket.smb.NewSMBPacket(data=...) for the header, then
impacket.smb.SMBCommand(...) for the first block and for every block the
AndX chain points at (forward only, so a crafted chain cannot loop).
Timing is in-process (time.perf_counter): passes over all messages, repeated
until a run lasts --min-time, best of --runs, but no new run is started
once --budget seconds were spent.  Prints one line:

    impacket_ns=F msgs=N blocks=B errors=E passes=P impacket=VERSION
"""
import argparse
import struct
import sys
import time

from impacket import smb, version

# Commands whose parameter words start with AndXCommand/AndXOffset.
ANDX = {0x24, 0x2D, 0x2E, 0x2F, 0x73, 0x74, 0x75, 0x7E, 0xA2}


def parse(msg):
    """Parse one SMB message; returns the number of blocks."""
    pkt = smb.NewSMBPacket(data=msg)
    cmd = pkt['Command']
    blk = smb.SMBCommand(pkt['Data'][0])
    nblocks = 1
    last = 32
    while cmd in ANDX and blk['WordCount'] >= 2:
        params = blk['Parameters']
        nxt = params[0]
        off = struct.unpack_from('<H', params, 2)[0]
        if nxt == 0xFF or off <= last or off >= len(msg):
            break
        blk = smb.SMBCommand(msg[off:])
        cmd, last = nxt, off
        nblocks += 1
    return nblocks


def one_pass(msgs):
    blocks = errors = 0
    for m in msgs:
        try:
            blocks += parse(m)
        except Exception:  # malformed input: impacket raises
            errors += 1
    return blocks, errors


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('messages')
    ap.add_argument('--min-time', type=float, default=0.5)
    ap.add_argument('--runs', type=int, default=5)
    ap.add_argument('--budget', type=float, default=30.0)
    a = ap.parse_args()

    data = open(a.messages, 'rb').read()
    msgs = []
    off = 0
    while off + 4 <= len(data):
        n = (data[off + 1] << 16) | (data[off + 2] << 8) | data[off + 3]
        msgs.append(data[off + 4:off + 4 + n])
        off += 4 + n
    if not msgs:
        print('impacket_ns=nan msgs=0')
        return 1

    t0 = time.perf_counter()
    blocks, errors = one_pass(msgs)
    first = time.perf_counter() - t0
    best = first
    spent = first
    passes = 1
    reps = max(1, int(a.min_time / first) + 1) if first < a.min_time else 1
    for _ in range(a.runs - 1):
        if spent + first * reps > a.budget:
            break
        t0 = time.perf_counter()
        for _ in range(reps):
            one_pass(msgs)
        t = time.perf_counter() - t0
        spent += t
        passes += reps
        best = min(best, t / reps)
    print('impacket_ns=%.1f msgs=%d blocks=%d errors=%d passes=%d impacket=%s' %
          (best / len(msgs) * 1e9, len(msgs), blocks, errors, passes,
           version.BANNER.split()[1] if hasattr(version, 'BANNER') else '?'))
    return 0


if __name__ == '__main__':
    sys.exit(main())
