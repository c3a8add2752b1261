#!/usr/bin/python3
"""Transaction reassembly check for smbdump --json.

usage: /usr/bin/python3 tests/smbdump/txcheck.py [--summary] SMBDUMP CAPTURE...

For every CAPTURE, smbdump --json --hex-limit 0 runs (with --port 14450 and
14451, the golden captures' server ports), and:

  1. every "transaction" object (a completed transaction) is rebuilt here,
     independently of the library, from the fragments smbdump showed: the
     parameters and data of each fragment of the same connection, UID, TID,
     PID, MID and direction, laid at their displacements since the primary
     request (or the first response).  The rebuilt bytes must cover the
     totals exactly once and equal the "parameters" and "data" of the
     transaction, and the fragment count must match;
  2. every "transaction_error" names a code and a field;
  3. for the captures listed in EXPECT below (the ones with secondaries,
     and the MS17-010 exploit traces), the transaction errors (frame and
     code), the messages the library refuses to decode, and the frames
     where transactions of several fragments complete are exactly the ones
     expected (see the comments for why each is right).

Captures not given are skipped (../shared may be absent).  --summary prints
what was found instead of checking EXPECT (to write new expectations).
Exits 1 on any failure, 2 on a usage or run error.
"""
import collections
import json
import os
import subprocess
import sys

TRANS = (0x25, 0x26, 0x32, 0x33, 0xA0, 0xA1)
PRIMARY = (0x25, 0x32, 0xA0)
TIMEOUT = int(os.environ.get('SMBDUMP_TIMEOUT', '600'))

# Per capture: 'errors' maps a transaction_error code to the frames where it
# appears (a frame repeats when several of its messages carry one);
# 'decode' maps a frame to the error of a transaction message the library
# refuses to decode; 'multi' lists the frames where a transaction of
# several fragments completes ('multi_min': at least that many, any frames).
EXPECT = {
    # zeek's synthetic secondaries: the primary's WordCount (14) does not
    # cover its SetupCount (2), so the library refuses it (ByteCount read
    # past the message; tests/known-differences.txt); the secondary then has
    # no open transaction: "call out of order" from the reassembler.
    'smb1_transaction_secondary_request': {
        'errors': {'SMBW_E_STATE': [15]},
        'decode': {14: 'SMBW_E_BCC_OVERRUN'},
        'multi': [],
    },
    'smb1_transaction2_secondary_request': {
        'errors': {'SMBW_E_STATE': [16]},
        'decode': {14: 'SMBW_E_BCC_OVERRUN'},
        'multi': [],
    },
    # EternalBlue: the NT_TRANSACT primary (frames 14 and 272, TotalDataCount
    # 66512) has its data overlapping its parameters: the strict decoder
    # refuses it (SMBW_E_TRANS_LAYOUT, listed in tests/known-differences.txt),
    # smbdump decodes it leniently, flagged, and keeps it out of the
    # transaction tracker; the
    # TRANS2_SECONDARY stream that follows with the same MID (the bug:
    # Windows let it continue the NT_TRANSACT) has no transaction to
    # continue, so each of its 16 + 16 fragments is refused as out of order.
    'eternalblue-success-unpatched-win7': {
        'errors': {'SMBW_E_STATE': [16, 20, 21, 23, 25, 27, 29, 31, 33, 35, 37, 39, 41, 43, 45, 163,
                                    274, 278, 279, 281, 283, 285, 287, 289, 291, 293, 295, 297,
                                    299, 301, 303, 446]},
        'decode': {},
        'multi': [],
    },
    # EternalRomance: frame 158, the TRANSACTION_SECONDARY of MID 75 lowers
    # TotalDataCount to 0 and sends 1 byte at displacement 0; frame 165 (MID
    # 16384, PID 10251) lowers it from 21504 to 0 and writes 2 bytes at 21296:
    # both past the total.  Frame 171 completes MID 92 (its total lowered to
    # 0: two fragments); the secondaries of MID 92 after that (175, 179, 183,
    # 189: the exploit replays the completed transaction, and the server
    # answers each time), those of the dropped MID 16384 and all those of MID
    # 0 (the MID the exploit wrote into the server's transaction: no primary
    # on the wire) are out of order.
    'eternalromance-success-2008r2': {
        'errors': {'SMBW_E_STATE': [167, 169, 171, 171, 171, 171, 171, 171, 171, 171, 173, 175, 175,
                                    175, 175, 177, 179, 179, 179, 179, 181, 183, 183, 183, 183,
                                    187, 189, 189, 189, 189, 189, 189, 189, 189, 189, 189, 191,
                                    192, 196, 198],
                   'SMBW_E_TRANS_DISPLACEMENT': [158, 165]},
        'decode': {},
        'multi': [171],
    },
    # EternalChampion: each NT_TRANSACT (RENAME) primary is complete and its
    # NT_TRANSACT_SECONDARY races it in the same TCP segment (38, 63, ...):
    # out of order.  The leak: the second response fragment (50, 79, ...)
    # carries 300 data bytes at DataDisplacement 4280 of a TotalDataCount of
    # 4304.  The TRANSACTION primaries of frames 120-142, 863-887, ... reuse
    # the IDs of transactions still waiting for their secondaries (an interim
    # response was sent): another primary inside an open transaction.
    'eternalchampion': {
        'errors': {'SMBW_E_STATE': [38, 63, 116, 203, 252, 802, 860, 943, 1000, 1070, 1133, 1216,
                                    1240, 1296],
                   'SMBW_E_TRANS_DISPLACEMENT': [50, 79, 214, 823, 954, 1104, 1226, 1269],
                   'SMBW_E_TRANS_MISMATCH': [120, 122, 123, 124, 126, 128, 130, 132, 134, 136,
                                             138, 142, 863, 865, 867, 871, 873, 875, 877, 880,
                                             882, 884, 885, 887, 1006, 1010, 1012, 1014, 1016,
                                             1018, 1020, 1022, 1025, 1029, 1031, 1033, 1136,
                                             1138, 1140, 1142, 1143, 1145, 1147, 1149, 1156,
                                             1158, 1162, 1164, 1300]},
        'decode': {},
        'multi': [],
    },
    # suricata's smb1-data-offset: the same race and leak as EternalChampion
    # (NT_TRANSACT_SECONDARY after complete primaries, response data past
    # the total); frame 257, an NT_TRANSACT_SECONDARY that lowers
    # TotalParameterCount to 0 when the 4 parameter bytes of the primary were
    # received; frame 271, an NT_TRANSACT_SECONDARY continuing an open
    # TRANSACTION (another family: the type confusion of MS17-010).  Frame
    # 156 completes a two-fragment transaction.
    'smb1-data-offset': {
        'errors': {'SMBW_E_STATE': [22, 46, 93, 157, 211, 263, 267, 272, 276, 280, 284, 286, 290,
                                    294, 298, 300, 304, 308, 312, 845, 849],
                   'SMBW_E_TRANS_DISPLACEMENT': [29, 56, 253],
                   'SMBW_E_TRANS_MISMATCH': [271],
                   'SMBW_E_TRANS_TOTAL': [257]},
        'decode': {},
        'multi': [156],
    },
    # Well-behaved multi-fragment transactions: Samba's FIND_FIRST2 /
    # FIND_NEXT2 responses split over several messages, and our golden
    # capture (tests/golden/transactions.txt: requests with secondaries out
    # of order and responses in several parts, in all three families).
    'torture-raw-search': {
        'errors': {},
        'decode': {},
        'multi': [3192, 3196, 7450, 7454],
    },
    'transactions': {
        'errors': {},
        'decode': {},
        'multi_min': 4,
        'families': [0x25, 0x32, 0xA0],
    },
}


