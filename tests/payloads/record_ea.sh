#!/bin/bash
# Record the real extended-attribute lists that tests/payloads/test_ea.c reads
# (tests/payloads/ea.vec; format in tests/payloads/README.md).
#
#   bash tests/payloads/record_ea.sh            (as root; prints the data file)
#   UPDATE=1 bash tests/payloads/record_ea.sh   (rewrites tests/payloads/ea.vec)
#
# Starts a throwaway smbd (tests/peers/smbd.sh, NT1 only, 127.0.0.1:$PORT) over
# a share in a fresh /tmp directory (ext4/tmpfs with user xattrs: smbd keeps
# each EA as user.NAME; "ea support" is on by default), records everything on
# lo with dumpcap, and drives it with
#   1. impacket (one connection, OEM strings): NT_TRANSACT_CREATE with a
#      FILE_FULL_EA_INFORMATION list, TRANS2_SET_PATH_INFORMATION
#      SMB_INFO_SET_EAS, TRANS2_SET_FILE_INFORMATION level 1015
#      (FileFullEaInformation pass-through), TRANS2_OPEN2 with an SMB_FEA_LIST,
#      TRANS2_QUERY_PATH_INFORMATION SMB_INFO_QUERY_ALL_EAS (a file with EAs,
#      one without, one with a MaxDataCount too small) and
#      SMB_INFO_QUERY_EAS_FROM_LIST (an SMB_GEA_LIST), TRANS2_FIND_FIRST2
#      SMB_INFO_QUERY_EAS_FROM_LIST (an SMB_FEA_LIST inside each entry); then
#      lists smbd accepts or rejects although they are odd: trailing bytes in
#      an FEA or GEA list, an entry after SizeOfListInBytes, a 5-byte empty
#      FEA, a NUL inside a name, a NextEntryOffset inside its entry, an
#      unaligned one, bytes after the last FILE_FULL_EA_INFORMATION entry;
#   2. smbclient (NT1): setea and geteas.
# Then it reassembles the TCP streams, cuts out every SMB message that carries
# an EA list (with the list's offset and length inside the message) and
# prints them as the data file, each with tshark's decode of the same frame
# (smb.ea.*, smb.next_entry_offset) and smbd's status.  Only 127.0.0.1 is
# ever contacted.  Env: PORT (14480), KEEP_WORK=1 keeps the work directory.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
PORT=${PORT:-14480}
PY=/usr/bin/python3
SMBD_SH="$root/tests/peers/smbd.sh"

. "$here/record_common.sh"
rec_init ea dumpcap tshark smbd smbclient setfattr getfattr

# The share must keep user xattrs, or smbd answers STATUS_EAS_NOT_SUPPORTED.
touch "$work/xattr-probe"
setfattr -n user.smbwire -v 1 "$work/xattr-probe" 2>/dev/null \
    || { echo "record_ea.sh: $work does not support user xattrs" >&2; exit 1; }

bash "$SMBD_SH" start "$work/smbd" "$PORT" >/dev/null

rec_client_conf 'client signing = auto'

cat > "$work/client.py" <<'PY'
# The impacket half of record_ea.sh: prints one line per exchange.
import struct
import sys

from impacket.smb import SMB

PORT = int(sys.argv[1])


def fea(flags, name, val):
    return struct.pack('<BBH', flags, len(name), len(val)) + name + b'\0' + val


def fea_list(ents, trailing=b'', size_delta=0):
    body = b''.join(fea(*e) for e in ents) + trailing
    return struct.pack('<I', 4 + len(body) + size_delta) + body


def gea_list(names, trailing=b''):
    body = b''.join(struct.pack('<B', len(n)) + n + b'\0' for n in names) + trailing
    return struct.pack('<I', 4 + len(body)) + body


def full_chain(ents, pad_last=False):
    """FILE_FULL_EA_INFORMATION entries, NextEntryOffset = used size rounded
    up to 4 (MS-FSCC 2.4.15), zero padding; the last unpadded unless asked."""
    out = b''
    for i, (flags, name, val) in enumerate(ents):
        e = struct.pack('<BBH', flags, len(name), len(val)) + name + b'\0' + val
        used = 4 + len(e)
        last = i == len(ents) - 1
        pad = (-used) % 4 if (pad_last or not last) else 0
        out += struct.pack('<I', 0 if last else used + pad) + e + b'\0' * pad
    return out


