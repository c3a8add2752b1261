#!/usr/bin/python3
"""NetBIOS datagrams: smbdump --json against tshark, field by field.

usage: /usr/bin/python3 tests/smbdump/dgramcheck.py SMBDUMP CAPTURE...

For every UDP datagram of port 138 that tshark dissects as nbdgm, the
"nbdgm" object of smbdump's JSON line of the same frame is compared with
tshark's nbdgm.* fields (type, flags, next, first, node_type, dgram_id,
src.ip, src.port, dgram_len, pkt_offset, error_code, source_name,
destination_name), and its "smb" object (the SMB message a whole DIRECT or
BROADCAST datagram carries: a TRANSACTION to a mailslot) with tshark's smb.*
header and transaction fields and the mailslot setup words (mailslot.opcode,
.priority, .class) and name, and the NETLOGON message of a \\MAILSLOT\\NET\\
mailslot with tshark's smb_netlogon.* (smbdump's "netlogon" payload: every
field tshark shows).  A fragment (PACKET_OFFSET > 0 or the M flag)
is reassembled by smbdump (tests/smbdump/dgramfrag.py checks that) but not
by tshark, which dissects the first fragment's bytes as an SMB (and calls it
malformed): the smb.* fields of fragments are counted "not compared".  Every datagram tshark shows must
have its smbdump line and the other way round.  Prints one line per capture
and a summary "dgram: N fields agree, M disagree, K not compared"; exits 1 on
any disagreement or missing datagram.
"""
import json
import os
import subprocess
import sys

NBDGM = ["type", "flags", "next", "first", "node_type", "dgram_id", "src.ip", "src.port",
         "dgram_len", "pkt_offset", "error_code", "source_name", "destination_name"]
SMB = ["smb.cmd", "smb.flags", "smb.flags.response", "smb.flags2", "smb.error_class", "smb.error_code",
       "smb.nt_status", "smb.pid", "smb.pid.high", "smb.mid", "smb.tid", "smb.uid", "smb.wct",
       "smb.bcc", "smb.tpc", "smb.tdc", "smb.mpc", "smb.mdc", "smb.msc", "smb.transaction.flags",
       "smb.timeout", "smb.pc", "smb.po", "smb.dc", "smb.data_offset", "smb.sc", "smb.trans_name",
       "mailslot.opcode", "mailslot.priority", "mailslot.class", "mailslot.name"]
# The browser frames smbdump types with the library's records (the payload's
# "wireshark" map says which of its fields is which): every field of them
# that tshark shows is compared, with no code per frame.
BROWSER = ["browser.command", "browser.update_count", "browser.period", "browser.os_major",
           "browser.os_minor", "browser.server_type", "browser.proto_major",
           "browser.proto_minor", "browser.sig", "browser.comment", "browser.unused",
           "browser.response_computer_name", "browser.election.version",
           "browser.election.criteria", "browser.uptime", "browser.server", "browser.backup.count",
           "browser.backup.token", "browser.reset_cmd"]
TEXT = ("browser.comment", "browser.response_computer_name", "browser.server")
# The NETLOGON messages smbdump types with netlogon.h: tshark's
# smb_netlogon.* name -> smbdump's payload.netlogon key (MS-ADTS's names in
# snake case), which differs by opcode where tshark reuses a name.
NETLOGON = {
    "smb_netlogon.command": "opcode",
    "smb_netlogon.computer_name": "computer_name",
    "smb_netlogon.pdc_name": "primary_dc_name",
    "smb_netlogon.unicode_pdc_name": "unicode_primary_dc_name",
    "smb_netlogon.unicode_computer_name": "unicode_computer_name",
    "smb_netlogon.server_name": "unicode_logon_server",
    "smb_netlogon.user_name": "unicode_user_name",
    "smb_netlogon.domain_name": "unicode_domain_name",
    "smb_netlogon.mailslot_name": "mailslot_name",
    "smb_netlogon.nt_version": "nt_version",
    "smb_netlogon.lmnt_token": "lm_nt_token",
    "smb_netlogon.lm_token": "lm20_token",
    "smb_netlogon.request_count": "request_count",
    "smb_netlogon.flags": "allowable_account_control_bits",
    "smb_netlogon.domain_sid_size": "domain_sid_size",
    "nt.sid": "domain_sid_text",
}
TEXT += tuple(k for k in NETLOGON if k.endswith("_name") or k == "nt.sid")