def run(smbdump, cap):
    args = [smbdump, '--json', '--hex-limit', '0', '--port', '14450', '--port', '14451', cap]
    r = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=TIMEOUT)
    if r.returncode not in (0, 1):
        raise RuntimeError('smbdump exited with %d: %s' % (r.returncode, r.stderr.decode(errors='replace')[:300]))
    return [o for o in (json.loads(line) for line in r.stdout.decode('utf-8').split('\n') if line)
            if 'nbdgm' not in o]  # NetBIOS datagrams: dgramcheck.py


def rebuild(frags, total_p, total_d):
    """lay the fragments at their displacements: (params, data) or an error"""
    out = []
    for k, total in ((0, total_p), (1, total_d)):
        buf = bytearray(total)
        seen = bytearray(total)
        for f in frags:
            disp, piece = f[k]
            if disp + len(piece) > total:
                return None, 'a fragment runs past the total (%d + %d > %d)' % (disp, len(piece), total)
            for i in range(len(piece)):
                if seen[disp + i]:
                    return None, 'fragments overlap at %d' % (disp + i)
                seen[disp + i] = 1
            buf[disp:disp + len(piece)] = piece
        if not all(seen):
            return None, 'bytes missing (%d of %d received)' % (sum(seen), total)
        out.append(bytes(buf))
    return out, None