def oem(name):
    return name.encode() + b'\0'


def status_of(r):
    return struct.unpack_from('<I', r.getData(), 5)[0]


s = SMB('*SMBSERVER', '127.0.0.1', sess_port=PORT)
s.login('smbwire', 'Passw0rd!', 'WORKGROUP')
tid = s.tree_connect_andx('\\\\*SMBSERVER\\share')
max_buffer = s._dialects_parameters['MaxBufferSize']


def trans2(what, sub, params, data=b'', max_data=None):
    # send_trans2() asks for MaxDataCount = the server's MaxBufferSize
    s._dialects_parameters['MaxBufferSize'] = max_data if max_data is not None else max_buffer
    s.send_trans2(tid, sub, b'\x00', params, data)
    s._dialects_parameters['MaxBufferSize'] = max_buffer
    st = status_of(s.recvSMB())
    print('%-60s status 0x%08x' % (what, st))
    return st


def nt_create(what, name, chain):
    # MS-CIFS 2.2.7.1.1: Flags, RootDirectoryFID, DesiredAccess, AllocationSize,
    # ExtFileAttributes, ShareAccess, CreateDisposition (5: overwrite-if),
    # CreateOptions, SecurityDescriptorLength, EALength, NameLength,
    # ImpersonationLevel, SecurityFlags, Name
    params = struct.pack('<IIIQIIIIIIIIB', 0, 0, 0x0012019f, 0, 0x80, 7, 5, 0, 0,
                         len(chain), len(name), 2, 0) + name
    s.send_nt_trans(tid, 1, 69, setup='', param=params, data=chain)
    r = s.recvSMB()
    st = status_of(r)
    print('%-60s status 0x%08x' % (what, st))
    raw = r.getData()
    if st != 0 or raw[32] == 0:
        return None
    po = struct.unpack_from('<I', raw, 33 + 15)[0]
    return struct.unpack_from('<H', raw, po + 2)[0]


fid = nt_create('NT_TRANSACT_CREATE ea-nt.txt, 3 EAs', b'ea-nt.txt',
                full_chain([(0, b'nt.first', b'value one'), (0, b'nt.second', b'\x00\x01\x02'),
                            (0, b'nt.third', b'seventeen bytes!!')]))
trans2('SET_PATH_INFORMATION SMB_INFO_SET_EAS ea-nt.txt, 4 EAs', 6,
       struct.pack('<HI', 2, 0) + oem('ea-nt.txt'),
       fea_list([(0, b'smbwire.author', b'smbwire test'), (0x80, b'Need.EA', b'abc'),
                 (0, b'bin', bytes(range(7))),
                 (0, b'L' * 200, bytes((i * 7) & 0xFF for i in range(300)))]))
trans2('SET_FILE_INFORMATION 1015 (FileFullEaInformation), last padded', 8,
       struct.pack('<HH', fid, 1015),
       full_chain([(0, b'nt.fourth', b'4444'), (0, b'nt.fifth', b'5')], pad_last=True))
trans2('OPEN2 ea-open2.txt with an SMB_FEA_LIST', 0,
       struct.pack('<HHHHIHI10s', 0, 0x42, 0, 0x20, 0, 0x12, 0, b'') + oem('ea-open2.txt'),
       fea_list([(0, b'open2.ea', b'from TRANS2_OPEN2')]))
trans2('QUERY_PATH_INFORMATION SMB_INFO_QUERY_ALL_EAS ea-nt.txt', 5,
       struct.pack('<HI', 4, 0) + oem('ea-nt.txt'))
trans2('QUERY_PATH_INFORMATION SMB_INFO_QUERY_ALL_EAS big.bin (none)', 5,
       struct.pack('<HI', 4, 0) + oem('big.bin'))
trans2('QUERY_PATH_INFORMATION SMB_INFO_QUERY_ALL_EAS, MaxDataCount 64', 5,
       struct.pack('<HI', 4, 0) + oem('ea-nt.txt'), max_data=64)
