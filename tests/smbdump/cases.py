#!/usr/bin/python3
"""Behaviour cases of smbdump: the command line and capture reading rules,
each on a capture rewritten from one of ours (or no capture at all).

usage: /usr/bin/python3 tests/smbdump/cases.py SMBDUMP TMPDIR GOLDENDIR

GOLDENDIR: tests/golden, whose captures were recorded against test servers
on port 14450: smbclient-anon.pcapng (direct TCP, one connection with its
handshake) and impacket-seed.pcapng (NBT: a session request first).  A
rewritten capture is written with flowtest.py's writer; messages are
compared as flowtest.py does (per connection and direction, frame numbers
and times aside).

  missing-file    a missing file is named once in the error, exit status 1
  port-no-value   --port with no value (at the end, or --port=) says that
                  --port needs a value, exit status 2
  rst-in-flight   the client resets the connection right after its last
                  request; the server's response, sent before the RST
                  arrived, comes after it in the capture: still decoded
                  (tshark decodes it)
  other-port      smbclient-anon without --port: recognised by its bytes
                  (an NBSS session message, then 0xFF 'SMB'), decoded
                  exactly as with --port 14450, nothing on stderr
  other-port-nbt  impacket-seed without --port: recognised at its first
                  session message (the session request and response before
                  it are not shown), the rest as with --port 14450, in
                  NBT framing (the -V tree says which)
  skipped         smbclient-anon cut into 7-byte segments (no segment shows
                  a header): nothing decoded, stderr says one TCP stream
                  was skipped, names its server port and suggests --port;
                  --port 14450 decodes it
  diff-by-bytes   smbclient-anon and a copy of it on port 8445 in one
                  capture, vectors made with tests/golden/extract.py (which
                  has tshark decode 14450, not 8445): diff.py compares the
                  first and counts the second apart (needs tshark)
Prints one line per case; exits 1 on any failure.
"""
import json
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import flowtest  # noqa: E402

FAILS = []


def report(name, ok, why=''):
    print('%s %s%s' % ('ok  ' if ok else 'FAIL', name, '' if ok else ': ' + why))
    if not ok:
        FAILS.append(name)


def run(smbdump, *args):
    r = subprocess.run([smbdump] + list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=120)
    return r.returncode, r.stdout.decode('utf-8', 'replace'), r.stderr.decode('utf-8', 'replace')


def messages(smbdump, path, *args):
    """(stream, dir) -> [JSON objects without frame and ts], and stderr"""
    r = subprocess.run([smbdump, '--json'] + list(args) + [path], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=120)
    out = {}
    for line in r.stdout.decode().split('\n'):
        if line:
            o = json.loads(line)
            if 'nbdgm' in o:  # NetBIOS datagrams: dgramcheck.py
                continue
            o.pop('frame')
            o.pop('ts')
            out.setdefault((o['stream'], o['dir']), []).append(json.dumps(o, sort_keys=True))
    return out, r.stderr.decode('utf-8', 'replace')


def write(tmp, name, pkts):
    path = os.path.join(tmp, name + '.pcap')
    flowtest.write_pcap(path, *flowtest.link_frames('eth', pkts))
    return path


def load(cap):
    pkts = []
    for ts, lt, fr in flowtest.read_capture(cap):
        p = flowtest.parse(fr, lt)
        if p:
            p['ts'] = ts
            pkts.append(p)
    return pkts


def case_cli(smbdump, tmp):
    missing = os.path.join(tmp, 'no-such-capture.pcap')
    rc, _, err = run(smbdump, missing)
    report('missing-file', rc == 1 and err.count(missing) == 1 and 'No such file' in err,
           'exit %d, stderr %r' % (rc, err))
    for args in (['--port'], ['--port='], ['--json', '--port']):
        rc, _, err = run(smbdump, *args)
        report('port-no-value (%s)' % ' '.join(args),
               rc == 2 and '--port needs a value' in err and "bad port ''" not in err,
               'exit %d, stderr %r' % (rc, err))


def case_rst(smbdump, tmp, pkts, server):
    """a client RST between the last request and its response"""
    ref, _ = messages(smbdump, write(tmp, 'rst-ref', pkts), '--port', str(server))
    c2s = [i for i, p in enumerate(pkts) if p['dport'] == server and p['payload']]
    s2c = [i for i, p in enumerate(pkts) if p['sport'] == server and p['payload']]
    last = c2s[-1]
    answer = [i for i in s2c if i > last]
    if not answer:
        report('rst-in-flight', False, 'the capture has no response after the last request')
        return
    req = pkts[last]
    rst = dict(req, seq=(req['seq'] + len(req['payload'])) & 0xFFFFFFFF, flags=0x14, payload=b'')
    # the RST, then the server's response; the client sends nothing more
    out = pkts[:last + 1] + [rst] + [pkts[i] for i in answer]
    got, _ = messages(smbdump, write(tmp, 'rst', out), '--port', str(server))
    ok = got == ref
    report('rst-in-flight', ok, '%d messages s2c, want %d' % (
        sum(len(v) for k, v in got.items() if k[1] == 's2c'),
        sum(len(v) for k, v in ref.items() if k[1] == 's2c')))


