#!/usr/bin/env python3
"""Report of tests/bench/callgrind.sh: instructions per message per group.

    cg_report.py WORKDIR REPS ANNOTATE

WORKDIR/{decode,encode}/groups.txt list the groups in dump order (cg.out.1
is the first 'group' line); each cg.out.N was written with
--compress-strings=no --compress-pos=no."""
import collections
import os
import re
import sys

work, reps, annotate = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])


def profile(path):
    """Self and callee-inclusive Ir per function of one callgrind dump."""
    self_ = collections.Counter()
    calls = collections.defaultdict(collections.Counter)
    fn = cfn = None
    pending = False
    total = 0
    for line in open(path, errors='replace'):
        if line.startswith('fn='):
            fn = line[3:].strip()
        elif line.startswith('cfn='):
            cfn = line[4:].strip()
        elif line.startswith('calls='):
            pending = True
        elif line.startswith(('summary:', 'totals:')):
            total = int(line.split()[1])
        elif line[:1].isdigit() or line[:1] in '+-*':
            parts = line.split()
            if len(parts) < 2:
                continue
            if pending:
                calls[fn][cfn] += int(parts[1])
                pending = False
            else:
                self_[fn] += int(parts[1])
    incl = {f: self_[f] + sum(calls[f].values()) for f in set(self_) | set(calls)}
    return {'total': total, 'self': self_, 'incl': incl}


def load(mode):
    groups, order = {}, []
    path = os.path.join(work, mode, 'groups.txt')
    lines = [l.split() for l in open(path) if l.startswith('group ')]
    for k, parts in enumerate(lines, 1):
        name = parts[1]
        kv = dict(p.split('=') for p in parts[2:])
        dump = os.path.join(work, mode, 'cg.out.%d' % k)
        prof = profile(dump) if os.path.exists(dump) else None
        groups[name] = {'msgs': int(kv['msgs']), 'calls': int(kv['calls']), 'prof': prof}
        order.append(name)
    return groups, order


dec, order = load('decode')
par, _ = load('parse') if os.path.exists(os.path.join(work, 'parse', 'groups.txt')) else ({}, [])
typ, _ = load('typed') if os.path.exists(os.path.join(work, 'typed', 'groups.txt')) else ({}, [])
enc, eorder = load('encode')
bld, _ = load('build') if os.path.exists(os.path.join(work, 'build', 'groups.txt')) else ({}, [])
for n in eorder:
    if n not in order:
        order.append(n)


def per(g, name, part=None):
    if name not in g or not g[name]['calls'] or not g[name]['prof']:
        return None
    p = g[name]['prof']
    v = p['total'] if part is None else part(p)
    return v / g[name]['calls']


def fmt(v, w=10):
    return '%*s' % (w, '-') if v is None else '%*.1f' % (w, v)


def label(name):
    kind = name.split(':')[0]
    if kind == 'curve':
        _, data, size = name.split(':')
        return 'READ_ANDX response, %6s B data (%s B)' % (data, size)
    if kind == 'seed':
        return 'seed ' + name[5:].replace('_request', ' request').replace('_response', ' response')
    if kind == 'family':
        return 'family ' + name[7:]
    return name


print('callgrind: instructions per message (Ir), each message run %d times; '
      'decode = bench_decode_msg() (frame, header, iterator, typed), parse = bench_parse_msg() '
      '(smbw_parse(), typed), typed = bench_typed_msg() (smbw_NAME_parse()), '
      'encode = bench_encode_msg(), build = bench_build_msg() (smbw_NAME_build())' % reps)
print('%-44s %7s %10s %10s %10s %10s %10s' % ('group', 'msgs', 'decode', 'parse', 'typed', 'encode', 'build'))
section = None
for name in order:
    if name == '(setup)':
        continue
    kind = name.split(':')[0]
    if kind != section:
        section = kind
        print()
    msgs = dec[name]['msgs'] if name in dec else enc[name]['msgs']
    print('%-44s %7d %s %s %s %s %s' % (label(name), msgs, fmt(per(dec, name)), fmt(per(par, name)),
                                        fmt(per(typ, name)), fmt(per(enc, name)), fmt(per(bld, name))))


def inc(p, *fns):
    return sum(p['incl'].get(f, 0) for f in fns)


def typed(p, suffix):
    return sum(v for f, v in p['incl'].items()
               if f.startswith('smbw_') and (f.endswith(suffix) or f.endswith(suffix + '_')) and f not in
               ('smbw_header_decode', 'smbw_msg_decode', 'smbw_header_encode'))