trans2('QUERY_PATH_INFORMATION SMB_INFO_QUERY_EAS_FROM_LIST', 5,
       struct.pack('<HI', 3, 0) + oem('ea-nt.txt'), gea_list([b'bin', b'nt.first', b'missing']))
trans2('FIND_FIRST2 ea-* SMB_INFO_QUERY_EAS_FROM_LIST', 1,
       struct.pack('<HHHHI', 0x16, 10, 0x0006, 3, 0) + oem('ea-*'),
       gea_list([b'bin', b'nt.first', b'open2.ea']))

# Odd lists: how smbd takes them (the test checks how smbwire does).
trans2('SET_EAS: 3 zero bytes after the last FEA, inside the list', 6,
       struct.pack('<HI', 2, 0) + oem('hello.txt'), fea_list([(0, b'trail', b'x')], b'\0\0\0'))
trans2('SET_EAS: an FEA after SizeOfListInBytes', 6,
       struct.pack('<HI', 2, 0) + oem('hello.txt'),
       fea_list([(0, b'inside', b'x')]) + fea(0, b'outside', b'y'))
trans2('SET_EAS: a last FEA of 5 bytes (empty name and value)', 6,
       struct.pack('<HI', 2, 0) + oem('hello.txt'), fea_list([(0, b'ok5', b'v'), (0, b'', b'')]))
trans2('SET_EAS: a NUL inside a name ("em\\0bed")', 6,
       struct.pack('<HI', 2, 0) + oem('hello.txt'), fea_list([(0, b'em\0bed', b'z')]))
trans2('QUERY_EAS_FROM_LIST: a byte after the last GEA', 5,
       struct.pack('<HI', 3, 0) + oem('hello.txt'), gea_list([b'inside'], b'\x07'))
trans2('QUERY_EAS_FROM_LIST: a last GEA with an empty name', 5,
       struct.pack('<HI', 3, 0) + oem('hello.txt'), gea_list([b'inside', b'']))
trans2('QUERY_ALL_EAS hello.txt', 5, struct.pack('<HI', 4, 0) + oem('hello.txt'))
A = struct.pack('<IBBH', 12, 0, 2, 5) + b'ab\0' + b'Z\0\0\0\0'
B = struct.pack('<BBH', 0, 2, 1) + b'cd\0' + b'w'
nt_create('NT_TRANSACT_CREATE: NextEntryOffset 12 inside a 16-byte entry', b'neo-inside.txt', A + B)
nt_create('NT_TRANSACT_CREATE: NextEntryOffset 13 (unaligned)', b'neo-odd.txt',
          struct.pack('<IBBH', 13, 0, 3, 1) + b'abc\0v' + struct.pack('<IBBH', 0, 0, 2, 1) + b'cd\0w')
nt_create('NT_TRANSACT_CREATE: 7 bytes after the last entry', b'tail.txt',
          struct.pack('<IBBH', 0, 0, 2, 1) + b'cd\0w' + b'\0' * 7)
s.close(tid, fid)
s.logoff()
PY

cat > "$work/extract.py" <<'PY'
# Reassemble the capture and print every EA list as the data file (see record_ea.sh).
import os
import re
import struct
import subprocess
import sys

pcap, port, vec_out, xattrs = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]


def tshark(*args):
    return subprocess.run(['tshark', '-r', pcap, '-d', 'tcp.port==%d,nbss' % port] + list(args), check=True,
                          capture_output=True, text=True).stdout


# TCP payloads per stream and direction, with the frame each byte came from.
streams = {}
for line in tshark('-Y', 'tcp.len > 0', '-T', 'fields', '-e', 'frame.number', '-e', 'tcp.stream',
                   '-e', 'tcp.srcport', '-e', 'tcp.payload').splitlines():
    fr, st, sport, payload = line.split('\t')
    key = (int(st), int(sport) == port)
    buf, frames = streams.setdefault(key, (bytearray(), []))
    frames.append((len(buf), int(fr)))
    buf += bytes.fromhex(payload)


def frame_at(frames, off):
    f = frames[0][1]
    for start, fr in frames:
        if start <= off:
            f = fr
    return f