def check_capture(base, objs):
    """-> (list of failures, summary dict)"""
    bad = []
    req, rsp = {}, {}              # key -> [((pd, params), (dd, data)), ...]
    errors = collections.defaultdict(list)
    decode = {}
    multi = []
    completed = 0
    for o in objs:
        s = o.get('smb')
        if not s:
            continue
        fr = o['frame']
        last = s['chain'][-1]['command'] if s['chain'] else s['command']
        if 'error' in o and (last in TRANS or s['command'] in TRANS):
            decode[fr] = o['error']['code']
            continue
        if not s['chain'] or last not in TRANS:
            continue
        b = s['chain'][-1]
        key = (o['stream'], s['uid'], s['tid'], s['pid'], s['mid'])
        f = b['fields']
        te = o.get('transaction_error')
        if te:
            errors[te['code']].append(fr)
            if not te.get('field') or not te['code'].startswith('SMBW_E_'):
                bad.append('%s frame %d: transaction_error without code or field: %s' % (base, fr, te))
        rsp_msg = s['response']
        if not rsp_msg:
            frag = ((f.get('parameter_displacement', 0), bytes.fromhex(f['parameters'])),
                    (f.get('data_displacement', 0), bytes.fromhex(f['data'])))
            if b['command'] in PRIMARY:
                req[key] = [frag]
                rsp.pop(key, None)
            else:
                req.setdefault(key, []).append(frag)
            side = req
        else:
            if b['wct'] == 0:
                if s['status'] != 0:           # an error ends the transaction
                    req.pop(key, None)
                    rsp.pop(key, None)
                continue
            req.pop(key, None)                 # answered: the request is over
            frag = ((f['parameter_displacement'], bytes.fromhex(f['parameters'])),
                    (f['data_displacement'], bytes.fromhex(f['data'])))
            rsp.setdefault(key, []).append(frag)
            side = rsp
        if te:
            side.pop(key, None)                # dropped by smbdump
            continue
        t = o.get('transaction')
        if not t:
            continue
        completed += 1
        frags = side.pop(key, [])
        if t['fragments'] > 1:
            multi.append(fr)
        if t['fragments'] != len(frags):
            bad.append('%s frame %d: %d fragments said, %d seen' % (base, fr, t['fragments'], len(frags)))
            continue
        got, why = rebuild(frags, t['parameter_count'], t['data_count'])
        if why:
            bad.append('%s frame %d: %s' % (base, fr, why))
            continue
        if got[0].hex() != t['parameters'] or got[1].hex() != t['data']:
            bad.append('%s frame %d: the reassembled bytes differ from the fragments' % (base, fr))
        if t.get('parameters_truncated') or t.get('data_truncated'):
            bad.append('%s frame %d: truncated with --hex-limit 0' % (base, fr))
    summary = {'completed': completed, 'multi': multi, 'decode': decode,
               'errors': {k: v for k, v in sorted(errors.items())}}
    return bad, summary


def main():
    args = sys.argv[1:]
    summary_only = False
    if args and args[0] == '--summary':
        summary_only = True
        args = args[1:]
    if len(args) < 1:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    smbdump, caps = args[0], args[1:]
    if not os.access(smbdump, os.X_OK):
        print('%s: not an executable' % smbdump, file=sys.stderr)
        sys.exit(2)
    bad = []
    seen = set()
    ncompl = nerr = 0
    for cap in caps:
        base = os.path.splitext(os.path.basename(cap))[0]
        try:
            objs = run(smbdump, cap)
        except (RuntimeError, ValueError, subprocess.TimeoutExpired) as e:
            bad.append('%s: %s' % (base, e))
            continue
        b, summ = check_capture(base, objs)
        bad += b
        ncompl += summ['completed']
        nerr += sum(len(v) for v in summ['errors'].values())
        counts = ', '.join('%s %d' % (k, len(v)) for k, v in summ['errors'].items()) or 'none'
        if summary_only:
            print('%s: %s' % (base, json.dumps(summ)))
            continue
        if summ['completed'] or summ['errors'] or base in EXPECT:
            print('%-40s completed %5d (%d in several fragments), refused: %s'
                  % (base, summ['completed'], len(summ['multi']), counts))
        exp = EXPECT.get(base)
        if not exp:
            continue
        seen.add(base)
        for what in ('errors', 'decode', 'multi'):
            if what in exp and exp[what] != summ[what]:
                bad.append('%s: %s expected %s, got %s' % (base, what, exp[what], summ[what]))
        if 'multi_min' in exp and len(summ['multi']) < exp['multi_min']:
            bad.append('%s: at least %d transactions of several fragments expected, got %d'
                       % (base, exp['multi_min'], len(summ['multi'])))
        if 'families' in exp:
            fams = set()
            for o in objs:
                t = o.get('transaction')
                if t and t['fragments'] > 1:
                    fams.add(t['command'])
            if not set(exp['families']) <= fams:
                bad.append('%s: transactions of several fragments expected in commands %s, got %s'
                           % (base, exp['families'], sorted(fams)))
    if summary_only:
        sys.exit(0)
    for b in bad:
        print('FAIL ' + b)
    print('transactions: %d captures (%d with expectations), %d completed and checked, %d refused, %d failures'
          % (len(caps), len(seen), ncompl, nerr, len(bad)))
    sys.exit(1 if bad else 0)


if __name__ == '__main__':
    main()
