#!/bin/bash
# Record NETLOGON mailslot messages between a client built here and a real
# Samba AD DC (its "nbt" service only), into tests/framing/netlogon-ad.pcapng,
# and extract tests/framing/netlogon-ad.vec (tests/framing/extract_netlogon.py).
#
#   bash tests/golden/record_netlogon_ad.sh IFACE   (as root; IFACE: a non-loopback
#                                                   interface with an IPv4 address)
#
# The companion of record_netlogon.sh (nmbd, classic PDC, which answers in the
# NT40 form only): an AD DC answers a LOGON_SAM_LOGON_REQUEST in the form its
# NtVersion asks for: NT40 (1), NT5 (3: NETLOGON_SAM_LOGON_RESPONSE with
# GUIDs, compressed DNS names and DcIpAddress), EX (6, 0x0E with the
# DcSockAddr, 0x1E with NextClosestSiteName; 0x17 for a known user, 0x19 for
# an unknown one).  The domain is provisioned into a temporary directory
# (samba-tool domain provision, no DNS backend), samba runs with "server
# services = nbt" bound to IFACE only, and the client sends to IFACE's own
# address, so nothing leaves the host.  The requests are built by the Python
# program below with struct (not smbwire).
# Needs: samba, samba-ad-provision, samba-ad-dc, tshark (dumpcap), /usr/bin/python3.
set -eu

iface=${1:?usage: record_netlogon_ad.sh IFACE}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=$root/tests/framing/netlogon-ad.pcapng
py=/usr/bin/python3
me=record_netlogon_ad.sh
. "$here/capture.sh"
[ "$(id -u)" = 0 ] || { echo "record_netlogon_ad.sh: run as root" >&2; exit 1; }
ip=$(ip -4 -o addr show dev "$iface" | awk '{print $4}' | cut -d/ -f1 | head -1)
[ -n "$ip" ] || { echo "record_netlogon_ad.sh: $iface has no IPv4 address" >&2; exit 1; }

capture_work netlogon-ad
samba_pid=
stop_peers() { [ -n "$samba_pid" ] && kill "$samba_pid" 2>/dev/null && wait "$samba_pid" 2>/dev/null; }
samba-tool domain provision --realm=SMBW.TEST --domain=SMBWAD --server-role=dc \
    --dns-backend=NONE --targetdir="$work" --host-name=smbwdc --adminpass='Passw0rd!x9' \
    --option="interfaces=$iface" --option="bind interfaces only=yes" >"$work/provision.log" 2>&1
samba -i -M single -s "$work/etc/smb.conf" --option="server services=nbt" \
    --debug-stdout -d 1 >"$work/samba.out" 2>&1 &
samba_pid=$!
for _ in $(seq 100); do ss -lun | grep -q "$ip:138 " && break; sleep 0.2; done
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
slot = "\\MAILSLOT\\NET\\NETLOGON"
pkts = []
# LOGON_PRIMARY_QUERY to DOMAIN<1B>
q = struct.pack("<H", 7) + b"SMBWCLIENT\0" + b"\\MAILSLOT\\NET\\GETDC576\0"
q += b"\0" * (len(q) % 2)
q += utf16z("SMBWCLIENT") + struct.pack("<IHH", 0x0B, 0xFFFF, 0xFFFF)
pkts.append(dgram(0x3001, nbname("SMBWAD", 0x1B), smb_mailslot(slot, q), ip))
# LOGON_SAM_LOGON_REQUEST to DOMAIN<1C>: (NtVersion, user)
reqs = ((1, ""), (0x03, ""), (0x06, "Administrator"), (0x06, "nosuchuser"),
        (0x0E, "Administrator"), (0x1E, ""), (0x0B, "Administrator"))
for i, (ntv, user) in enumerate(reqs):
    r = struct.pack("<HH", 0x12, i) + utf16z("SMBWCLIENT") + utf16z(user) \
        + b"\\MAILSLOT\\NET\\GETDC%d\0" % (700 + i) \
        + struct.pack("<II", 0x10 if user else 0x80, 0) + struct.pack("<IHH", ntv, 0xFFFF, 0xFFFF)
    pkts.append(dgram(0x3010 + i, nbname("SMBWAD", 0x1C), smb_mailslot(slot, r), ip))
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
"$py" "$root/tests/framing/extract_netlogon.py" "$out" > "$root/tests/framing/netlogon-ad.vec"
echo "wrote $root/tests/framing/netlogon-ad.vec"