def case_other_port(smbdump, tmp, cap, port):
    """direct TCP on a test server's port: recognised by its bytes"""
    ref, _ = messages(smbdump, cap, '--port', str(port))
    got, err = messages(smbdump, cap)
    n, want = sum(map(len, got.values())), sum(map(len, ref.values()))
    report('other-port (%s, --json)' % os.path.basename(cap), want > 0 and got == ref and not err,
           '%d messages, want %d; stderr %r' % (n, want, err))
    rc, out, err = run(smbdump, cap)
    report('other-port (%s, summary lines)' % os.path.basename(cap),
           rc == 0 and out.count('\n') == want and ':%d ' % port in out and not err,
           'exit %d, %d lines, stderr %r' % (rc, out.count('\n'), err))


def case_other_port_nbt(smbdump, tmp, cap, port):
    """NBT: recognised at its first session message, after the session
    request and response"""
    ref, _ = messages(smbdump, cap, '--port', str(port))
    ref = {k: [x for x in v if json.loads(x)['nbss']['type'] == 0] for k, v in ref.items()}
    got, err = messages(smbdump, cap)
    n, want = sum(map(len, got.values())), sum(map(len, ref.values()))
    report('other-port-nbt (%s: from the first session message)' % os.path.basename(cap),
           want > 0 and got == ref and not err, '%d messages, want %d; stderr %r' % (n, want, err))


def case_nbt_framing(smbdump, tmp, cap, port):
    """NBT recognised by its bytes stays NBT, as with --port (the -V tree
    names the framing of every packet)"""
    rc, out, err = run(smbdump, '-V', cap)
    nbt, direct = out.count('[NBT]'), out.count('[direct]')
    report('other-port-nbt (%s: NBT framing, as with --port)' % os.path.basename(cap),
           rc == 0 and nbt > 0 and direct == 0 and not err,
           'exit %d, %d NBT and %d direct packets; stderr %r' % (rc, nbt, direct, err))


def case_skipped(smbdump, tmp, pkts, port):
    """SMB in segments too small to show a header: still skipped, and said"""
    small = []
    for p in pkts:
        data, off = p['payload'], 0
        if not data:
            small.append(p)
            continue
        while off < len(data):
            q = dict(p, seq=(p['seq'] + off) & 0xFFFFFFFF, payload=data[off:off + 7])
            if off + 7 < len(data):
                q['flags'] = p['flags'] & ~0x01
            small.append(q)
            off += 7
    path = write(tmp, 'small-segments', small)
    rc, out, err = run(smbdump, '--json', path)
    report('skipped (said on stderr)',
           rc == 0 and not out and '1 TCP stream with data skipped' in err and
           'server port %d' % port in err and '--port' in err,
           'exit %d, %d lines, stderr %r' % (rc, out.count('\n'), err))
    got, err = messages(smbdump, path, '--port', str(port))
    ref, _ = messages(smbdump, write(tmp, 'small-ref', pkts), '--port', str(port))
    report('skipped (--port %d decodes it)' % port, got == ref and not err,
           '%d messages, want %d; stderr %r' % (sum(map(len, got.values())),
                                                 sum(map(len, ref.values())), err))


def case_diff_by_bytes(smbdump, tmp, pkts, port):
    """diff.py: the messages on a port tshark does not decode are counted
    apart; those on its ports are compared as before"""
    if not shutil.which('tshark'):
        print('skip diff-by-bytes: no tshark')
        return
    other = 8445
    t_end = pkts[-1]['ts'] + 10**9
    copy = []
    for p in pkts:
        q = dict(p, ts=p['ts'] + t_end)
        for a, b in (('sport', 'dport'), ('dport', 'sport')):
            if p[a] == port:
                q[a] = other
                q[b] = p[b] + 1
        copy.append(q)
    path = write(tmp, 'diff-by-bytes', pkts + copy)
    here = os.path.dirname(os.path.abspath(__file__))
    vec = os.path.join(tmp, 'vec')
    os.makedirs(vec, exist_ok=True)
    subprocess.run([sys.executable, os.path.join(here, '..', 'golden', 'extract.py'), '--out', vec, path],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300)
    r = subprocess.run([sys.executable, os.path.join(here, 'diff.py'), smbdump, vec, path],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=300)
    out = r.stdout.decode(errors='replace')
    ok = r.returncode == 0 and 'not compared: ' in out and 'on 1 TCP connections' in out
    report('diff-by-bytes (diff.py counts port %d apart)' % other, ok, out.strip().split('\n')[-2:])


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    smbdump, tmp, golden = sys.argv[1:]
    os.makedirs(tmp, exist_ok=True)
    direct = os.path.join(golden, 'smbclient-anon.pcapng')   # port 14450, direct TCP
    nbt = os.path.join(golden, 'impacket-seed.pcapng')        # port 14450, NBT
    case_cli(smbdump, tmp)
    case_rst(smbdump, tmp, load(direct), 14450)
    case_other_port(smbdump, tmp, direct, 14450)
    case_other_port_nbt(smbdump, tmp, nbt, 14450)
    case_nbt_framing(smbdump, tmp, nbt, 14450)
    case_skipped(smbdump, tmp, load(direct), 14450)
    case_diff_by_bytes(smbdump, tmp, load(direct), 14450)
    print('cases: %s' % ('all passed' if not FAILS else '%d failed' % len(FAILS)))
    sys.exit(1 if FAILS else 0)


if __name__ == '__main__':
    main()
