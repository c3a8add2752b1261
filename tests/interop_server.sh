#!/bin/bash
# Interop: Samba's smbclient (NT1) against smbwire-server on 127.0.0.1 at a
# random high port, with extended security (SPNEGO/NTLMSSP, smbclient's
# default) and without it (client use spnego=no): ls, get, put, mkdir,
# rmdir, rm, rename, allinfo and volume as a user (NTLMv2, and NTLMv1), as
# guest, with signing off and required; files of 0, 1, 65536 bytes and
# 10 MiB (CAP_LARGE_READX/WRITEX); a wrong password, a missing share, a
# read-only share; '..' and symlink escapes refused; a garbage connection
# does not disturb a good one; 16 concurrent clients; an NBSS session
# request; impacket with and without extended security, signed too, and a
# tampered signature refused; every command code answered; LOCKING_ANDX;
# mutated SPNEGO/NTLMSSP blobs; the NTLMSSP MIC; the idle timeout.
# usage: interop_server.sh path/to/smbwire-server   (skips with 77 without smbclient)
set -u
server=$1
command -v smbclient >/dev/null 2>&1 || { echo "smbclient not installed: skipped"; exit 77; }
dir=$(mktemp -d /tmp/smbwire-srv.XXXXXX)
port=$((20000 + RANDOM % 20000))
pass=0 fail=0 pid=
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  rm -rf "$dir"
}
trap cleanup EXIT
ok() { echo "ok   $*"; pass=$((pass + 1)); }
bad() { echo "FAIL $*"; fail=$((fail + 1)); }

share=$dir/share ro=$dir/ro
mkdir -p "$share/sub" "$ro" "$dir/outside"
echo "hello from smbwire-server" > "$share/hello.txt"
: > "$share/empty.txt"
head -c 1 /dev/urandom > "$share/one.bin"
head -c 65536 /dev/urandom > "$share/64k.bin"
head -c 10485760 /dev/urandom > "$share/big.bin"
echo secret > "$dir/outside/secret.txt"
ln -s "$dir/outside" "$share/escape"
ln -s "$dir/outside/secret.txt" "$share/secret-link.txt"
echo "read only" > "$ro/ro.txt"

start() { # extra server args...
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  "$server" --listen "127.0.0.1:$port" --share "share=$share" --share "ro=$ro" \
    --user 'alice:Passw0rd!' "$@" 2>> "$dir/server.log" &
  pid=$!
  for _ in $(seq 50); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "server did not start"; cat "$dir/server.log"; exit 1
}

# SPNEGO=1: smbclient's default, extended security; SPNEGO=0: the plain
# NT LM 0.12 challenge/response.
NT1=(--option='client min protocol=NT1' --option='client max protocol=NT1')
NOSPNEGO=(--option='client use spnego=no')
SPNEGO=0
smb() { # share user-args... -- commands
  local sh=$1; shift
  local args=()
  while [ "$1" != "--" ]; do args+=("$1"); shift; done
  shift
  [ "$SPNEGO" = 1 ] || args+=("${NOSPNEGO[@]}")
  timeout 30 smbclient "//127.0.0.1/$sh" -p "$port" "${NT1[@]}" "${args[@]}" -c "$1" \
    > "$dir/out" 2>&1
}

# The whole list of operations with one set of credentials.
suite() { # label args...
  local label=$1; shift
  local d=$dir/dl; rm -rf "$d"; mkdir -p "$d"
  local f
  if smb share "$@" -- "ls" && grep -q "hello.txt" "$dir/out" && grep -q "big.bin" "$dir/out" &&
     grep -q "blocks available" "$dir/out"; then ok "$label: ls"; else bad "$label: ls: $(tail -2 "$dir/out")"; fi
  for f in empty.txt one.bin 64k.bin big.bin; do
    if smb share "$@" -- "get $f $d/$f" && cmp -s "$d/$f" "$share/$f"; then
      ok "$label: get $f ($(stat -c %s "$d/$f") bytes)"
    else bad "$label: get $f: $(tail -2 "$dir/out")"; fi
  done
  for f in empty.txt one.bin 64k.bin big.bin; do
    if smb share "$@" -- "put $share/$f up-$f" && cmp -s "$share/up-$f" "$share/$f"; then
      ok "$label: put $f"
    else bad "$label: put $f: $(tail -2 "$dir/out")"; fi
    rm -f "$share/up-$f"
  done
  if smb share "$@" -- "mkdir newdir" && [ -d "$share/newdir" ]; then ok "$label: mkdir"; else bad "$label: mkdir: $(tail -2 "$dir/out")"; fi
  if smb share "$@" -- "rmdir newdir" && [ ! -e "$share/newdir" ]; then ok "$label: rmdir"; else bad "$label: rmdir: $(tail -2 "$dir/out")"; fi
  cp "$share/hello.txt" "$share/tmp.txt"
  if smb share "$@" -- "rename tmp.txt moved.txt" && [ -f "$share/moved.txt" ] && [ ! -e "$share/tmp.txt" ] &&
     cmp -s "$share/moved.txt" "$share/hello.txt"; then ok "$label: rename"; else bad "$label: rename: $(tail -2 "$dir/out")"; fi
  if smb share "$@" -- "rm moved.txt" && [ ! -e "$share/moved.txt" ]; then ok "$label: rm"; else bad "$label: rm: $(tail -2 "$dir/out")"; fi
  if smb share "$@" -- "allinfo hello.txt" && grep -q "write_time" "$dir/out" && grep -q 'stream: \[::\$DATA\], 26 bytes' "$dir/out"; then
    ok "$label: allinfo"; else bad "$label: allinfo: $(tail -3 "$dir/out")"; fi
  if smb share "$@" -- "volume" && grep -q "Volume: |share|" "$dir/out"; then ok "$label: volume"; else bad "$label: volume: $(tail -2 "$dir/out")"; fi
  rm -rf "$d"
}