def tshark(cap):
    fields = ["frame.number"] + ["nbdgm." + f for f in NBDGM] + SMB + BROWSER + list(NETLOGON)
    cmd = ["tshark", "-r", cap, "-Y", "nbdgm", "-T", "fields", "-E", "separator=\t",
           "-E", "occurrence=a", "-E", "aggregator=|"]
    for f in fields:
        cmd += ["-e", f]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit("tshark failed on %s: %s" % (cap, r.stderr.strip()))
    out = {}
    for line in r.stdout.splitlines():
        v = line.split("\t")
        if len(v) == len(fields):
            out[int(v[0])] = dict(zip(fields[1:], v[1:]))
    return out


def ours(smbdump, cap):
    r = subprocess.run([smbdump, "--json", "--hex-limit", "0", cap], capture_output=True)
    out = {}
    for line in r.stdout.decode("utf-8", "replace").splitlines():
        o = json.loads(line)
        if "nbdgm" in o or ("sport" in o and "stream" not in o):
            out.setdefault(o["frame"], []).append(o)
    return out


def num(x):
    return str(int(x, 0)) if x not in ("", None) else ""


def b(x):
    return "1" if x else "0"


def want_nbdgm(o):
    """smbdump's values under tshark's names ('' where it has none)"""
    d = o.get("nbdgm", {})
    g = d.get
    v = {"type": g("type"), "flags": g("flags"), "next": g("more"), "first": g("first"),
         "node_type": g("node_type"), "dgram_id": g("id"), "src.ip": g("src_ip"),
         "src.port": g("src_port"), "dgram_len": g("length"), "pkt_offset": g("offset"),
         "error_code": g("error_code"), "source_name": g("source"),
         "destination_name": g("destination")}
    out = {}
    for k, x in v.items():
        if x is None:
            out[k] = ""
        elif isinstance(x, bool):
            out[k] = b(x)
        else:
            out[k] = str(x)
    return out


def want_smb(o):
    s = o.get("smb")
    if not s or "reassembly" in o:
        # a fragment: tshark does not reassemble datagrams, smbdump does
        # (its SMB is on the completing fragment; dgramfrag.py checks it)
        return None
    out = {"smb.cmd": str(s["command"]), "smb.flags": str(s["flags"]),
           "smb.flags.response": b(s["response"]), "smb.flags2": str(s["flags2"]),
           "smb.pid": str(s["pid"] & 0xFFFF), "smb.pid.high": str(s["pid"] >> 16),
           "smb.mid": str(s["mid"]), "smb.tid": str(s["tid"]), "smb.uid": str(s["uid"])}
    if s["flags2"] & 0x4000:
        out["smb.nt_status"] = str(s["status"])
    else:
        out["smb.error_class"] = str(s["status"] & 0xFF)
        out["smb.error_code"] = str(s["status"] >> 16)
    chain = s.get("chain", [])
    if chain:
        blk = chain[0]
        out["smb.wct"] = str(blk["wct"])
        out["smb.bcc"] = str(blk["bcc"])
        f = blk.get("fields", {})
        m = {"smb.tpc": "total_parameter_count", "smb.tdc": "total_data_count",
             "smb.mpc": "max_parameter_count", "smb.mdc": "max_data_count",
             "smb.msc": "max_setup_count", "smb.transaction.flags": "flags",
             "smb.timeout": "timeout", "smb.pc": "parameter_count", "smb.po": "parameter_offset",
             "smb.dc": "data_count", "smb.data_offset": "data_offset", "smb.sc": "setup_count",
             "smb.trans_name": "name", "mailslot.name": "name"}
        for k, n in m.items():
            if n in f:
                out[k] = str(f[n])
        setup = f.get("setup", [])
        for i, k in enumerate(("mailslot.opcode", "mailslot.priority", "mailslot.class")):
            if i < len(setup):
                out[k] = str(setup[i])
    return out


