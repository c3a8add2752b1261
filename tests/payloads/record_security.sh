#!/bin/bash
# Records real security descriptors on the wire for tests/payloads/test_security.c.
#
#   bash tests/payloads/record_security.sh [OUTDIR]      (as root; default OUTDIR
#                                                        /tmp/smbwire-security)
#
# What it does, all inside a private network namespace (unshare -n), so that
# nothing but its own loopback is ever touched and smbd can listen on
# 127.0.0.1:445: smbcacls (Samba 4.17) has no port option and only connects to
# 445 or 139, and the namespace keeps that port away from the host and from
# every other test.
#   1. tests/peers/smbd.sh starts a throwaway smbd (NT1 only) on 127.0.0.1:445;
#      [share] then gets "vfs objects = acl_xattr" (and smbd a SIGHUP), so that
#      smbd keeps NT ACLs as sent instead of only mapping them to POSIX ACLs;
#   2. dumpcap records 'tcp port 445' on lo into OUTDIR/security.pcapng while
#      these clients run (all with client min/max protocol NT1):
#      a. smbclient 'allinfo hello.txt' (NT_TRANSACT_QUERY_SECURITY_DESC);
#      b. smbcacls --numeric hello.txt (query);
#      c. smbclient 'mkdir acldir'; smbcacls on acldir: -a an inheritable ACE
#         (ALLOWED/OI|CI/FULL for S-1-5-32-544), -M it to READ, -a a DENIED ACE,
#         -D it, -C / -G (NT_TRANSACT_SET_SECURITY_DESC with SecurityInformation
#         1 and 2), --query-security-info=1;
#      d. impacket (SMB1, NTLMSSP) on hello.txt: QUERY 0x7 with MaxDataCount 0
#         (STATUS_BUFFER_TOO_SMALL and LengthNeeded), QUERY 0x7, QUERY 0x10
#         (label); SET_SECURITY_DESC of hand-built descriptors:
#         W: the MS-DTYP 2.5.1.4 example (Windows layout: SACL, DACL, owner,
#            group; "O:BAG:BAD:P(A;CIOI;GRGX;;;BU)(A;CIOI;GA;;;BA)
#            (A;CIOI;GA;;;SY)(A;CIOI;GA;;;CO)S:P(AU;FA;GR;;;WD)"), byte for
#            byte, first with SecurityInformation 0xF (refused: the SACL needs
#            SeSecurityPrivilege), then 0x7;
#         O: object ACEs (ACL revision 4; GUIDs in every combination; a
#            SYSTEM_AUDIT_OBJECT in the SACL);
#         C: callback ACEs with conditional-expression ApplicationData,
#            SYSTEM_MANDATORY_LABEL, SYSTEM_RESOURCE_ATTRIBUTE,
#            SYSTEM_SCOPED_POLICY_ID, an owner whose authority is >= 2^32 with 15
#            sub-authorities, parts in the order owner, DACL, SACL, group with a
#            4-byte 0xEE gap;
#         T: a DACL whose AclSize leaves 8 bytes after its last ACE and an ACE
#            whose AceSize leaves 4 bytes after its SID;
#         (each with SecurityInformation 0x7, or 0x4 when smbd refuses the
#         owner, then a QUERY 0x7 of what smbd stored)
#         N: a NULL DACL (SE_DACL_PRESENT, OffsetDacl 0) and E: an empty DACL,
#         each with SecurityInformation 0x4 and followed by a QUERY 0x4;
#   3. tshark writes OUTDIR/security.txt: for every NT_TRANSACT message of
#      function 3 or 6 (and every response to one), the SMB message in hex
#      (NBSS header stripped) and tshark's decode of its security fields
#      (nt.sid, nt.ace.*, nt.acl.*, nt.access_mask, nt.sec_desc.*, smb.nt_qsd,
#      smb.fid, smb.sec_desc_len ...), one "f FIELD v1,v2,..." line each.
# The frame numbers, FIDs and MIDs change from run to run; the descriptors
# do not.
# The records of tests/payloads/security.vec (read by test_security.c) were
# copied from security.txt, each with a line saying what it shows.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
OUT=${1:-/tmp/smbwire-security}
PY=/usr/bin/python3