# ls, get and put of the 10 MiB file only.
quick() { # label args...
  local label=$1; shift
  if smb share "$@" -- "ls" && grep -q "big.bin" "$dir/out"; then ok "$label: ls"; else bad "$label: ls: $(tail -2 "$dir/out")"; fi
  if smb share "$@" -- "get big.bin $dir/q.bin" && cmp -s "$dir/q.bin" "$share/big.bin"; then
    ok "$label: get big.bin"; else bad "$label: get big.bin: $(tail -2 "$dir/out")"; fi
  if smb share "$@" -- "put $share/big.bin up-q.bin" && cmp -s "$share/up-q.bin" "$share/big.bin"; then
    ok "$label: put big.bin"; else bad "$label: put big.bin: $(tail -2 "$dir/out")"; fi
  rm -f "$dir/q.bin" "$share/up-q.bin"
}
# The server log says how each logon went: "(NTLMSSP, NTLMv2, ...)".
logged() { # label pattern
  if tail -n +"$logmark" "$dir/server.log" | grep -q "$2"; then ok "$1"; else bad "$1: $(tail -3 "$dir/server.log")"; fi
}
mark() { logmark=$(($(wc -l < "$dir/server.log") + 1)); }

start --guest
for SPNEGO in 1 0; do
  m=$([ $SPNEGO = 1 ] && echo "SPNEGO" || echo "no SPNEGO")
  mark
  suite "NTLMv2, $m" -U 'alice%Passw0rd!'
  if [ $SPNEGO = 1 ]; then logged "NTLMv2, $m: logged on through NTLMSSP" "logon: alice (NTLMSSP, NTLMv2"
  else logged "NTLMv2, $m: logged on without NTLMSSP" "logon: alice (NTLMv2)"; fi
  if tail -n +"$logmark" "$dir/server.log" | grep -q "signing active"; then bad "NTLMv2, $m: signed though nobody asked"
  else ok "NTLMv2, $m: unsigned"; fi
  mark
  quick "NTLMv1, $m" -U 'alice%Passw0rd!' --option='client ntlmv2 auth=no'
  logged "NTLMv1, $m: logged on with NTLMv1" "logon: alice (.*NTLMv1[,)]"
  quick "guest, $m" -N
done
SPNEGO=0

# Error statuses, both ways.
for SPNEGO in 1 0; do
  m=$([ $SPNEGO = 1 ] && echo "SPNEGO" || echo "no SPNEGO")
  if ! smb share -U 'alice%wrong' -- "ls" && grep -q "NT_STATUS_LOGON_FAILURE" "$dir/out"; then
    ok "wrong password ($m): NT_STATUS_LOGON_FAILURE"; else bad "wrong password ($m): $(tail -2 "$dir/out")"; fi
  if ! smb nosuch -U 'alice%Passw0rd!' -- "ls" && grep -q "NT_STATUS_BAD_NETWORK_NAME" "$dir/out"; then
    ok "missing share ($m): NT_STATUS_BAD_NETWORK_NAME"; else bad "missing share ($m): $(tail -2 "$dir/out")"; fi
  if smb share -U 'alice%Passw0rd!' -- "get nosuch.txt $dir/x" ; grep -q "NT_STATUS_OBJECT_NAME_NOT_FOUND" "$dir/out"; then
    ok "missing file ($m): NT_STATUS_OBJECT_NAME_NOT_FOUND"; else bad "missing file ($m): $(tail -2 "$dir/out")"; fi
done
SPNEGO=0

# Escapes: '..' in a path, a symlink to a directory outside, a symlink to a file outside.
smb share -U 'alice%Passw0rd!' -- "get ..\\outside\\secret.txt $dir/esc1"
if [ ! -s "$dir/esc1" ]; then ok "'..' refused: $(grep -o 'NT_STATUS_[A-Z_]*' "$dir/out" | head -1)"; else bad "'..' escaped"; fi
smb share -U 'alice%Passw0rd!' -- "get escape\\secret.txt $dir/esc2"
if [ ! -s "$dir/esc2" ]; then ok "symlinked directory refused: $(grep -o 'NT_STATUS_[A-Z_]*' "$dir/out" | head -1)"; else bad "symlinked directory escaped"; fi
smb share -U 'alice%Passw0rd!' -- "get secret-link.txt $dir/esc3"
if [ ! -s "$dir/esc3" ]; then ok "symlinked file refused: $(grep -o 'NT_STATUS_[A-Z_]*' "$dir/out" | head -1)"; else bad "symlinked file escaped"; fi
smb share -U 'alice%Passw0rd!' -- "put $share/hello.txt escape\\planted.txt"
if [ ! -e "$dir/outside/planted.txt" ]; then ok "write through a symlink refused"; else bad "write through a symlink escaped"; fi

# A garbage connection next to a good one: the good one finishes, the
# server logs the bad one with the library's error and keeps serving.
exec 4<>"/dev/tcp/127.0.0.1/$port"
# a whole 40-byte NBSS packet whose SMB header is not one (0xFE 'SMB')
printf '\x00\x00\x00\x28\xfeSMBgarbage-garbage-garbage-garbage-!!!!' >&4
smb share -U 'alice%Passw0rd!' -- "get big.bin $dir/conc"
good=$?
exec 4>&-
if [ $good = 0 ] && cmp -s "$dir/conc" "$share/big.bin" && grep -q "SMBW_E_" "$dir/server.log" &&
   kill -0 "$pid" 2>/dev/null; then
  ok "garbage connection closed alone: $(grep -o 'SMBW_E_[A-Z_]*[^;]*' "$dir/server.log" | tail -1)"
