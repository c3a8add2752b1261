#!/bin/bash
# Record NetBIOS datagram service packets (RFC 1002 4.4) on loopback into
# tests/framing/dgram-mailslot.pcapng, and extract tests/framing/dgram.vec from it
# (tests/framing/extract_dgram.py, with tshark's nbdgm.* and smb.* fields).
#
#   bash tests/golden/record_dgram.sh     (as root: dumpcap on lo)
#
# Why not nmbd: nmbd 4.17 ignores loopback interfaces (with "interfaces =
# 127.0.0.1/8" it loops on "added interface 127.0.0.1/8" and never starts
# browsing), it binds the fixed ports 137 and 138, and this machine cannot
# create a dummy interface ("ip link add ... type dummy": Unknown device
# type).  So the datagrams are built by the Python program below with
# struct, from RFC 1002 4.4 and MS-BRWS / MS-ADTS (independently of
# smbwire's encoder), and sent from an ephemeral port to 127.0.0.1:138,
# where nothing listens (the ICMP port-unreachable answers are filtered
# out).  Nothing binds a privileged port.  Every packet type is sent:
# DIRECT_UNIQUE, DIRECT_GROUP and BROADCAST carrying mailslot SMBs (browser
# HostAnnouncement, RequestAnnouncement, GetBackupListRequest, a NETLOGON
# SAM LOGON request), a datagram with a NetBIOS scope, two fragments of
# one datagram (F/M flags, PACKET_OFFSET), every source node type,
# DATAGRAM ERROR with its three codes, QUERY REQUEST and the two QUERY
# RESPONSEs.
# Needs: tshark (dumpcap), /usr/bin/python3.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=$root/tests/framing/dgram-mailslot.pcapng
py=/usr/bin/python3
me=record_dgram.sh
. "$here/capture.sh"

capture_need '(apt-get install -y tshark)' dumpcap
[ "$(id -u)" = 0 ] || { echo "record_dgram.sh: run as root (dumpcap on lo)" >&2; exit 1; }

capture_work dgram
capture_start "$work/d.pcapng" 'udp dst port 138'

"$py" - <<'PY'
import socket, struct, time

def nbname(name, suffix, scope=b""):
    """First-level encoded name (RFC 1001 14.1) with scope labels."""
    raw = name.encode().ljust(15, b" ")[:15] + bytes([suffix])
    enc = bytes(b for c in raw for b in (0x41 + (c >> 4), 0x41 + (c & 15)))
    labels = b"".join(bytes([len(l)]) + l for l in scope.split(b".") if l)
    return b"\x20" + enc + labels + b"\x00"

def smb_mailslot(mailslot, data, pid=0x4e46, mid=0):
    """SMB_COM_TRANSACTION request writing data to a mailslot (MS-MAIL 2.2.1)."""
    name = mailslot.encode() + b"\x00"
    wct = 17
    hdr = b"\xffSMB" + bytes([0x25]) + b"\x00" * 4 + b"\x00" + struct.pack("<H", 0) \
        + struct.pack("<H", 0) + b"\x00" * 8 + b"\x00\x00" + struct.pack("<HHHH", 0, pid, 0, mid)
    data_off = 32 + 1 + wct * 2 + 2 + len(name)
    words = struct.pack("<HHHHBBHIHHHHHBB", 0, len(data), 0, 0, 0, 0, 0, 0, 0,
                        0, data_off, len(data), data_off, 3, 0)
    words += struct.pack("<HHH", 1, 1, 2)  # opcode write mailslot, priority 1, class 2
    assert len(words) == wct * 2
    body = name + data
    return hdr + bytes([wct]) + words + struct.pack("<H", len(body)) + body

def host_announcement(server, comment, opcode=1):
    return bytes([opcode, 3]) + struct.pack("<I", 720000) + server.encode().ljust(16, b"\x00") \
        + bytes([6, 1]) + struct.pack("<I", 0x00051003) + bytes([15, 1]) \
        + struct.pack("<H", 0xAA55) + comment.encode() + b"\x00"

def dgram(mtype, flags, dgm_id, src, dst, data, offset=0, src_ip="127.0.0.1", src_port=138):
    body = src + dst + data
    return struct.pack(">BBH4sHHH", mtype, flags, dgm_id, socket.inet_aton(src_ip), src_port,
                       len(body), offset) + body

def short(mtype, flags, dgm_id, tail, src_ip="127.0.0.1", src_port=138):
    return struct.pack(">BBH4sH", mtype, flags, dgm_id, socket.inet_aton(src_ip), src_port) + tail

