#!/usr/bin/python3
"""NETLOGON mailslot messages of a capture -> .vec records (format:
tests/golden/README.md).

    /usr/bin/python3 tests/framing/extract_netlogon.py CAPTURE > OUT.vec

One record per datagram tshark dissects as smb_netlogon: "msg FRAME c2s HEX"
with the UDP payload (the NetBIOS datagram), then "f NAME VALUE" with
tshark's smb_netlogon.* fields and the mailslot name
(tests/commands/test_netlogon.c compares smbwire's decoding with them).
"""
import subprocess
import sys

FIELDS = ["frame.number", "udp.payload", "mailslot.name", "smb.dc",
          "smb_netlogon.command", "smb_netlogon.computer_name",
          "smb_netlogon.unicode_computer_name", "smb_netlogon.server_name",
          "smb_netlogon.user_name", "smb_netlogon.domain_name", "smb_netlogon.mailslot_name",
          "smb_netlogon.pdc_name", "smb_netlogon.unicode_pdc_name", "smb_netlogon.nt_version",
          "smb_netlogon.lmnt_token", "smb_netlogon.lm_token", "smb_netlogon.request_count",
          "smb_netlogon.flags", "smb_netlogon.domain_sid_size", "nt.sid",
          "smb_netlogon.forest_dns_name", "smb_netlogon.domain_dns_name",
          "smb_netlogon.server_dns_name", "smb_netlogon.server_site_name",
          "smb_netlogon.client_site_name", "smb_netlogon.server_ip", "smb_netlogon.domain.guid",
          "_ws.malformed"]


def main():
    path = sys.argv[1]
    ver = subprocess.run(["tshark", "--version"], capture_output=True, text=True).stdout.split("\n")[0]
    print("# NETLOGON messages of %s (%s); read by tests/commands/test_netlogon.c."
          % (path.split("/")[-1], ver))
    cmd = ["tshark", "-r", path, "-Y", "smb_netlogon", "-T", "fields", "-E", "separator=\t",
           "-E", "occurrence=a", "-E", "aggregator=|"]
    for f in FIELDS:
        cmd += ["-e", f]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    for line in out.splitlines():
        v = line.split("\t")
        if len(v) != len(FIELDS):
            continue
        r = dict(zip(FIELDS, v))
        print("msg %s c2s %s" % (r["frame.number"], r["udp.payload"].replace(":", "")))
        for f in FIELDS[2:]:
            if r[f] != "":
                print("f %s %s" % (f, r[f]))


if __name__ == "__main__":
    main()