else bad "garbage connection: rc=$good, log: $(tail -2 "$dir/server.log")"; fi
# An unimplemented command gets an error status, not a closed connection:
# allinfo's NT_TRANSACT (FSCTL_SRV_ENUMERATE_SNAPSHOTS) did, and the
# allinfo runs above went on to print the streams after it.
if grep -q "NT_TRANSACT: STATUS_NOT_IMPLEMENTED" "$dir/server.log"; then
  ok "unimplemented NT_TRANSACT answered STATUS_NOT_IMPLEMENTED"; else bad "no NOT_IMPLEMENTED answer seen"; fi

# Sixteen clients at once, each a get and a put of 1 MB: nothing lost or
# mixed up; the server's RSS is reported.
conc=$dir/conc.d; mkdir -p "$conc"
pids=()
for i in $(seq 16); do
  timeout 60 smbclient //127.0.0.1/share -p "$port" "${NT1[@]}" -U 'alice%Passw0rd!' \
    -c "get big.bin $conc/get$i; put $share/64k.bin c$i.bin" > "$conc/log$i" 2>&1 &
  pids+=($!)
done
cfail=0
for p in "${pids[@]}"; do wait "$p" || cfail=$((cfail + 1)); done
for i in $(seq 16); do
  cmp -s "$conc/get$i" "$share/big.bin" && cmp -s "$share/c$i.bin" "$share/64k.bin" || cfail=$((cfail + 1))
  rm -f "$share/c$i.bin"
done
rss=$(awk '/VmHWM/ {print $2 " " $3}' "/proc/$pid/status" 2>/dev/null)
if [ $cfail = 0 ]; then ok "16 concurrent clients (SPNEGO): get 10 MiB + put 64 KiB each, contents identical (server peak RSS $rss)"
else bad "concurrent clients: $cfail failures"; fi
rm -rf "$conc"

# Read-only server.
start --read-only
for SPNEGO in 1 0; do
  if ! smb share -U 'alice%Passw0rd!' -- "put $share/hello.txt ro-put.txt" && grep -q "NT_STATUS_ACCESS_DENIED" "$dir/out" &&
     [ ! -e "$share/ro-put.txt" ]; then ok "read-only: put denied (SPNEGO=$SPNEGO)"; else bad "read-only put: $(tail -2 "$dir/out")"; fi
done
SPNEGO=0
if ! smb share -U 'alice%Passw0rd!' -- "mkdir rodir" ; grep -q "NT_STATUS_ACCESS_DENIED" "$dir/out" && [ ! -e "$share/rodir" ]; then
  ok "read-only: mkdir denied"; else bad "read-only mkdir: $(tail -2 "$dir/out")"; fi
if smb ro -U 'alice%Passw0rd!' -- "get ro.txt $dir/ro.out" && cmp -s "$dir/ro.out" "$ro/ro.txt"; then
  ok "read-only: get works"; else bad "read-only get: $(tail -2 "$dir/out")"; fi
if ! smb share -N -- "ls" && grep -q "NT_STATUS_LOGON_FAILURE" "$dir/out"; then
  ok "no --guest: anonymous refused"; else bad "no --guest: $(tail -2 "$dir/out")"; fi

# Signing required, NTLMv2 and NTLMv1.
start --signing required
for SPNEGO in 1 0; do
  m=$([ $SPNEGO = 1 ] && echo "SPNEGO" || echo "no SPNEGO")
  mark
  suite "signed NTLMv2, $m" -U 'alice%Passw0rd!' --option='client signing=required'
  logged "signed NTLMv2, $m: server log says signing active" "signing active"
  [ $SPNEGO = 1 ] && logged "signed NTLMv2, $m: key exchange, AUTHENTICATE MIC and mechListMIC checked" "key exchange, MIC, mechListMIC"
  mark
  quick "signed NTLMv1, $m" -U 'alice%Passw0rd!' --option='client signing=required' --option='client ntlmv2 auth=no'
  logged "signed NTLMv1, $m: signing active" "signing active"
done
SPNEGO=0

# NBSS session request (port-139 style) on the same port: answered 0x82,
# then NEGOTIATE is framed with NBT lengths.
start --guest
/usr/bin/python3 - "$port" > "$dir/nbss" 2>&1 <<'EOF'
import socket, sys
def nb(name, suffix):
    raw = name.ljust(15).encode()[:15] + bytes([suffix])
    return bytes([32]) + bytes(x for b in raw for x in (0x41 + (b >> 4), 0x41 + (b & 15))) + b'\0'
s = socket.create_connection(('127.0.0.1', int(sys.argv[1])), timeout=10)
body = nb('*SMBSERVER', 0x20) + nb('TESTER', 0)
s.sendall(bytes([0x81, 0, 0, len(body)]) + body)
ans = s.recv(4)
assert ans == b'\x82\0\0\0', ans
neg = (b'\xffSMB\x72' + bytes(4) + b'\x18' + b'\x01\xc8' + bytes(12) + b'\xff\xfe' + bytes(6)
       + b'\x00' + b'\x0c\x00' + b'\x02NT LM 0.12\x00')
s.sendall(bytes([0, 0, len(neg) >> 8, len(neg) & 255]) + neg)
hdr = s.recv(4)
assert hdr[0] == 0 and hdr[2] * 256 + hdr[3] > 32, hdr
print('nbss ok')
EOF
if grep -q "nbss ok" "$dir/nbss"; then ok "NBSS session request answered 0x82, then NEGOTIATE"; else bad "NBSS: $(tail -3 "$dir/nbss")"; fi

# impacket's SMB1 client, if installed: with extended security (impacket
# then logs on with NTLMv2 through SPNEGO/NTLMSSP) and without (NTLMv1).
if /usr/bin/python3 -c 'import impacket' 2>/dev/null; then
  for ext in on off; do
    start --guest --extended-security $ext
    /usr/bin/python3 - "$port" "$share" "$ext" > "$dir/imp" 2>&1 <<'EOF'
