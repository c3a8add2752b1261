#!/usr/bin/python3
"""The hand-built NETLOGON forms of tests/commands/test_netlogon.c against tshark.

usage: /usr/bin/python3 tests/commands/netlogon_tshark.py TMPDIR

nmbd (a classic PDC) answers only in the NT40 form, so the NT5
(NETLOGON_SAM_LOGON_RESPONSE, MS-ADTS 6.3.1.8) and EX
(NETLOGON_SAM_LOGON_RESPONSE_EX, 6.3.1.9) messages of test_netlogon.c have no
real peer.  This script builds the same bytes (independently, from MS-ADTS),
wraps each in a mailslot TRANSACTION in a NetBIOS datagram, writes a pcap,
and checks that tshark's smb_netlogon.* dissection reads the values the C
test asserts smbwire decodes.  Prints one line per message; exits 1 on a
disagreement, 77 (skip) without tshark.
"""
import os
import shutil
import struct
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "smbdump"))
import flowtest  # noqa: E402


def u(s):
    return s.encode("utf-16-le") + b"\0\0"


def nt5():
    m = b"\x13\x00" + u("\\\\DC") + u("bob") + u("EX") + bytes(range(0xA0, 0xB0)) + bytes(16)
    forest = len(m)
    m += b"\x07example\x03com\x00" + bytes([0xC0, forest]) + b"\x02dc" + bytes([0xC0, forest])
    return m + bytes([7, 2, 0, 192]) + struct.pack("<IIHH", 0x3FD, 0x0B, 0xFFFF, 0xFFFF)


def ex(closest=True):
    m = struct.pack("<HHI", 0x17, 0, 0x33FD) + bytes(range(0x10, 0x20))
    forest = len(m)
    m += b"\x07example\x03com\x00" + bytes([0xC0, forest]) + b"\x02dc" + bytes([0xC0, forest])
    m += b"\x07EXAMPLE\x00" + b"\x02DC\x00" + b"\x00"
    site = len(m)
    m += b"\x17Default-First-Site-Name\x00" + bytes([0xC0, site]) + bytes([16])
    m += bytes([2, 0, 0, 0, 192, 0, 2, 7]) + bytes(8)
    if closest:
        return m + b"\x00" + struct.pack("<IHH", 0x1E, 0xFFFF, 0xFFFF)
    return m + struct.pack("<IHH", 0x0E, 0xFFFF, 0xFFFF)


def nbname(name, suffix):
    raw = name.encode().ljust(15, b" ")[:15] + bytes([suffix])
    return b"\x20" + bytes(b for c in raw for b in (0x41 + (c >> 4), 0x41 + (c & 15))) + b"\x00"


def frame(msg):
    name = b"\\MAILSLOT\\NET\\GETDC600\x00"
    hdr = b"\xffSMB\x25" + bytes(27)
    off = 32 + 1 + 34 + 2 + len(name)
    words = struct.pack("<HHHHBBHIHHHHHBB", 0, len(msg), 0, 0, 0, 0, 0, 0, 0, 0, off, len(msg),
                        off, 3, 0) + struct.pack("<HHH", 1, 1, 2)
    smb = hdr + bytes([17]) + words + struct.pack("<H", len(name) + len(msg)) + name + msg
    body = nbname("SMBWDC", 0) + nbname("SMBWCLIENT", 0) + smb
    dg = struct.pack(">BBH4sHHH", 0x10, 0x02, 1, bytes([192, 0, 2, 7]), 138, len(body), 0) + body
    udp = struct.pack(">HHHH", 138, 138, 8 + len(dg), 0) + dg
    ip = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0, 64, 17, 0,
                     bytes([192, 0, 2, 7]), bytes([192, 0, 2, 2])) + udp
    return bytes(12) + b"\x08\x00" + ip


# what test_netlogon.c asserts smbwire decodes, under tshark's names; and
# the fields tshark 4.0 reads elsewhere, with the reason (not compared)
TAIL = ("smb_netlogon.nt_version", "smb_netlogon.lmnt_token", "smb_netlogon.lm_token")
KNOWN = {
    # packet-smb-logon.c reads 0x13 in the NT40 form only: after
    # UnicodeDomainName it takes DomainGuid's bytes for NtVersion
    "nt5": (TAIL, "tshark 4.0 has no NT5 form of LOGON_SAM_LOGON_RESPONSE"),
    # it reads no NextClosestSiteName (NETLOGON_NT_VERSION_WITH_CLOSEST_SITE)
    "ex": (TAIL, "tshark 4.0 has no NextClosestSiteName"),
}
WANT = [
    ("nt5", nt5(), {"smb_netlogon.command": "0x13", "smb_netlogon.server_name": "\\\\DC",
                    "smb_netlogon.user_name": "bob", "smb_netlogon.domain_name": "EX",
                    "smb_netlogon.nt_version": "11", "smb_netlogon.lmnt_token": "0xffff",
                    "smb_netlogon.lm_token": "0xffff"}),
    ("ex", ex(), {"smb_netlogon.command": "0x17", "smb_netlogon.forest_dns_name": "example.com",
                  "smb_netlogon.domain_dns_name": "example.com",
                  "smb_netlogon.server_dns_name": "dc.example.com",
                  "smb_netlogon.domain_name": "EXAMPLE", "smb_netlogon.server_name": "DC",
                  "smb_netlogon.server_site_name": "Default-First-Site-Name",
                  "smb_netlogon.client_site_name": "Default-First-Site-Name",
                  "smb_netlogon.nt_version": "30", "smb_netlogon.lmnt_token": "0xffff",
                  "smb_netlogon.lm_token": "0xffff"}),
    # the same without WITH_CLOSEST_SITE (NtVersion 0x0E): tshark reads all
    ("ex-ip", ex(False), {"smb_netlogon.command": "0x17",
                          "smb_netlogon.forest_dns_name": "example.com",
                          "smb_netlogon.server_dns_name": "dc.example.com",
                          "smb_netlogon.domain_name": "EXAMPLE", "smb_netlogon.server_name": "DC",
                          "smb_netlogon.client_site_name": "Default-First-Site-Name",
                          "smb_netlogon.server_ip": "192.0.2.7",
                          "smb_netlogon.nt_version": "14", "smb_netlogon.lmnt_token": "0xffff",
                          "smb_netlogon.lm_token": "0xffff"}),
]


def main():
    if not shutil.which("tshark"):
        print("no tshark: skipped")
        return 77
    tmp = sys.argv[1]
    os.makedirs(tmp, exist_ok=True)
    bad = 0
    for name, msg, want in WANT:
        path = os.path.join(tmp, "netlogon-%s.pcap" % name)
        flowtest.write_pcap(path, 1, [(10**9, frame(msg))])
        fields = sorted(want)
        cmd = ["tshark", "-r", path, "-T", "fields", "-E", "separator=\t", "-E", "occurrence=f"]
        for f in fields:
            cmd += ["-e", f]
        out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.rstrip("\n")
        got = dict(zip(fields, out.split("\t")))
        known, why = KNOWN.get(name, ((), ""))
        diff = ["%s: tshark %r, smbwire %r" % (f, got.get(f), want[f]) for f in fields
                if got.get(f) != want[f] and f not in known]
        same = sum(1 for f in fields if got.get(f) == want[f])
        note = " (%d not compared: %s)" % (len(fields) - same, why) if same < len(fields) and not diff else ""
        print("%s %s: %d fields agree%s%s" % ("ok" if not diff else "FAIL", name, same, note,
                                            ("; " + "; ".join(diff)) if diff else ""))
        bad += bool(diff)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