if [ "${SMBW_SEC_NETNS:-}" != 1 ]; then
    [ "$(id -u)" = 0 ] || { echo "record_security.sh: must run as root" >&2; exit 1; }
    mkdir -p "$OUT"
    OUT=$(cd "$OUT" && pwd)
    exec unshare -n env SMBW_SEC_NETNS=1 bash "$0" "$OUT"
fi

ip link set lo up
work=$OUT/work
rm -rf "$work"
mkdir -p "$work"
PORT=445
USERPASS='smbwire%Passw0rd!'
NT1=(--option='client min protocol=NT1' --option='client max protocol=NT1')

cleanup() {
    [ -n "${dpid:-}" ] && kill "$dpid" 2>/dev/null && wait "$dpid" 2>/dev/null
    bash "$root/tests/peers/smbd.sh" stop "$work/smbd" >/dev/null 2>&1 || true
}
trap cleanup EXIT

bash "$root/tests/peers/smbd.sh" start "$work/smbd" "$PORT" >/dev/null
# Keep NT ACLs as sent (vfs_acl_xattr) rather than mapping them to POSIX ACLs
# only, so that what smbd answers after a SET shows object and callback ACEs
# too; smbd rereads its configuration on SIGHUP.
sed -i 's/^\[share\]$/[share]\n  vfs objects = acl_xattr/' "$work/smbd/smb.conf"
kill -HUP "$(cat "$work/smbd/smbd.launch.pid")"
sleep 1
dumpcap -q -i lo -f "tcp port $PORT" -w "$OUT/security.pcapng" 2>"$work/dumpcap.log" &
dpid=$!
sleep 1.5