import sys
from impacket.smbconnection import SMBConnection
from impacket import smb
port, share, ext = int(sys.argv[1]), sys.argv[2], sys.argv[3] == 'on'
c = SMBConnection('127.0.0.1', '127.0.0.1', sess_port=port, preferredDialect=smb.SMB_DIALECT)
c.login('alice', 'Passw0rd!')
s = c.getSMBServer()
assert bool(s._dialects_parameters['Capabilities'] & smb.SMB.CAP_EXTENDED_SECURITY) == ext
names = sorted(f.get_longname() for f in c.listPath('share', '*'))
assert 'hello.txt' in names, names
for name in ('empty.txt', 'one.bin', '64k.bin', 'big.bin'):
    data = []
    c.getFile('share', name, data.append)
    assert b''.join(data) == open(share + '/' + name, 'rb').read(), name
    c.putFile('share', 'imp.bin', open(share + '/' + name, 'rb').read)
    assert open(share + '/imp.bin', 'rb').read() == open(share + '/' + name, 'rb').read(), name
c.createDirectory('share', 'impdir')
c.deleteDirectory('share', 'impdir')
c.rename('share', 'imp.bin', 'imp2.bin')
c.deleteFile('share', 'imp2.bin')
# impacket sends '..' as written (smbclient folds it away itself): refused.
for bad in ('..\\outside\\secret.txt', 'sub\\..\\..\\outside\\secret.txt'):
    try:
        c.getFile('share', bad, data.append)
        raise SystemExit('escape with ' + bad)
    except Exception as e:
        assert 'ACCESS_DENIED' in str(e), e
try:
    SMBConnection('127.0.0.1', '127.0.0.1', sess_port=port, preferredDialect=smb.SMB_DIALECT).login('alice', 'wrong')
    raise SystemExit('wrong password accepted')
except Exception as e:
    assert 'LOGON_FAILURE' in str(e), e
try:
    c.connectTree('nosuch')
    raise SystemExit('missing share accepted')
except Exception as e:
    assert 'BAD_NETWORK_NAME' in str(e), e
c.logoff()
print('impacket ok')
EOF
    if grep -q "impacket ok" "$dir/imp"; then ok "impacket (SMB1, extended security $ext): ls, get + put of 0/1/64 KiB/10 MiB, mkdir, rmdir, rename, rm; raw '..' refused; wrong password, missing share"
    else bad "impacket (extended security $ext): $(tail -3 "$dir/imp")"; fi
  done
fi

# impacket signing against --signing required, and a tampered signature.
# With extended security impacket signs by itself (NTLMSSP key exchange:
# the exported session key).  Without it impacket 0.10 does not sign an
# SMB1 session (and would key it with the NT hash itself); the script
# turns signing on with the MS-CIFS 3.2.5.3 key MD4(NT hash) || NT
# response.  Either way it fetches files, then flips a key bit: the next
# request must be refused.
if /usr/bin/python3 -c 'import impacket, Cryptodome' 2>/dev/null; then
  for ext in on off; do
    start --signing required --extended-security $ext
    mark
    /usr/bin/python3 - "$port" "$share" "$ext" > "$dir/impsig" 2>&1 <<'EOF'
import sys
from impacket.smbconnection import SMBConnection
from impacket import smb
from Cryptodome.Hash import MD4
port, share, ext = int(sys.argv[1]), sys.argv[2], sys.argv[3] == 'on'
c = SMBConnection('127.0.0.1', '127.0.0.1', sess_port=port, preferredDialect=smb.SMB_DIALECT)
c.login('alice', 'Passw0rd!')
s = c.getSMBServer()
if ext:
    assert s._SignatureEnabled
else:
    s._SigningSessionKey = MD4.new(s._SigningSessionKey).digest()
    s._SignatureEnabled = True
    s._SignSequenceNumber = 2
for name in ('64k.bin', 'big.bin'):
    data = []
    c.getFile('share', name, data.append)
    assert b''.join(data) == open(share + '/' + name, 'rb').read()
c.putFile('share', 'impsig.bin', open(share + '/big.bin', 'rb').read)
assert open(share + '/impsig.bin', 'rb').read() == open(share + '/big.bin', 'rb').read()
c.deleteFile('share', 'impsig.bin')
k = bytearray(s._SigningSessionKey); k[0] ^= 1; s._SigningSessionKey = bytes(k)
try:
    c.listPath('share', '*')
    print('tampered request accepted')
except Exception as e:
    assert 'ACCESS_DENIED' in str(e), e
    print('impacket signing ok')
EOF
    if grep -q "impacket signing ok" "$dir/impsig" && tail -n +"$logmark" "$dir/server.log" | grep -q "SMBW_E_SIGNATURE"; then
      ok "impacket signed (extended security $ext): get 64 KiB and 10 MiB, put 10 MiB; tampered request refused (SMBW_E_SIGNATURE, STATUS_ACCESS_DENIED)"
    else bad "impacket signing (extended security $ext): $(tail -3 "$dir/impsig")"; fi
  done
fi

# The library's fuzz corpora over sockets: each SMB message inside a guest
# session (UID and TID patched in), everything else as a client's first
# bytes.  The server must still be up and serving afterwards.
corpus=$(cd "$(dirname "$0")/../fuzz/corpus" 2>/dev/null && pwd)
if [ -n "$corpus" ] && /usr/bin/python3 -c 'import impacket' 2>/dev/null; then
  start --guest
  /usr/bin/python3 - "$port" "$corpus" > "$dir/fuzz" 2>&1 <<'EOF'
import os, sys, socket, struct, glob
from impacket.smbconnection import SMBConnection
from impacket import smb
port, corpus = int(sys.argv[1]), sys.argv[2]
files = []
for sub in ('message', 'andx', 'commands', 'trans', 'find', 'header', 'nbss'):
    files += sorted(glob.glob(os.path.join(corpus, sub, '*')))