DPARTS = [('frame', lambda p: inc(p, 'smbw_nbss_frame')),
          ('header', lambda p: inc(p, 'smbw_msg_decode')),
          ('walk', lambda p: inc(p, 'smbw_andx_iter_init', 'smbw_andx_iter_next')),
          ('typed', lambda p: typed(p, '_decode')),
          ('bench', lambda p: BENCH(p, 'bench_decode_msg'))]
EPARTS = [('init', lambda p: inc(p, 'smbw_builder_init')),
          ('blocks', lambda p: typed(p, '_encode') + inc(p, 'smbw_builder_block', 'smbw_builder_raw')),
          ('trailer', lambda p: inc(p, 'smbw_builder_trailer')),
          ('finish', lambda p: inc(p, 'smbw_builder_finish')),
          ('bench', lambda p: p['self'].get('bench_encode_msg', 0))]
seeds = [n for n in order if n.startswith('seed:')]
# The bench's own dispatch: its message function and its switch to the
# typed decoder (decode_typed(), when the compiler keeps it out of line).
BENCH = lambda p, f: p['self'].get(f, 0) + p['self'].get('decode_typed', 0)
DLIB = lambda p: p['total'] - BENCH(p, 'bench_decode_msg')
PLIB = lambda p: p['total'] - BENCH(p, 'bench_parse_msg')
TLIB = lambda p: p['total'] - BENCH(p, 'bench_typed_msg')
ELIB = lambda p: p['total'] - p['self'].get('bench_encode_msg', 0)
BLIB = lambda p: p['total'] - p['self'].get('bench_build_msg', 0)
if seeds:
    print('\nseed messages: where the instructions go (Ir per message; lib = all but the '
          'bench\'s own dispatch code; parts inclusive of their callees)')
    print('%-27s %6s %5s |%s |%5s %5s |%5s %5s |%6s %5s |%s |%6s %5s' % (
        '', 'decode', 'lib', ''.join('%7s' % n for n, _ in DPARTS), 'parse', 'lib',
        'typed', 'lib', 'encode', 'lib', ''.join('%8s' % n for n, _ in EPARTS), 'build', 'lib'))
    for n in seeds:
        print('%-27s %s %s |%s |%s %s |%s %s |%s %s |%s |%s %s' % (
            label(n)[5:], fmt(per(dec, n), 6), fmt(per(dec, n, DLIB), 5),
            ''.join(fmt(per(dec, n, f), 7) for _, f in DPARTS),
            fmt(per(par, n), 5), fmt(per(par, n, PLIB), 5),
            fmt(per(typ, n), 5), fmt(per(typ, n, TLIB), 5),
            fmt(per(enc, n), 6), fmt(per(enc, n, ELIB), 5),
            ''.join(fmt(per(enc, n, f), 8) for _, f in EPARTS),
            fmt(per(bld, n), 6), fmt(per(bld, n, BLIB), 5)))
    sd = [per(dec, n) for n in seeds]
    sl = [per(dec, n, DLIB) for n in seeds]
    spl = [per(par, n, PLIB) for n in seeds]
    st = [per(dec, n, DPARTS[3][1]) for n in seeds]
    se = [per(enc, n) for n in seeds]
    sel = [per(enc, n, ELIB) for n in seeds]
    sb = [per(enc, n, EPARTS[1][1]) for n in seeds]
    if None not in sd + sl + st + se + sel + sb:
        print('seed exchange, largest of the ten: decode %.0f (library %.0f, through smbw_parse() %s, '
              'typed decoder alone %.0f); encode %.0f (library %.0f, typed encoder alone %.0f)' %
              (max(sd), max(sl), '-' if None in spl else '%.0f' % max(spl), max(st), max(se),
               max(sel), max(sb)))

# Allocation: did anything allocate while collecting?
ALLOC = re.compile(r'^(malloc|calloc|realloc|free|mmap|mmap64|brk|sbrk|posix_memalign|__libc_malloc)$')
hits = set()
for mode, g in (('decode', dec), ('encode', enc)):
    for grp in g.values():
        if grp['prof']:
            for f in grp['prof']['incl']:
                if ALLOC.match(f.split('@')[0].split(' ')[0]):
                    hits.add((mode, f))
print('\nallocation inside decode/encode: %s' %
      ('none (no malloc/calloc/realloc/free/mmap/brk executed)' if not hits
       else ', '.join('%s calls %s' % h for h in sorted(hits))))

if annotate > 0:
    for mode, g in (('decode', dec), ('encode', enc)):
        if 'corpus' not in g or not g['corpus']['prof']:
            continue
        p, calls = g['corpus']['prof'], g['corpus']['calls']
        print('\n%s, whole corpus: costliest functions (self Ir per message, share)' % mode)
        for f, v in p['self'].most_common(annotate):
            print('  %8.1f %5.1f%%  %s' % (v / calls, 100.0 * v / max(p['total'], 1), f))
