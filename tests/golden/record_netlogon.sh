#!/bin/bash
# Record NETLOGON mailslot messages (MS-ADTS 6.3.1) between a client built
# here and a real nmbd acting as a classic (NT4-style) PDC, into
# tests/framing/netlogon.pcapng, and extract tests/framing/netlogon.vec from
# it (tests/framing/extract_netlogon.py, with tshark's smb_netlogon.*).
#
#   bash tests/golden/record_netlogon.sh IFACE    (as root; IFACE: a non-loopback
#                                                 interface with an IPv4 address)
#
# nmbd ignores loopback interfaces (see record_dgram.sh), so it runs on
# IFACE, bound to that interface only ("bind interfaces only"), and the
# client sends to IFACE's own address: the packets never leave the host (the
# kernel routes them over lo, where dumpcap listens).  The requests are
# built by the Python program below with struct, from MS-ADTS 6.3.1.4 and
# 6.3.1.6 (independently of smbwire's encoder): LOGON_PRIMARY_QUERY twice
# (the second with an odd-length mailslot name, so a pad byte), and
# LOGON_SAM_LOGON_REQUEST with NtVersion 1, 0x0B and 0x06, a user name, and
# a domain SID (DomainSidSize 24, padded to 4).  The responses are nmbd's
# (Samba 4.17: LOGON_PRIMARY_RESPONSE 0x0C, LOGON_SAM_LOGON_RESPONSE 0x13 in
# the NT40 form: as a classic PDC it answers every NtVersion with it).
# nmbd's own broadcasts on IFACE (name registrations, browser elections)
# stay on UDP 137/138 of IFACE and are not recorded.
# Needs: nmbd, tshark (dumpcap), /usr/bin/python3.
set -eu

iface=${1:?usage: record_netlogon.sh IFACE}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=$root/tests/framing/netlogon.pcapng
py=/usr/bin/python3
me=record_netlogon.sh
. "$here/capture.sh"
[ "$(id -u)" = 0 ] || { echo "record_netlogon.sh: run as root" >&2; exit 1; }
ip=$(ip -4 -o addr show dev "$iface" | awk '{print $4}' | cut -d/ -f1 | head -1)
[ -n "$ip" ] || { echo "record_netlogon.sh: $iface has no IPv4 address" >&2; exit 1; }

capture_work netlogon
nmbd_pid=
stop_peers() { [ -n "$nmbd_pid" ] && kill "$nmbd_pid" 2>/dev/null && wait "$nmbd_pid" 2>/dev/null; }
mkdir -p "$work"/{priv,lock,state,cache,pid,log}
cat > "$work/smb.conf" <<CONF
[global]
workgroup = SMBWTEST
netbios name = SMBWPDC
interfaces = $iface
bind interfaces only = yes
server role = classic primary domain controller
domain logons = yes
domain master = yes
local master = yes
preferred master = yes
os level = 65
passdb backend = tdbsam
private dir = $work/priv
lock directory = $work/lock
state directory = $work/state
cache directory = $work/cache
pid directory = $work/pid
log file = $work/log/%m.log
CONF
nmbd -F --no-process-group -s "$work/smb.conf" --debug-stdout -d 1 >"$work/nmbd.out" 2>&1 &
nmbd_pid=$!
# wait until it has registered the domain's <1C> name
for _ in $(seq 100); do grep -q 'SMBWTEST<1c>' "$work/nmbd.out" 2>/dev/null && break; sleep 0.2; done
sleep 2

capture_start "$work/n.pcapng" "udp port 138 and host $ip"

"$py" - "$ip" <<'PY'
import socket, struct, sys, time

def nbname(name, suffix):
    raw = name.encode().ljust(15, b" ")[:15] + bytes([suffix])
    return b"\x20" + bytes(b for c in raw for b in (0x41 + (c >> 4), 0x41 + (c & 15))) + b"\x00"

def smb_mailslot(mailslot, data, pid=0x4e46, mid=0):
    """SMB_COM_TRANSACTION request writing data to a mailslot (MS-MAIL 2.2.1)."""
    name = mailslot.encode() + b"\x00"
    wct = 17
    hdr = b"\xffSMB" + bytes([0x25]) + b"\x00" * 4 + b"\x00" + struct.pack("<H", 0) \
        + struct.pack("<H", 0) + b"\x00" * 8 + b"\x00\x00" + struct.pack("<HHHH", 0, pid, 0, mid)
    data_off = 32 + 1 + wct * 2 + 2 + len(name)
    words = struct.pack("<HHHHBBHIHHHHHBB", 0, len(data), 0, 0, 0, 0, 0, 0, 0,
                        0, data_off, len(data), data_off, 3, 0)
    words += struct.pack("<HHH", 1, 1, 2)
    body = name + data
    return hdr + bytes([wct]) + words + struct.pack("<H", len(body)) + body

def dgram(dgm_id, dst, data, ip):
    body = nbname("SMBWCLIENT", 0) + dst + data
    return struct.pack(">BBH4sHHH", 0x11, 0x02, dgm_id, socket.inet_aton(ip), 138, len(body), 0) + body

def utf16z(s):
    return s.encode("utf-16-le") + b"\0\0"

ip = sys.argv[1]
pdc, dcs = nbname("SMBWTEST", 0x1B), nbname("SMBWTEST", 0x1C)
slot = "\\MAILSLOT\\NET\\NETLOGON"
pkts = []
# LOGON_PRIMARY_QUERY: ComputerName, MailslotName, pad to even, UnicodeComputerName, NtVersion, tokens
for n, ms in enumerate((b"\\MAILSLOT\\NET\\GETDC576", b"\\MAILSLOT\\NET\\GETDC57")):
    q = struct.pack("<H", 7) + b"SMBWCLIENT\0" + ms + b"\0"
    q += b"\0" * (len(q) % 2)
    q += utf16z("SMBWCLIENT") + struct.pack("<IHH", 0x0B, 0xFFFF, 0xFFFF)
    pkts.append(dgram(0x2001 + n, pdc, smb_mailslot(slot, q), ip))
# LOGON_SAM_LOGON_REQUEST: RequestCount, UnicodeComputerName, UnicodeUserName, MailslotName,
# AllowableAccountControlBits, DomainSidSize, [pad to 4, DomainSid], NtVersion, tokens
sid = struct.pack("<BB6s", 1, 4, (5).to_bytes(6, "big")) + struct.pack("<IIII", 21, 1111, 2222, 3333)
reqs = ((1, "", b""), (0x0B, "", b""), (0x06, "nosuchuser", b""), (0x0B, "root", sid))
for i, (ntv, user, dsid) in enumerate(reqs):
    r = struct.pack("<HH", 0x12, i) + utf16z("SMBWCLIENT") + utf16z(user) \
        + b"\\MAILSLOT\\NET\\GETDC%d\0" % (600 + i) + struct.pack("<II", 0x80, len(dsid))
    if dsid:
        r += b"\0" * (-len(r) % 4) + dsid
    r += struct.pack("<IHH", ntv, 0xFFFF, 0xFFFF)
    pkts.append(dgram(0x2010 + i, dcs, smb_mailslot(slot, r), ip))
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((ip, 0))
for p in pkts:
    s.sendto(p, (ip, 138))
    time.sleep(0.3)
print("sent", len(pkts), "requests")
PY

capture_stop 1
cp "$work/n.pcapng" "$out"
echo "wrote $out ($(stat -c %s "$out") bytes)"
"$py" "$root/tests/framing/extract_netlogon.py" "$out" > "$root/tests/framing/netlogon.vec"
echo "wrote $root/tests/framing/netlogon.vec"