n = raw = 0
for f in files:
    data = open(f, 'rb').read()
    k = data.find(b'\xffSMB')
    if k < 0:
        s = socket.create_connection(('127.0.0.1', port)); s.sendall(data); s.close(); raw += 1
        continue
    msg = bytearray(data[k:k + 0xFFFFFF])
    c = SMBConnection('127.0.0.1', '127.0.0.1', sess_port=port, preferredDialect=smb.SMB_DIALECT)
    c.login('', '')
    tid = c.connectTree('share')
    srv = c.getSMBServer()
    if len(msg) >= 32:
        msg[9] &= 0x7F
        struct.pack_into('<HH', msg, 24, tid, 0)
        struct.pack_into('<H', msg, 28, srv._uid)
    sock = srv.get_socket()
    sock.sendall(struct.pack('>I', len(msg)) + bytes(msg))
    sock.settimeout(2)
    try:
        sock.recv(70000)
    except Exception:
        pass
    sock.close()
    n += 1
print('fuzz sent: %d messages in sessions, %d raw' % (n, raw))
EOF
  smb share -N -- "get hello.txt $dir/after-fuzz"
  if grep -q "fuzz sent" "$dir/fuzz" && kill -0 "$pid" 2>/dev/null && cmp -s "$dir/after-fuzz" "$share/hello.txt"; then
    ok "fuzz corpora over sockets ($(grep -o '[0-9]* messages in sessions, [0-9]* raw' "$dir/fuzz")): still serving"
  else bad "fuzz corpora: $(tail -3 "$dir/fuzz")"; fi
fi

# Every command code (but the session ones) with a minimal well-formed
# body gets a response with its command code; only the commands the server
# implements may close the connection, for a body their decoder refuses.
# Then LOCKING_ANDX between two sessions, and one large READ_ANDX.
if /usr/bin/python3 -c 'import impacket' 2>/dev/null; then
  start --guest
  head -c 100 /dev/urandom > "$share/lock.bin"
  /usr/bin/python3 - "$port" > "$dir/probe" 2>&1 <<'EOF'
# Every command code 0x00..0xFE, sent in a guest session with a minimal
# well-formed body (AndX commands: 2 words with AndXCommand 0xFF; others
# no words), must get a response with that command code.
import sys, struct, socket
from impacket.smbconnection import SMBConnection
from impacket import smb
port = int(sys.argv[1])
c = SMBConnection('127.0.0.1', '127.0.0.1', sess_port=port, preferredDialect=smb.SMB_DIALECT)
c.login('', '')
tid = c.connectTree('share')
srv = c.getSMBServer()
sock = srv.get_socket()
andx = {0x24, 0x2D, 0x2E, 0x2F, 0x73, 0x74, 0x75, 0xA2, 0x7E}
answered, dropped, silent = [], [], []
def recv_exact(n):
    b = b''
    while len(b) < n:
        k = sock.recv(n - len(b))
        if not k: raise EOFError
        b += k
    return b