me = nbname("SMBWIREDG", 0x00)
me20 = nbname("SMBWIREDG", 0x20)
lmb = nbname("SMBWIREWG", 0x1D)
bro = nbname("SMBWIREWG", 0x1E)
msbrowse = b"\x20" + bytes(b for c in b"\x01\x02__MSBROWSE__\x02\x01" for b in (0x41 + (c >> 4), 0x41 + (c & 15))) + b"\x00"
pdc = nbname("SMBWIREWG", 0x1C)

pkts = []
# DIRECT_GROUP, B node, first fragment: HostAnnouncement to the workgroup.
pkts.append(dgram(0x11, 0x02, 0x1001, me20, bro,
                  smb_mailslot("\\MAILSLOT\\BROWSE", host_announcement("SMBWIREDG", "smbwire dgram test"))))
# DIRECT_GROUP: LocalMasterAnnouncement (opcode 15) to the local master browsers.
pkts.append(dgram(0x11, 0x02, 0x1002, me20, lmb,
                  smb_mailslot("\\MAILSLOT\\BROWSE", host_announcement("SMBWIREDG", "", opcode=15))))
# DIRECT_UNIQUE, P node: GetBackupListRequest (opcode 9) to the LMB <1D>.
pkts.append(dgram(0x10, 0x06, 0x1003, me, lmb,
                  smb_mailslot("\\MAILSLOT\\BROWSE", bytes([9, 4]) + struct.pack("<I", 0x12345678))))
# BROADCAST, M node: RequestAnnouncement (opcode 2) to __MSBROWSE__.
pkts.append(dgram(0x12, 0x0A, 0x1004, me, msbrowse,
                  smb_mailslot("\\MAILSLOT\\BROWSE", bytes([2, 0]) + b"SMBWIREDG\x00")))
# DIRECT_GROUP, NBDD: NETLOGON SAM LOGON request (opcode 0x12, MS-ADTS 6.3.1.3) to <1C>.
logon = struct.pack("<HH", 0x12, 0) + "SMBWIREDG".encode("utf-16-le") + b"\x00\x00" \
    + "smbwire".encode("utf-16-le") + b"\x00\x00" + b"\\MAILSLOT\\NET\\GETDC1234\x00" \
    + b"\x00" + struct.pack("<I", 0x80) + struct.pack("<I", 0) + struct.pack("<I", 0x0000000B) \
    + b"\xff\xff\xff\xff"
pkts.append(dgram(0x11, 0x0E, 0x1005, me, pdc, smb_mailslot("\\MAILSLOT\\NET\\NETLOGON", logon)))
# Names with a NetBIOS scope.
pkts.append(dgram(0x10, 0x02, 0x1006, nbname("SMBWIREDG", 0x00, b"smbwire.test"),
                  nbname("PEER", 0x00, b"smbwire.test"),
                  smb_mailslot("\\MAILSLOT\\BROWSE", bytes([2, 0]) + b"SCOPED\x00"))
)
# One datagram in two fragments: first (F, M, offset 0), then the rest (offset 40).
whole = smb_mailslot("\\MAILSLOT\\BROWSE", host_announcement("SMBWIREDG", "fragmented announcement"))
pkts.append(dgram(0x11, 0x03, 0x1007, me20, bro, whole[:40], offset=0))
pkts.append(dgram(0x11, 0x00, 0x1007, me20, bro, whole[40:], offset=40))
# DATAGRAM ERROR with each code.
for i, code in enumerate((0x82, 0x83, 0x84)):
    pkts.append(short(0x13, 0x02, 0x1010 + i, bytes([code])))
# QUERY REQUEST, POSITIVE and NEGATIVE QUERY RESPONSE.
pkts.append(short(0x14, 0x06, 0x1020, lmb))
pkts.append(short(0x15, 0x0E, 0x1020, lmb, src_ip="127.0.0.2"))
pkts.append(short(0x16, 0x0E, 0x1021, nbname("NOSUCHNAME", 0x1D)))

s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for p in pkts:
    s.sendto(p, ("127.0.0.1", 138))
    time.sleep(0.05)
print("sent", len(pkts), "datagrams")
PY

capture_stop 1
cp "$work/d.pcapng" "$out"
echo "wrote $out ($(stat -c %s "$out") bytes)"
"$py" "$root/tests/framing/extract_dgram.py" "$out" > "$root/tests/framing/dgram.vec"
echo "wrote $root/tests/framing/dgram.vec"