msgs = []  # (stream, from_server, frame, smb bytes)
for (st, srv), (buf, frames) in streams.items():
    i = 0
    while i + 4 <= len(buf):
        n = struct.unpack('>I', b'\0' + buf[i + 1:i + 4])[0]
        if buf[i] == 0 and buf[i + 4:i + 8] == b'\xffSMB':
            msgs.append((st, srv, frame_at(frames, i + 4 + n - 1), bytes(buf[i + 4:i + 4 + n])))
        i += 4 + n
msgs.sort(key=lambda m: m[2])


def trans(m):
    """(subcommand, params, data, data offset) of a transaction message."""
    cmd, wct = m[4], m[32]
    w = m[33:33 + 2 * wct]
    rsp = m[9] & 0x80
    if cmd == 0x32 and not rsp and wct >= 15:
        pc, po, dc, do = struct.unpack_from('<HHHH', w, 18)
        sub = struct.unpack_from('<H', w, 28)[0]
    elif cmd == 0x32 and rsp and wct >= 10:
        pc, po, _, dc, do = struct.unpack_from('<HHHHH', w, 6)
        sub = None
    elif cmd == 0xA0 and not rsp and wct >= 19:
        pc, po, dc, do = struct.unpack_from('<IIII', w, 19)
        sub = struct.unpack_from('<H', w, 36)[0]
    else:
        return None
    return sub, m[po:po + pc], m[do:do + dc], do


pending = {}
out = []
for st, srv, fr, m in msgs:
    mid = struct.unpack_from('<H', m, 30)[0]
    status = struct.unpack_from('<I', m, 5)[0]
    t = trans(m)
    if t is None:
        continue
    sub, params, data, do = t
    lists = []  # (kind, offset in the message, length, what)
    if not srv:
        pending[(st, mid)] = (m[4], sub, params)
        if m[4] == 0xA0 and sub == 1 and len(params) >= 53:
            sd_len, ea_len = struct.unpack_from('<II', params, 36)
            if ea_len:
                lists.append(('SMBW_EA_FULL', do + sd_len, ea_len, 'NT_TRANSACT_CREATE request ExtendedAttributes'))
        elif m[4] == 0x32 and sub == 6 and struct.unpack_from('<H', params, 0)[0] == 2:
            lists.append(('SMBW_EA_FEA', do, len(data), 'TRANS2_SET_PATH_INFORMATION SMB_INFO_SET_EAS request data'))
        elif m[4] == 0x32 and sub == 0 and data:
            lists.append(('SMBW_EA_FEA', do, len(data), 'TRANS2_OPEN2 request ExtendedAttributeList'))
        elif m[4] == 0x32 and sub == 8 and struct.unpack_from('<H', params, 2)[0] == 1015:
            lists.append(('SMBW_EA_FULL', do, len(data), 'TRANS2_SET_FILE_INFORMATION 1015 request data'))
        elif m[4] == 0x32 and sub == 5 and struct.unpack_from('<H', params, 0)[0] == 3:
            lists.append(('SMBW_EA_GEA', do, len(data), 'TRANS2_QUERY_PATH_INFORMATION SMB_INFO_QUERY_EAS_FROM_LIST request data'))
        elif m[4] == 0x32 and sub == 1 and struct.unpack_from('<H', params, 6)[0] == 3:
            lists.append(('SMBW_EA_GEA', do, len(data), 'TRANS2_FIND_FIRST2 SMB_INFO_QUERY_EAS_FROM_LIST request data'))
    else:
        req = pending.get((st, mid))
        if req is None or status not in (0, 0x80000005):
            pass  # an error response carries no list (0x80000005: STATUS_BUFFER_OVERFLOW does)
        elif req[0] == 0x32 and req[1] == 5 and struct.unpack_from('<H', req[2], 0)[0] in (3, 4):
            lists.append(('SMBW_EA_FEA', do, len(data), 'TRANS2_QUERY_PATH_INFORMATION %s response data' %
                          ('SMB_INFO_QUERY_EAS_FROM_LIST' if req[2][0] == 3 else 'SMB_INFO_QUERY_ALL_EAS')))
        elif req[0] == 0x32 and req[1] == 1:
            # SMB_INFO_QUERY_EAS_FROM_LIST entries (MS-CIFS 2.2.8.1.3) with resume keys:
            # ResumeKey 4, dates 12, FileDataSize 4, AllocationSize 4, Attributes 2,
            # SMB_FEA_LIST, FileNameLength 1, FileName + NUL
            sc = struct.unpack_from('<H', params, 2)[0]
            p = 0
            for k in range(sc):
                lo = p + 26
                size = struct.unpack_from('<I', data, lo)[0]
                lists.append(('SMBW_EA_FEA', do + lo, size, 'TRANS2_FIND_FIRST2 response entry %d ExtendedAttributeList' % k))
                p = lo + size + 1 + data[lo + size] + 1
    out.append((fr, srv, status, m, lists, req if srv else None))