mid = 100
for cmd in range(0, 0xFF):
    if cmd in (0x72, 0x73, 0x74, 0x71, 0xA4):  # NEGOTIATE, SESSION_SETUP, LOGOFF, TREE_DISCONNECT, NT_CANCEL: session state
        continue
    words = struct.pack('<BBH', 0xFF, 0, 0) if cmd in andx else b''
    body = bytes([len(words) // 2]) + words + b'\0\0'
    mid += 1
    hdr = (b'\xffSMB' + bytes([cmd]) + bytes(4) + b'\x18' + struct.pack('<H', 0xc801) + bytes(12) +
           struct.pack('<HHHH', tid, 1234, srv._uid, mid))
    msg = hdr + body
    sock.sendall(struct.pack('>I', len(msg)) + msg)
    sock.settimeout(2)
    try:
        h = recv_exact(4)
        n = struct.unpack('>I', h)[0] & 0xFFFFFF
        rsp = recv_exact(n)
        st = struct.unpack('<I', rsp[5:9])[0]
        answered.append((cmd, rsp[4], st))
    except socket.timeout:
        silent.append(cmd)
    except (EOFError, ConnectionResetError):
        dropped.append(cmd)
        c = SMBConnection('127.0.0.1', '127.0.0.1', sess_port=port, preferredDialect=smb.SMB_DIALECT)
        c.login('', ''); tid = c.connectTree('share'); srv = c.getSMBServer(); sock = srv.get_socket()
bad = [a for a in answered if a[0] != a[1]]
implemented = {0x04, 0x05, 0x06, 0x07, 0x24, 0x2b, 0x2e, 0x2f, 0x32, 0x33, 0x34, 0x75, 0xa2, 0xa5}
if not silent and not bad and set(dropped) <= implemented and len(answered) + len(dropped) == 250:
    print('probe ok: %d answered' % len(answered))
print('answered %d, silent %s, dropped %s, wrong command %s' % (len(answered), [hex(x) for x in silent], [hex(x) for x in dropped], bad))
for a in answered: print(hex(a[0]), hex(a[2]))
EOF
  if grep -q "probe ok" "$dir/probe"; then ok "every command code: $(grep -o '[0-9]* answered' "$dir/probe") (the rest close only for a body their decoder refuses)"
  else bad "command codes: $(head -1 "$dir/probe")"; fi
  /usr/bin/python3 - "$port" "$share" > "$dir/lock" 2>&1 <<'EOF'
# LOCKING_ANDX against smbwire-server: two sessions on one file.
import sys, struct, socket
from impacket.smbconnection import SMBConnection
from impacket import smb
port = int(sys.argv[1])  # argv[2]: the shared directory
class Raw:
    def __init__(self):
        self.c = SMBConnection('127.0.0.1', '127.0.0.1', sess_port=port, preferredDialect=smb.SMB_DIALECT)
        self.c.login('', '')
        self.tid = self.c.connectTree('share')
        self.srv = self.c.getSMBServer()
        self.fid = self.c.openFile(self.tid, 'lock.bin', desiredAccess=0x3)  # read, write
        self.sock = self.srv.get_socket(); self.mid = 500
    def recv(self):
        def exact(n):
            b = b''
            while len(b) < n:
                k = self.sock.recv(n - len(b))
                if not k: raise EOFError
                b += k
            return b
        n = struct.unpack('>I', exact(4))[0] & 0xFFFFFF
        r = exact(n)
        return r[4], struct.unpack('<I', r[5:9])[0]
    def send(self, cmd, words, data=b''):
        self.mid += 1
        hdr = (b'\xffSMB' + bytes([cmd]) + bytes(4) + b'\x18' + struct.pack('<H', 0xc801) + bytes(12) +
               struct.pack('<HHHH', self.tid, 1234, self.srv._uid, self.mid))
        msg = hdr + bytes([len(words) // 2]) + words + struct.pack('<H', len(data)) + data
        self.sock.sendall(struct.pack('>I', len(msg)) + msg)
    def lock(self, unlocks, locks, shared=False, large=False, timeout=0, oplock=False, fid=None):
        t = (1 if shared else 0) | (0x10 if large else 0) | (2 if oplock else 0)
        w = struct.pack('<BBHHBBIHH', 0xFF, 0, 0, self.fid if fid is None else fid, t, 0, timeout, len(unlocks), len(locks))
        d = b''
        for off, ln in unlocks + locks:
            if large: d += struct.pack('<HHIIII', 1234, 0, off >> 32, off & 0xFFFFFFFF, ln >> 32, ln & 0xFFFFFFFF)
            else: d += struct.pack('<HII', 1234, off, ln)
        self.send(0x24, w, d)
    def st(self):
        return self.recv()[1]
    def read(self, off, n):
        self.send(0x2E, struct.pack('<BBHHIHHIHI', 0xFF, 0, 0, self.fid, off, n, n, 0, 0, 0))
        return self.st()
    def write(self, off, data):
        w = struct.pack('<BBHHIIHHHHHI', 0xFF, 0, 0, self.fid, off, 0, 0, 0, 0, len(data), 64, 0)
        self.send(0x2F, w, b'\0' + data)  # pad to offset 64
        return self.st()
OK, NG, CONFLICT, NOTLOCKED, BADRANGE, RES = 0, 0xC0000055, 0xC0000054, 0xC000007E, 0xC00001A1, 0xC0000205
res = []
def check(what, got, want):
    res.append((what, got == want, got))
a, b = Raw(), Raw()
a.lock([], [(0, 10)]); check('A exclusive [0,10)', a.st(), OK)
b.lock([], [(5, 10)], shared=True); check('B shared [5,15) over it: not granted', b.st(), NG)
b.lock([], [(5, 10)], shared=True, timeout=100); check('B with a timeout: lock conflict', b.st(), CONFLICT)
check('B read [0,4): lock conflict', b.read(0, 4), CONFLICT)
check('B write [8,9): lock conflict', b.write(8, b'x'), CONFLICT)
check('B read [10,20): outside, fine', b.read(10, 10), OK)
check('A read its own range', a.read(0, 4), OK)
check('A write its own range', a.write(0, b'abcd'), OK)
b.lock([], [(10, 5)], shared=True); check('B shared [10,15) next to it', b.st(), OK)
a.lock([], [(12, 1)], shared=True); check('A shared [12,13) over B shared', a.st(), OK)
a.lock([(0, 10)], []); check('A unlock [0,10)', a.st(), OK)
a.lock([(0, 10)], []); check('A unlock again: range not locked', a.st(), NOTLOCKED)
b.lock([], [(0, 5)]); check('B exclusive [0,5) now free', b.st(), OK)
b.lock([], [(1 << 40, 1 << 33)], large=True); check('B exclusive 64-bit [2^40, +2^33)', b.st(), OK)
a.lock([], [((1 << 40) + (1 << 32), 1)], large=True); check('A inside it (64-bit): not granted', a.st(), NG)
a.lock([], [((1 << 64) - 2, 10)], large=True); check('A past 2^64: invalid lock range', a.st(), BADRANGE)
b.lock([(1 << 40, 1 << 33)], [], large=True); check('B unlock 64-bit', b.st(), OK)
a.lock([], [(100, 1), (0, 1)]); check('A two locks, second conflicts: none kept', a.st(), NG)
a.lock([], [(100, 1)]); check('A the first one again: it was released', a.st(), OK)
# an oplock break acknowledgement gets no response: the next answer is ECHO's
a.lock([], [], oplock=True); a.send(0x2B, struct.pack('<H', 1), b'ping')
check('oplock break ack: no response (next answer is ECHO)', a.recv()[0], 0x2B)
# the table is bounded: 63 more locks fit (with [100,101)), the next is refused
n_ok = 0
for i in range(64):
    a.lock([], [(1000 + i, 1)]); s = a.st()
    if s == OK: n_ok += 1
    else: break
check('table bound: %d locks held, the next refused' % (n_ok + 2), s, RES)
# closing the file releases its locks
a.c.closeFile(a.tid, a.fid)
b.lock([], [(100, 1), (1000, 1)]); check('B after A closed: A\'s locks gone', b.st(), OK)
# CAP_LARGE_READX: one READ_ANDX of 100,000 bytes (MaxCountHigh 1 in Timeout)
big = b.c.openFile(b.tid, 'big.bin', desiredAccess=0x1)
b.send(0x2E, struct.pack('<BBHHIHHIHI', 0xFF, 0, 0, big, 5, 100000 & 0xFFFF, 0, 100000 >> 16, 0, 0))
def exact(n):
    x = b''
    while len(x) < n: x += b.sock.recv(n - len(x))
    return x
n = struct.unpack('>I', exact(4))[0] & 0xFFFFFF
r = exact(n)
dlen = struct.unpack('<H', r[32 + 1 + 10:32 + 1 + 12])[0] | struct.unpack('<H', r[32 + 1 + 14:32 + 1 + 16])[0] << 16
doff = struct.unpack('<H', r[32 + 1 + 12:32 + 1 + 14])[0]
check('one READ_ANDX of 100000 bytes (CAP_LARGE_READX): whole and right',
      dlen == 100000 and r[doff:doff + dlen] == open(sys.argv[2] + '/big.bin', 'rb').read()[5:100005], True)
for what, good, got in res: print('%s %s (0x%08x)' % ('ok  ' if good else 'FAIL', what, got))
print('locking: %d/%d' % (sum(1 for r in res if r[1]), len(res)))
EOF
  if grep -q "^locking: \([0-9]*\)/\1$" "$dir/lock"; then ok "LOCKING_ANDX and large READ_ANDX: $(grep -c '^ok' "$dir/lock") checks"
  else bad "LOCKING_ANDX: $(grep -v '^ok' "$dir/lock" | head -3)"; fi
  rm -f "$share/lock.bin"
fi

# Mutated SPNEGO and NTLMSSP blobs (300, seeded) in both legs of the
# extended-security logon: each answered or its connection closed, and a
# good first leg still gets STATUS_MORE_PROCESSING_REQUIRED afterwards.
if /usr/bin/python3 -c 'import impacket' 2>/dev/null; then
  start
  /usr/bin/python3 - "$port" 300 > "$dir/spfuzz" 2>&1 <<'EOF'
# Mutated SPNEGO/NTLMSSP blobs in both legs of an extended-security
# SESSION_SETUP_ANDX; the server must answer or close, and keep serving.
import sys, struct, socket, random
from impacket import ntlm
from impacket.spnego import SPNEGO_NegTokenInit, SPNEGO_NegTokenResp, TypesMech
port = int(sys.argv[1]); n_iter = int(sys.argv[2])
rnd = random.Random(13)
def frame(cmd, words, data, uid=0, flags2=0xc807):
    hdr = (b'\xffSMB' + bytes([cmd]) + bytes(4) + b'\x18' + struct.pack('<H', flags2) + bytes(12) +
           struct.pack('<HHHH', 0, 1234, uid, 1))
    msg = hdr + bytes([len(words) // 2]) + words + struct.pack('<H', len(data)) + data
    return struct.pack('>I', len(msg)) + msg
def recv(s):
    def exact(n):
        b = b''
        while len(b) < n:
            k = s.recv(n - len(b))
            if not k: raise EOFError
            b += k
        return b
    n = struct.unpack('>I', exact(4))[0] & 0xFFFFFF
    return exact(n)
def negotiate():
    s = socket.create_connection(('127.0.0.1', port), timeout=5)
    s.sendall(frame(0x72, b'', b'\x02NT LM 0.12\x00'))
    recv(s)
    return s
def setup(s, blob, uid=0):
    w = struct.pack('<BBHHHHIHII', 0xFF, 0, 0, 65535, 2, 0, 0, len(blob), 0, 0x8000005c)
    s.sendall(frame(0x73, w, blob + b'\0\0\0\0', uid))
    r = recv(s)
    return struct.unpack('<I', r[5:9])[0], struct.unpack('<H', r[28:30])[0], r
def mutate(b):
    b = bytearray(b)
    for _ in range(rnd.randint(1, 4)):
        k = rnd.randrange(4)
        i = rnd.randrange(len(b))
        if k == 0: b[i] = rnd.randrange(256)
        elif k == 1: b[i] ^= 1 << rnd.randrange(8)
        elif k == 2: del b[i:i + rnd.randint(1, 8)]
        else: b[i:i] = bytes(rnd.randrange(256) for _ in range(rnd.randint(1, 8)))
        if not b: b = bytearray(b'\0')
    return bytes(b)
t1 = ntlm.getNTLMSSPType1('', '', signingRequired=True)
init = SPNEGO_NegTokenInit(); init['MechTypes'] = [TypesMech['NTLMSSP - Microsoft NTLM Security Support Provider']]
init['MechToken'] = t1.getData()
leg1 = init.getData()
answered = closed = 0
for it in range(n_iter):
    try:
        s = negotiate()
        if it % 2 == 0:
            setup(s, mutate(leg1))
        else:
            st, uid, r = setup(s, leg1)
            blob = r[43:43 + struct.unpack('<H', r[39:41])[0]]
            resp = SPNEGO_NegTokenResp(blob)
            t3, key = ntlm.getNTLMSSPType3(t1, resp['ResponseToken'], 'alice', 'Passw0rd!', '', '', '')
            r2 = SPNEGO_NegTokenResp(); r2['ResponseToken'] = t3.getData()
            setup(s, mutate(r2.getData()), uid)
        answered += 1
    except (EOFError, ConnectionResetError, socket.timeout, BrokenPipeError):
        closed += 1
    finally:
        s.close()
# and a good logon still works
s = negotiate(); st, uid, r = setup(s, leg1)
assert st == 0xC0000016, hex(st)
print('spnego fuzz: %d answered, %d closed, server still answers' % (answered, closed))
EOF
  if grep -q "server still answers" "$dir/spfuzz" && kill -0 "$pid" 2>/dev/null; then ok "$(grep -o 'spnego fuzz.*' "$dir/spfuzz")"
  else bad "spnego fuzz: $(tail -2 "$dir/spfuzz")"; fi
fi

# The MIC of the NTLMSSP AUTHENTICATE, built by the script: the right one
# logs on, a flipped bit gets STATUS_LOGON_FAILURE.
if /usr/bin/python3 -c 'import impacket, Cryptodome' 2>/dev/null; then
  start
  /usr/bin/python3 - "$port" > "$dir/mic" 2>&1 <<'EOF'
# The MIC of the NTLMSSP AUTHENTICATE: built here (NTLMv2 with MsvAvFlags
# 0x2, no key exchange); the right one logs on, one flipped bit is refused.
import sys, struct, socket, hmac, hashlib, os
from Cryptodome.Hash import MD4
from impacket.spnego import SPNEGO_NegTokenInit, SPNEGO_NegTokenResp, TypesMech
port = int(sys.argv[1])
def frame(cmd, words, data, uid=0):
    hdr = (b'\xffSMB' + bytes([cmd]) + bytes(4) + b'\x18' + struct.pack('<H', 0xc803) + bytes(12) +
           struct.pack('<HHHH', 0, 1234, uid, 1))
    msg = hdr + bytes([len(words) // 2]) + words + struct.pack('<H', len(data)) + data
    return struct.pack('>I', len(msg)) + msg
def recv(s):
    def exact(n):
        b = b''
        while len(b) < n:
            k = s.recv(n - len(b))
            if not k: raise EOFError
            b += k
        return b
    return exact(struct.unpack('>I', exact(4))[0] & 0xFFFFFF)
def setup(s, blob, uid=0):
    w = struct.pack('<BBHHHHIHII', 0xFF, 0, 0, 65535, 2, 0, 0, len(blob), 0, 0x8000005c)
    s.sendall(frame(0x73, w, blob + b'\0\0\0\0', uid))
    r = recv(s)
    return struct.unpack('<I', r[5:9])[0], struct.unpack('<H', r[28:30])[0], r
H = lambda k, m: hmac.new(k, m, hashlib.md5).digest()
def logon(tamper):
    s = socket.create_connection(('127.0.0.1', port), timeout=5)
    s.sendall(frame(0x72, b'', b'\x02NT LM 0.12\x00')); recv(s)
    flags = 0x00000001 | 0x00000200 | 0x00080000 | 0x00800000 | 0x02000000 | 0x20000000 | 0x00000010
    neg = b'NTLMSSP\0' + struct.pack('<II', 1, flags) + struct.pack('<HHI', 0, 0, 40) * 2 + bytes([6, 1, 0xb1, 0x1d, 0, 0, 0, 15])
    init = SPNEGO_NegTokenInit(); init['MechTypes'] = [TypesMech['NTLMSSP - Microsoft NTLM Security Support Provider']]
    init['MechToken'] = neg
    st, uid, r = setup(s, init.getData())
    chal = SPNEGO_NegTokenResp(r[43:43 + struct.unpack('<H', r[39:41])[0]])['ResponseToken']
    sflags = struct.unpack('<I', chal[20:24])[0]
    server_chal = chal[24:32]
    tl, toff = struct.unpack('<H', chal[40:42])[0], struct.unpack('<I', chal[44:48])[0]
    ti = chal[toff:toff + tl]
    av, i, ts = b'', 0, b'\0' * 8
    while True:
        aid, al = struct.unpack('<HH', ti[i:i + 4])
        if aid == 0: break
        if aid == 7: ts = ti[i + 4:i + 12]
        av += ti[i:i + 4 + al]; i += 4 + al
    av += struct.pack('<HHI', 6, 4, 2) + b'\0\0\0\0'
    nthash = MD4.new('Passw0rd!'.encode('utf-16le')).digest()
    owf = H(nthash, 'ALICE'.encode('utf-16le'))
    temp = b'\x01\x01' + bytes(6) + ts + os.urandom(8) + bytes(4) + av + bytes(4)
    proof = H(owf, server_chal + temp)
    nt = proof + temp
    key = H(owf, proof)
    user = 'alice'.encode('utf-16le')
    aflags = sflags & ~0x40000000
    payload_off = 88
    lm = bytes(24)
    fields, payload = b'', b''
    for blob in (lm, nt, b'', user, b''):
        fields += struct.pack('<HHI', len(blob), len(blob), payload_off + len(payload)); payload += blob
    fields += struct.pack('<HHI', 0, 0, payload_off + len(payload))
    auth = bytearray(b'NTLMSSP\0' + struct.pack('<I', 3) + fields + struct.pack('<I', aflags) +
                     bytes([6, 1, 0xb1, 0x1d, 0, 0, 0, 15]) + bytes(16) + payload)
    auth[72:88] = H(key, neg + chal + bytes(auth))
    if tamper: auth[80] ^= 1
    resp = SPNEGO_NegTokenResp(); resp['ResponseToken'] = bytes(auth)
    st, uid, r = setup(s, resp.getData(), uid)
    s.close()
    return st
good, bad = logon(False), logon(True)
print('mic: right %08x, tampered %08x' % (good, bad))
if good == 0 and bad == 0xC000006D: print('mic ok')
EOF
  if grep -q "mic ok" "$dir/mic"; then ok "NTLMSSP AUTHENTICATE MIC: the right one accepted, a tampered one refused"
  else bad "AUTHENTICATE MIC: $(tail -2 "$dir/mic")"; fi
fi

# The idle timeout: half a packet, then silence; the server closes it.
start --guest --idle-timeout 1
/usr/bin/python3 - "$port" > "$dir/idle" 2>&1 <<'EOF'
import socket, sys, time
s = socket.create_connection(('127.0.0.1', int(sys.argv[1])), timeout=10)
s.sendall(b'\x00\x00\x00\x40\xffSMB')
t = time.time()
print('closed after %.1f s' % (time.time() - t) if s.recv(10) == b'' else 'data?')
EOF
if grep -q "closed after [23]\." "$dir/idle" && grep -q "idle for 1 s" "$dir/server.log"; then ok "idle timeout: a half packet closed after $(grep -o '[0-9.]* s' "$dir/idle")"
else bad "idle timeout: $(cat "$dir/idle")"; fi

kill "$pid"; wait "$pid" 2>/dev/null; pid=
echo "$pass passed, $fail failed"
[ $fail = 0 ]
