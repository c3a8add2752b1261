#!/usr/bin/python3
"""Read the TRANS2_FIND_FIRST2 / FIND_NEXT2 request/response pairs out of a
capture and print them as tests/payloads/find.vec (format in
tests/payloads/README.md), with tshark's decode of every entry.

  python3 tests/payloads/extract_find.py CAPTURE PORT [SMBD_VERSION] > tests/payloads/find.vec

record_find.sh records the capture and runs this; it also works on a kept
capture (tests/smbdump/captures/payload-find.pcapng, port 14450).
"""
import datetime, re, struct, subprocess, sys
pcap, port = sys.argv[1], int(sys.argv[2])
smbd_version = sys.argv[3] if len(sys.argv) > 3 else 'unknown'
tshark_version = subprocess.run(['tshark', '-v'], capture_output=True, text=True).stdout.split('\n')[0]
tshark_version = tshark_version.replace('TShark (Wireshark) ', '').split(' ')[0]
TS = ['tshark', '-r', pcap, '-d', 'tcp.port==%d,nbss' % port]

def streams():
    out = subprocess.run(TS + ['-T', 'fields', '-e', 'tcp.stream'], capture_output=True, text=True, errors='replace').stdout
    return sorted({int(x) for x in out.split()})

def follow(n):
    out = subprocess.run(TS + ['-q', '-z', 'follow,tcp,raw,%d' % n], capture_output=True, text=True, errors='replace').stdout
    c2s, s2c = bytearray(), bytearray()
    for line in out.split('\n'):
        if not re.fullmatch(r'\t?[0-9a-f]+', line):
            continue
        (s2c if line.startswith('\t') else c2s).extend(bytes.fromhex(line.strip()))
    return bytes(c2s), bytes(s2c)

def messages(b):
    p = 0
    while p + 4 <= len(b):
        n = struct.unpack_from('>I', b, p)[0] & 0x1ffff
        if b[p] == 0 and b[p + 4:p + 8] == b'\xffSMB':
            yield b[p + 4:p + 4 + n]
        p += 4 + n

def trans2(m, rsp):
    wct = m[32]
    w = m[33:33 + 2 * wct]
    if rsp:
        if wct < 10:
            return None
        tpc, tdc, _, pc, po, pd, dc, do, dd, sc = struct.unpack_from('<9HB', w, 0)
        setup = struct.unpack_from('<H', w, 20)[0] if sc else None
    else:
        tpc, tdc, mpc, mdc, msc, _, fl, to, _, pc, po, dc, do, sc = struct.unpack_from('<HHHHBBHIHHHHHB', w, 0)
        setup = struct.unpack_from('<H', w, 28)[0]
        pd = dd = 0
    assert pc == tpc and dc == tdc and pd == 0 and dd == 0, 'fragmented transaction'
    return setup, m[po:po + pc], m[do:do + dc]

pairs = []
for s in streams():
    c2s, s2c = follow(s)
    reqs = {}
    for m in messages(c2s):
        if m[4] == 0x32:
            mid = struct.unpack_from('<H', m, 30)[0]
            reqs[mid] = (struct.unpack_from('<H', m, 10)[0], trans2(m, False))
    for m in messages(s2c):
        mid = struct.unpack_from('<H', m, 30)[0]
        if m[4] != 0x32 or mid not in reqs:
            continue
        f2, (sub, qp, qd) = reqs[mid]
        if sub not in (1, 2):
            continue
        t = trans2(m, True)
        if t is None:
            continue
        pairs.append(dict(stream=s, mid=mid, sub=sub, uni=bool(f2 & 0x8000), qp=qp, qd=qd, rp=t[1], rd=t[2]))

FIELDS = ['tcp.stream', 'smb.mid', 'smb.file', 'smb.file_name_len', 'smb.next_entry_offset',
          'smb.file_index', 'smb.end_of_file', 'smb.alloc_size64', 'smb.data_size', 'smb.alloc_size',
          'smb.file_attribute', 'smb.ea.list_length', 'smb.short_file', 'smb.short_file_name_len',
          'smb.resume', 'smb.index_number', 'smb.create.time', 'smb.access.time',
          'smb.last_write.time', 'smb.change.time', 'smb.create.smb.date', 'smb.create.smb.time',
          'smb.access.smb.date', 'smb.access.smb.time', 'smb.last_write.smb.date',
          'smb.last_write.smb.time', 'smb.search_count', 'smb.end_of_search', 'smb.last_name_offset']