def norm(k, x):
    if x == "":
        return x
    if k in ("source_name", "destination_name", "src.ip", "smb.trans_name", "mailslot.name") + TEXT:
        return x
    try:
        return num(x.split("|")[0]) if "|" in x and k == "smb.cmd" else num(x)
    except ValueError:
        return x


def main():
    smbdump, caps = sys.argv[1], sys.argv[2:]
    agree = disagree = notcmp = 0
    bad = []
    for cap in caps:
        base = os.path.basename(cap)
        ts, us = tshark(cap), ours(smbdump, cap)
        a0, d0, n0 = agree, disagree, notcmp
        for fr in sorted(set(ts) | set(us)):
            if fr not in us:
                bad.append("%s frame %d: tshark shows a datagram, smbdump none" % (base, fr))
                disagree += 1
                continue
            if fr not in ts:
                bad.append("%s frame %d: smbdump shows a datagram, tshark none" % (base, fr))
                disagree += 1
                continue
            t, o = ts[fr], us[fr][0]
            w = want_nbdgm(o)
            for k in NBDGM:
                tv, ov = norm(k, t["nbdgm." + k]), norm(k, w[k])
                if tv == "" and ov == "":
                    continue
                if tv == ov:
                    agree += 1
                else:
                    disagree += 1
                    bad.append("%s frame %d nbdgm.%s: tshark %r, smbdump %r" % (base, fr, k, tv, ov))
            ws = want_smb(o)
            for k in SMB:
                tv = norm(k, t[k])
                if ws is None:
                    if tv != "" or ("reassembly" in o and o.get("smb")):
                        notcmp += 1  # a fragment: read as an SMB by one side only
                    continue
                ov = norm(k, ws.get(k, ""))
                if tv == "" and ov == "":
                    continue
                if tv == "" and k in ("smb.nt_status", "smb.error_class", "smb.error_code"):
                    continue
                if tv == ov:
                    agree += 1
                else:
                    disagree += 1
                    bad.append("%s frame %d %s: tshark %r, smbdump %r" % (base, fr, k, tv, ov))
            # the browser frame, field by field through the payload's map
            rec = o.get("transaction", {}).get("payload", {}).get("data", {})
            for name, k in rec.get("wireshark", {}).items():
                if k not in t or name not in rec.get("fields", {}):
                    continue
                tv, ov = norm(k, t[k]), norm(k, str(rec["fields"][name]))
                if tv == "":
                    notcmp += 1
                elif tv == ov:
                    agree += 1
                else:
                    disagree += 1
                    bad.append("%s frame %d %s: tshark %r, smbdump %r" % (base, fr, k, tv, ov))
            # the NETLOGON message, field by field
            nl = o.get("transaction", {}).get("payload", {}).get("netlogon")
            if t["smb_netlogon.lmnt_token"] == "" and "|" in t["smb_netlogon.lm_token"]:
                # tshark shows a LmNtToken other than 0xFFFF as smb_netlogon.lm_token
                t["smb_netlogon.lmnt_token"], t["smb_netlogon.lm_token"] = \
                    t["smb_netlogon.lm_token"].split("|", 1)
            if nl is not None:
                for k, ok in NETLOGON.items():
                    tv = norm(k, t[k])
                    ov = norm(k, str(nl[ok])) if ok in nl else ""
                    if tv == "" and ov == "":
                        continue
                    if tv == ov:
                        agree += 1
                    else:
                        disagree += 1
                        bad.append("%s frame %d %s: tshark %r, smbdump %r" % (base, fr, k, tv, ov))
            elif t["smb_netlogon.command"] != "" and "reassembly" not in o:
                disagree += 1
                bad.append("%s frame %d: tshark shows a NETLOGON message, smbdump none" % (base, fr))
        print("%s: %d datagrams, %d fields agree, %d disagree, %d not compared"
              % (base, len(ts), agree - a0, disagree - d0, notcmp - n0))
    for x in bad[:50]:
        print("  " + x)
    print("dgram: %d fields agree, %d disagree, %d not compared" % (agree, disagree, notcmp))
    return 1 if disagree else 0


if __name__ == "__main__":
    sys.exit(main())