run() { echo "+ $*"; "$@" || echo "  (exit $?)"; }
cacls() { run smbcacls "${NT1[@]}" //127.0.0.1/share -U "$USERPASS" "$@"; }

run smbclient //127.0.0.1/share -p "$PORT" -U "$USERPASS" "${NT1[@]}" -c 'allinfo hello.txt'
cacls --numeric hello.txt
run smbclient //127.0.0.1/share -p "$PORT" -U "$USERPASS" "${NT1[@]}" -c 'mkdir acldir'
cacls --numeric acldir -a 'ACL:S-1-5-32-544:ALLOWED/OI|CI/FULL'
cacls --numeric acldir -M 'ACL:S-1-5-32-544:ALLOWED/OI|CI/READ'
cacls --numeric acldir -a 'ACL:S-1-5-32-545:DENIED/0x0/0x00000002'
cacls --numeric acldir -D 'ACL:S-1-5-32-545:DENIED/0x0/0x00000002'
cacls --numeric acldir -C 'S-1-22-1-0'
cacls --numeric acldir -G 'S-1-22-2-0'
cacls --numeric acldir --query-security-info=1

cat > "$work/impacket_sec.py" <<'PY'
"""impacket client half of record_security.sh: QUERY/SET_SECURITY_DESC on hello.txt"""
import struct
import sys
import uuid
from impacket import smb

def sid(text):
    parts = text.split('-')
    auth = int(parts[2], 0)
    subs = [int(x) for x in parts[3:]]
    return struct.pack('<BB', 1, len(subs)) + auth.to_bytes(6, 'big') + \
        b''.join(struct.pack('<I', s) for s in subs)

def guid(text):
    return uuid.UUID(text).bytes_le

def ace(typ, flags, body):
    assert (4 + len(body)) % 4 == 0, (typ, len(body))
    return struct.pack('<BBH', typ, flags, 4 + len(body)) + body

def simple(typ, flags, mask, who, extra=b''):
    return ace(typ, flags, struct.pack('<I', mask) + sid(who) + extra)

def obj(typ, flags, mask, oflags, otype, itype, who, extra=b''):
    body = struct.pack('<II', mask, oflags)
    if otype:
        body += guid(otype)
    if itype:
        body += guid(itype)
    return ace(typ, flags, body + sid(who) + extra)

def acl(rev, aces, slack=0):
    data = b''.join(aces)
    return struct.pack('<BBHHH', rev, 0, 8 + len(data) + slack, len(aces), 0) + data + \
        b'\0' * slack

def u16(s):
    return s.encode('utf-16-le')

def cond(*tokens):
    """'artx' + conditional expression tokens (MS-DTYP 2.4.4.17), zero-padded to 4"""
    b = b'artx' + b''.join(tokens)
    return b + b'\0' * (-len(b) % 4)

def attr(name):       # @User.name (0xf9) as a 4-byte length + UTF-16LE
    return b'\xf9' + struct.pack('<I', len(u16(name))) + u16(name)

def lit(text):        # Unicode string literal (0x10)
    return b'\x10' + struct.pack('<I', len(u16(text))) + u16(text)

def claim(name, value):
    """CLAIM_SECURITY_ATTRIBUTE_RELATIVE_V1 with one string value"""
    n = u16(name) + b'\0\0'
    v = u16(value) + b'\0\0'
    hdr = 20
    body = struct.pack('<IHHII', hdr, 0x0003, 0, 0, 1) + struct.pack('<I', hdr + len(n)) + n + v
    return body + b'\0' * (-len(body) % 4)

def sd(control, parts, order, gap=b''):
    """self-relative descriptor; parts: dict owner/group/sacl/dacl -> bytes (None
    for absent); order: the order they are laid out in, gap after the first"""
    off = {}
    body = b''
    at = 20
    for i, k in enumerate(order):
        if parts.get(k) is None:
            continue
        off[k] = at
        body += parts[k]
        at += len(parts[k])
        if i == 0 and gap:
            body += gap
            at += len(gap)
    return struct.pack('<BBHIIII', 1, 0, control, off.get('owner', 0), off.get('group', 0),
                       off.get('sacl', 0), off.get('dacl', 0)) + body

# MS-DTYP 2.5.1.4, "O:BAG:BAD:P(A;CIOI;GRGX;;;BU)(A;CIOI;GA;;;BA)(A;CIOI;GA;;;SY)
# (A;CIOI;GA;;;CO)S:P(AU;FA;GR;;;WD)" as Windows encodes it
SD_W = bytes.fromhex(
    '010014b090000000a0000000140000003000000002001c000100000002801400'
    '00000080010100000000000100000000020060000400000000031800000000a0'
    '0102000000000005200000002102000000031800000000100102000000000005'
    '2000000020020000000314000000001001010000000000051200000000031400'
    '0000001001010000000000030000000001020000000000052000000020020000'
    '01020000000000052000000020020000'
)
assert len(SD_W) == 176

USER = 'bf967aba-0de6-11d0-a285-00aa003049e2'
GROUP = 'bf967a9c-0de6-11d0-a285-00aa003049e2'
MEMBER = 'bf9679c0-0de6-11d0-a285-00aa003049e2'
DOM = 'S-1-5-21-1004336348-1177238915-682003330'

SD_O = sd(0x8014, {
    'owner': sid('S-1-5-32-544'),
    'group': sid('S-1-5-18'),
    'dacl': acl(4, [
        obj(0x05, 0x02, 0x00000130, 3, USER, GROUP, DOM + '-512'),
        obj(0x06, 0x00, 0x00000100, 1, MEMBER, None, 'S-1-1-0'),
        obj(0x05, 0x0a, 0x00000010, 2, None, USER, 'S-1-5-10'),
        obj(0x05, 0x00, 0x00020094, 0, None, None, 'S-1-5-11'),
        simple(0x00, 0x00, 0x001f01ff, 'S-1-5-18'),
    ]),
    'sacl': acl(4, [
        obj(0x07, 0xc0, 0x00000020, 2, None, GROUP, 'S-1-1-0'),
        simple(0x02, 0x80, 0x001f01ff, 'S-1-1-0'),
    ]),
}, ['sacl', 'dacl', 'owner', 'group'])

BIG_OWNER = 'S-1-0x123456789abc-' + '-'.join(str(4294967295 - i * 1000003) for i in range(15))
SD_C = sd(0x8c14, {
    'owner': sid(BIG_OWNER),
    'group': sid(DOM + '-513'),
    'dacl': acl(4, [
        simple(0x09, 0x00, 0x001200a9, 'S-1-5-32-545',
               cond(attr('department'), lit('Sales'), b'\x80')),
        simple(0x0a, 0x03, 0x00000002, 'S-1-1-0', cond(attr('clearance'), b'\x87')),
        obj(0x0b, 0x00, 0x00000100, 1, USER, None, 'S-1-5-11',
            cond(attr('title'), lit('Boss'), b'\x80')),
        obj(0x0c, 0x00, 0x00000100, 0, None, None, 'S-1-5-7', cond(attr('x'), b'\x87')),
    ]),
    'sacl': acl(4, [
        simple(0x11, 0x00, 0x00000001, 'S-1-16-12288'),
        simple(0x12, 0x00, 0x00000000, 'S-1-1-0', claim('Project', 'Alpha')),
        simple(0x13, 0x00, 0x00000000, 'S-1-17-22-33'),
        simple(0x0d, 0x40, 0x00010000, 'S-1-1-0', cond(attr('y'), b'\x87')),
    ]),
}, ['owner', 'dacl', 'sacl', 'group'], gap=b'\xee' * 4)

SD_T = sd(0x8004, {
    'owner': sid('S-1-22-1-0'),
    'group': sid('S-1-22-2-0'),
    'dacl': acl(2, [
        simple(0x00, 0x00, 0x001f01ff, 'S-1-22-1-0'),
        simple(0x00, 0x00, 0x001200a9, 'S-1-1-0', extra=b'\0' * 4),
    ], slack=8),
}, ['owner', 'group', 'dacl'])

SD_N = sd(0x8004, {'owner': None, 'group': None, 'dacl': None}, [])
SD_E = sd(0x8004, {'dacl': acl(2, [])}, ['dacl'])


def nt_trans(conn, tid, function, params, data=b'', max_data=4096, max_params=16):
    pkt = smb.NewSMBPacket()
    pkt['Tid'] = tid
    cmd = smb.SMBCommand(smb.SMB.SMB_COM_NT_TRANSACT)
    cmd['Parameters'] = smb.SMBNTTransaction_Parameters()
    p = cmd['Parameters']
    p['MaxSetupCount'] = 0
    p['TotalParameterCount'] = len(params)
    p['TotalDataCount'] = len(data)
    p['MaxParameterCount'] = max_params
    p['MaxDataCount'] = max_data
    p['Setup'] = b''
    p['Function'] = function
    cmd['Data'] = smb.SMBNTTransaction_Data()
    off = 32 + 3 + 38
    pad1 = (-off) % 4
    cmd['Data']['Pad1'] = b'\0' * pad1
    off += pad1
    p['ParameterOffset'] = off
    p['ParameterCount'] = len(params)
    off += len(params)
    pad2 = (-off) % 4 if data else 0
    cmd['Data']['Pad2'] = b'\0' * pad2
    off += pad2
    p['DataOffset'] = off if data else 0
    p['DataCount'] = len(data)
    cmd['Data']['NT_Trans_Parameters'] = params
    cmd['Data']['NT_Trans_Data'] = data
    pkt.addCommand(cmd)
    conn.sendSMB(pkt)
    r = conn.recvSMB()
    return struct.unpack_from('<I', r.getData(), 5)[0]   # Status


def main():
    port = int(sys.argv[1])
    conn = smb.SMB('*SMBSERVER', '127.0.0.1', sess_port=port)
    conn.login('smbwire', 'Passw0rd!')
    tid = conn.tree_connect_andx('\\\\127.0.0.1\\SHARE')
    # READ_CONTROL | WRITE_DAC | WRITE_OWNER | FILE_READ_ATTRIBUTES (not
    # ACCESS_SYSTEM_SECURITY: smbwire lacks SeSecurityPrivilege, so a SET that
    # names the SACL is refused, but its request is on the wire all the same)
    fid = conn.nt_create_andx(tid, 'hello.txt', accessMask=0x000e0080)

    def query(info, max_data=4096, label=''):
        st = nt_trans(conn, tid, 6, struct.pack('<HHI', fid, 0, info), max_data=max_data)
        print('  QUERY_SECURITY_DESC 0x%x max %d %s-> 0x%08x' % (info, max_data, label, st))

    def set_sd(name, blob, info):
        st = nt_trans(conn, tid, 3, struct.pack('<HHI', fid, 0, info), blob, max_data=0,
                      max_params=0)
        print('  SET_SECURITY_DESC %s 0x%x (%d bytes) -> 0x%08x' % (name, info, len(blob), st))
        return st

    query(7, max_data=0, label='(too small) ')
    query(7)
    query(0x10)
    set_sd('W', SD_W, 0xf)
    for name, blob in (('W', SD_W), ('O', SD_O), ('C', SD_C), ('T', SD_T)):
        # owner, group and DACL; when smbd cannot take the owner, the DACL alone
        if set_sd(name, blob, 7) != 0:
            set_sd(name, blob, 4)
        query(7)
    set_sd('N', SD_N, 4)
    query(4)
    set_sd('E', SD_E, info=4)
    query(4)
    conn.close(tid, fid)
    conn.logoff()


main()
PY
echo "+ impacket_sec.py"
$PY "$work/impacket_sec.py" "$PORT" || echo "  (exit $?)"

sleep 1
kill "$dpid"
wait "$dpid" 2>/dev/null || true
dpid=
bash "$root/tests/peers/smbd.sh" stop "$work/smbd" >/dev/null 2>&1 || true

# ---- extract: every NT_TRANSACT function 3/6 message and its response
FIELDS='smb.mid smb.flags.response smb.nt_status smb.nt.function smb.fid smb.nt_qsd
smb.sec_desc_len nt.sec_desc.revision nt.sec_desc.type nt.sid nt.sid.revision
nt.sid.num_auth nt.acl.revision nt.acl.size nt.acl.num_aces nt.ace.type nt.ace.flags
nt.ace.size nt.access_mask nt.ace.object.flags nt.ace.object.guid
nt.ace.object.inherited_guid'
$PY - "$OUT/security.pcapng" "$OUT/security.txt" $FIELDS <<'PY'
import subprocess, sys
pcap, out, fields = sys.argv[1], sys.argv[2], sys.argv[3:]
args = ['tshark', '-r', pcap, '-Y', 'smb.cmd == 0xa0', '-T', 'fields', '-E', 'separator=\t',
        '-E', 'occurrence=a', '-E', 'aggregator=,', '-e', 'frame.number', '-e', 'tcp.payload']
for f in fields:
    args += ['-e', f]
rows = subprocess.run(args, check=True, capture_output=True, text=True).stdout.splitlines()
ver = subprocess.run(['tshark', '--version'], capture_output=True, text=True).stdout.splitlines()[0]
with open(out, 'w') as o:
    o.write('# security.pcapng -- recorded by tests/payloads/record_security.sh (%s)\n' % ver)
    o.write('# msg <frame> <c2s|s2c> <SMB message in hex, NBSS header stripped>\n')
    o.write('# f <tshark field> <values, in dissection order>\n')
    pending = set()
    for row in rows:
        col = row.split('\t')
        frame, payload, vals = col[0], bytes.fromhex(col[1].replace(',', '')), col[2:]
        v = dict(zip(fields, vals))
        mid, rsp, func = v['smb.mid'], v['smb.flags.response'] in ('1', 'True'), v['smb.nt.function']
        if not rsp and func in ('3', '6'):
            pending.add(mid)
        elif not (rsp and mid in pending):
            continue
        n = int.from_bytes(payload[1:4], 'big')
        msg = payload[4:4 + n]
        assert len(msg) == n, (frame, len(msg), n)
        o.write('msg %s %s %s\n' % (frame, 's2c' if rsp else 'c2s', msg.hex()))
        for f in fields:
            if v.get(f):
                o.write('f %s %s\n' % (f, v[f]))
print('wrote', out)
PY
echo "capture: $OUT/security.pcapng"