out = subprocess.run(TS + ['-Y', 'smb.trans2.cmd && smb.flags.response == 1', '-T', 'fields',
                           '-E', 'occurrence=a', '-E', 'aggregator=|'] + sum([['-e', f] for f in FIELDS], []),
                     capture_output=True, text=True, errors='replace').stdout
ws = {}
for line in out.split('\n'):
    if not line:
        continue
    v = dict(zip(FIELDS, line.split('\t')))
    ws[(int(v['tcp.stream']), int(v['smb.mid']))] = {k: (x.split('|') if x else []) for k, x in v.items()}

def filetime(s):
    if not s or s.startswith('No time') or s.startswith('Time can'):
        return 0
    m = re.fullmatch(r'(\w+) +(\d+), (\d+) (\d+):(\d+):(\d+)\.(\d+) UTC', s)
    assert m, s
    d = datetime.datetime.strptime('%s %s %s %s:%s:%s' % m.groups()[:6], '%b %d %Y %H:%M:%S')
    unix = int((d - datetime.datetime(1970, 1, 1)).total_seconds())
    return (unix + 11644473600) * 10000000 + int(m.group(7)[:9].ljust(9, '0')) // 100

def num(s):
    return int(s, 0)

ENTRY = [  # (data file field, tshark field at levels 1 and 2, at the others, conversion)
    ('smb.file_name_len', None, None, num), ('smb.next_entry_offset', None, None, num),
    ('smb.file_index', None, None, num), ('size', 'smb.data_size', 'smb.end_of_file', num),
    ('alloc', 'smb.alloc_size', 'smb.alloc_size64', num), ('smb.file_attribute', None, None, num),
    ('smb.ea.list_length', None, None, num), ('smb.short_file_name_len', None, None, num),
    ('smb.resume', None, None, num), ('smb.index_number', None, None, num),
    ('smb.create.time', '', None, filetime), ('smb.access.time', '', None, filetime),
    ('smb.last_write.time', '', None, filetime), ('smb.change.time', '', None, filetime),
    ('smb.create.smb.date', None, None, num), ('smb.create.smb.time', None, None, num),
    ('smb.access.smb.date', None, None, num), ('smb.access.smb.time', None, None, num),
    ('smb.last_write.smb.date', None, None, num), ('smb.last_write.smb.time', None, None, num)]

print('# TRANS2_FIND_FIRST2 / FIND_NEXT2 request/response pairs recorded by')
print('# tests/payloads/record_find.sh (smbd %s on 127.0.0.1, decoded by' % smbd_version)
print('# tshark %s); read by tests/payloads/test_find.c.  Format: README.md here.' % tshark_version)
clients = {}
for i, p in enumerate(pairs):
    who = clients.setdefault(p['stream'], ['smbclient', 'impacket listPath', 'raw client'][min(len(clients), 2)])
    if p['sub'] == 1:
        attrs, count, flags, level, storage = struct.unpack_from('<HHHHI', p['qp'], 0)
    else:
        sid, count, level, key, flags = struct.unpack_from('<HHHIH', p['qp'], 0)
    w = ws.get((p['stream'], p['mid']), {})
    n = struct.unpack_from('<H', p['rp'], 0 if p['sub'] == 2 else 2)[0]
    print('msg %d c2s %s' % (i, p['qp'].hex()))
    print('f what %d: %s' % (i, who))
    print('f sub %d\nf unicode %d\nf level 0x%x\nf flags 0x%x\nf count %d\nf n %d'
          % (p['sub'], int(p['uni']), level, flags, count, n))
    for part in ('qd', 'rp', 'rd'):
        print('f %s %s' % (part, p[part].hex()))
    names = w.get('smb.file', [])
    ents = level != 3 and len(names) == n
    print('f entries %d' % (n if ents else 0))
    if ents:
        std = level in (1, 2)
        col = lambda k: w[k] if len(w.get(k, [])) == n else None
        print('f smb.file %s' % '|'.join(names))
        short = col('smb.short_file')
        print('f smb.short_file %s' % '|'.join(short if short else [''] * n))
        for name, f_std, f_other, conv in ENTRY:
            src = f_std if std and f_std is not None else f_other if not std and f_other else name
            v = col(src) if src else None
            print('f %s %s' % (name, '|'.join(str(conv(v[j])) if v else '0' for j in range(n))))
    last = lambda k: num(w[k][-1]) if w.get(k) else -1
    for k in ('smb.search_count', 'smb.end_of_search', 'smb.last_name_offset'):
        print('f %s %d' % (k, last(k)))