def tshark_ea(fr):
    """tshark's decode of a frame's EA list as "L=size flags:name:length ..."
    (what test_ea.c prints for smbwire's), plus " !malformed" when tshark
    flags the frame; "" when tshark decodes no EA list there."""
    f = tshark('-Y', 'frame.number == %d' % fr, '-T', 'fields', '-E', 'separator=|',
               '-E', 'aggregator=\x1f', '-e', 'smb.ea.list_length', '-e', 'smb.ea.flags',
               '-e', 'smb.ea.data_length', '-e', 'smb.ea.name', '-e', '_ws.malformed',
               '-e', '_ws.expert.message').rstrip('\n').split('|')
    sizes, flags, lens, names = (x.split('\x1f') if x else [] for x in f[:4])
    if not sizes:
        return ''
    out = 'L=%s' % sizes[0]
    for i, fl in enumerate(flags):
        out += ' %02x:%s:%s' % (int(fl, 16), names[i] if i < len(names) else '?',
                                 lens[i] if i < len(lens) else '?')
    if f[4]:
        out += ' !malformed'
    return out


lines = []
lines.append('# Extended-attribute lists inside SMB messages recorded by')
lines.append('# tests/payloads/record_ea.sh (smbd %s, tshark %s); read by' % (
    subprocess.run(['smbd', '-V'], capture_output=True, text=True).stdout.split()[-1],
    subprocess.run(['tshark', '-v'], capture_output=True, text=True).stdout.split()[2]))
lines.append('# tests/payloads/test_ea.c.  Format: README.md here.')
# What smbd stored, as evidence for the odd lists (Samba keeps EA "x" as user.x).
lines.append('# user xattrs smbd stored afterwards (getfattr):')
for line in open(xattrs).read().splitlines():
    lines.append(('#   ' + line).rstrip())
n = 0
for fr, srv, status, m, lists, req in out:
    if not lists:
        continue
    n += 1
    ts = tshark_ea(fr)
    for kind, off, ln, what in lists:
        lines.append('msg %d %s %s' % (fr, 's2c' if srv else 'c2s', m.hex()))
        lines.append('f kind %s' % kind[len('SMBW_EA_'):].lower())
        lines.append('f off %u\nf len %u\nf status 0x%08x\nf what %s' % (off, ln, status, what))
        lines.append('f tshark %s' % (ts if len(lists) == 1 else ''))
block = '\n'.join(lines) + '\n'
if os.environ.get('UPDATE'):
    open(vec_out, 'w').write(block)
    print('updated %s (%d messages)' % (vec_out, n), file=sys.stderr)
else:
    sys.stdout.write(block)
PY

rec_capture_start "$work/ea.pcapng"

( cd "$work" && $PY client.py "$PORT" ) >&2
smbclient -s "$work/client.conf" --option='client min protocol=NT1' --option='client max protocol=NT1' \
    -p "$PORT" //127.0.0.1/share -U 'smbwire%Passw0rd!' \
    -c 'setea ea-open2.txt smbclient.ea "set by smbclient"; geteas ea-open2.txt' >&2

rec_capture_stop

# user.* names only, one file a line (values are in the capture)
( cd "$work/smbd/share" && for f in *; do
      printf '%s: %s\n' "$f" "$(getfattr --absolute-names -m '^user\.' "$f" 2>/dev/null \
          | sed -n 's/^user\.//p' | grep -v '^DOSATTRIB$' | LC_ALL=C sort | cut -c1-40 | tr '\n' ' ')"
  done ) > "$work/xattrs.txt"

$PY "$work/extract.py" "$work/ea.pcapng" "$PORT" "$here/ea.vec" "$work/xattrs.txt"
