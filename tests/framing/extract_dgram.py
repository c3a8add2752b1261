#!/usr/bin/python3
"""NetBIOS datagrams of a capture -> .vec records (format: tests/golden/README.md).

    /usr/bin/python3 tests/framing/extract_dgram.py CAPTURE > OUT.vec

One record per UDP datagram to or from port 138 that tshark dissects as
nbdgm: "msg FRAME c2s HEX" with the UDP payload, then "f NAME VALUE" with
tshark's nbdgm.* fields, the SMB command and the mailslot name of the SMB it
carries (tests/framing/test_dgram.c compares smbwire's decoding with them;
tests/smbdump/dgramcheck.py does the same for smbdump).
"""
import subprocess
import sys

FIELDS = ["frame.number", "udp.payload", "nbdgm.type", "nbdgm.flags", "nbdgm.next",
          "nbdgm.first", "nbdgm.node_type", "nbdgm.dgram_id", "nbdgm.src.ip",
          "nbdgm.src.port", "nbdgm.dgram_len", "nbdgm.pkt_offset", "nbdgm.error_code",
          "nbdgm.source_name", "nbdgm.destination_name", "smb.cmd", "smb.wct",
          "smb.bcc", "mailslot.name", "smb.trans_name", "smb.dc", "smb.data_offset", "mailslot.opcode"]


def records(path):
    cmd = ["tshark", "-r", path, "-Y", "nbdgm", "-T", "fields", "-E", "separator=\t",
           "-E", "occurrence=a", "-E", "aggregator=|"]
    for f in FIELDS:
        cmd += ["-e", f]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    for line in out.splitlines():
        vals = line.split("\t")
        if len(vals) != len(FIELDS):
            continue
        yield dict(zip(FIELDS, vals))


def main():
    path = sys.argv[1]
    ver = subprocess.run(["tshark", "--version"], capture_output=True, text=True).stdout.split("\n")[0]
    print("# NetBIOS datagrams of %s (%s); read by tests/framing/test_dgram.c." % (path.split("/")[-1], ver))
    for r in records(path):
        print("msg %s c2s %s" % (r["frame.number"], r["udp.payload"].replace(":", "")))
        for f in FIELDS[2:]:
            if r[f] != "":
                print("f %s %s" % (f, r[f]))


if __name__ == "__main__":
    main()
