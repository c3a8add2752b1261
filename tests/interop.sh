#!/bin/bash
# Interop: smbwire-client against real Samba smbd on 127.0.0.1 (high ports).
#
# Two throwaway smbd (tests/peers/smbd.sh): the default one (signing
# offered, not required; `ntlm auth = yes`) and one with `server signing =
# mandatory`, reloaded at the end with `ntlm auth = ntlmv2-only`.  Against
# each, on direct TCP (445-style) and with an NBSS session request
# (139-style, --nbss), as a user with NTLMv2 (SPNEGO/NTLMSSP), as a user
# with NTLMv1 (--ntlmv1, 8-byte challenge), as guest and anonymously, every
# command runs: put and get of files of 0 bytes, 1 byte, 64 KiB and 10 MiB
# (compared with cmp, on the share's directory and back), ls, stat, mkdir,
# mv, rm, rmdir (checked on disk).  Then: ls with FIND_NEXT2 resume, signing
# required and refused, a tampered signed response (a proxy flips one byte),
# the error statuses and exit codes, and the usage errors.
# usage: interop.sh path/to/smbwire-client   (skips with 77 without smbd)
set -u
client=$1
here=$(cd "$(dirname "$0")" && pwd)
command -v smbd >/dev/null 2>&1 || [ -x /usr/sbin/smbd ] || { echo "smbd not installed: skipped"; exit 77; }
[ "$(id -u)" = 0 ] || { echo "needs root to run smbd: skipped"; exit 77; }
export PATH=$PATH:/usr/sbin
dir=$(mktemp -d /tmp/smbwire-interop.XXXXXX)
# the [ro] share has no "force user": user smbwire must be able to reach it
# (smbd answers ERRSRV/ERRbaduid when it cannot enter the share's directory)
chmod 755 "$dir"
port=$((20000 + RANDOM % 20000))
sport=$((port + 1))
pport=$((port + 2))
proxy_pid=
pass=0 fail=0
cleanup() {
  [ -n "$proxy_pid" ] && kill "$proxy_pid" 2>/dev/null
  bash "$here/peers/smbd.sh" stop "$dir/plain" >/dev/null 2>&1
  bash "$here/peers/smbd.sh" stop "$dir/signed" >/dev/null 2>&1
  rm -rf "$dir"
}
trap cleanup EXIT
bash "$here/peers/smbd.sh" start "$dir/plain" "$port" >/dev/null || { echo "cannot start smbd"; exit 1; }
bash "$here/peers/smbd.sh" start "$dir/signed" "$sport" signing >/dev/null || { echo "cannot start smbd (signing)"; exit 1; }
USER='smbwire%Passw0rd!'
T0=$(date +%s.%N)

ok() { echo "ok   $*"; pass=$((pass + 1)); }
bad() { echo "FAIL $*"; fail=$((fail + 1)); }

# Local test files: 0 bytes, 1 byte, 64 KiB, 10 MiB.
mkdir -p "$dir/local"
: > "$dir/local/f0"
printf 'x' > "$dir/local/f1"
head -c 65536 /dev/urandom > "$dir/local/f64k"
head -c 10485760 /dev/urandom > "$dir/local/f10m"
FILES="f0 f1 f64k f10m"

# run PORT ARGS... : the client with stdout/stderr in $dir/out, $dir/err
run() { local p=$1; shift; timeout 60 "$client" -p "$p" "$@" > "$dir/out" 2> "$dir/err"; }

# every command in one configuration; remote work directory $sub
suite() { # label port sharedir sub args...
  local label=$1 p=$2 sdir=$3 sub=$4; shift 4
  local unc=//127.0.0.1/share f e=""
  run "$p" "$@" "$unc" mkdir "$sub" && [ -d "$sdir/$sub" ] || e="$e mkdir($(tail -1 "$dir/err"))"
  for f in $FILES; do
    run "$p" "$@" "$unc" put "$dir/local/$f" "$sub/$f" && cmp -s "$dir/local/$f" "$sdir/$sub/$f" ||
      e="$e put-$f($(tail -1 "$dir/err"))"
    run "$p" "$@" "$unc" get "$sub/$f" "$dir/back" && cmp -s "$dir/local/$f" "$dir/back" ||
      e="$e get-$f($(tail -1 "$dir/err"))"
  done
  run "$p" "$@" "$unc" get "$sub/f64k" && cmp -s "$dir/local/f64k" "$dir/out" || e="$e get-stdout"
  run "$p" "$@" "$unc" ls "$sub/*" && [ "$(grep -c ' f' "$dir/out")" = 4 ] &&
    grep -q ' 10485760  .* f10m$' "$dir/out" || e="$e ls($(tail -1 "$dir/err"))"
  run "$p" "$@" "$unc" stat "$sub/f64k" && grep -q '^size: *65536$' "$dir/out" &&
    grep -q '^type: *file$' "$dir/out" || e="$e stat($(tail -1 "$dir/err"))"
  run "$p" "$@" "$unc" mv "$sub/f1" "$sub/renamed" && [ -f "$sdir/$sub/renamed" ] &&
    [ ! -e "$sdir/$sub/f1" ] || e="$e mv($(tail -1 "$dir/err"))"
  for f in f0 renamed f64k f10m; do
    run "$p" "$@" "$unc" rm "$sub/$f" && [ ! -e "$sdir/$sub/$f" ] || e="$e rm-$f($(tail -1 "$dir/err"))"
  done
  run "$p" "$@" "$unc" rmdir "$sub" && [ ! -e "$sdir/$sub" ] || e="$e rmdir($(tail -1 "$dir/err"))"
  if [ -z "$e" ]; then ok "$label: mkdir, put/get 0 B 1 B 64 KiB 10 MiB, ls, stat, mv, rm, rmdir"
  else bad "$label:$e"; fi
}

n=0
for server in plain signed; do
  if [ $server = plain ]; then p=$port; else p=$sport; fi
  for transport in direct nbss; do
    if [ $transport = nbss ]; then t=--nbss; else t=; fi
    n=$((n + 1)); suite "$server, $transport, NTLMv2/SPNEGO" $p "$dir/$server/share" "c$n" $t -U "$USER"
    if [ $server = plain ]; then
      n=$((n + 1)); suite "$server, $transport, NTLMv1" $p "$dir/$server/share" "c$n" $t --ntlmv1 -U "$USER"
      n=$((n + 1)); suite "$server, $transport, NTLMv2, --signing required" $p "$dir/$server/share" "c$n" $t --signing required -U "$USER"
    fi
    n=$((n + 1)); suite "$server, $transport, guest" $p "$dir/$server/share" "c$n" $t -U 'guest%'
    n=$((n + 1)); suite "$server, $transport, anonymous" $p "$dir/$server/share" "c$n" $t -N
  done
done

# The user sessions on the signing server really are signed; guest ones not.
if run "$sport" -v -U "$USER" //127.0.0.1/share get hello.txt && grep -q '^(logged on: .*NTLMv2.*, signed)' "$dir/err" &&
   grep -q 'flags2 .*SECURITY_SIGNATURE' "$dir/err"; then ok "mandatory signing: the session is signed"
else bad "mandatory signing: session not signed: $(grep '^(' "$dir/err" | tail -2)"; fi

# -v decodes every message: the whole exchange must be there.
if run "$port" --nbss -v -U "$USER" //127.0.0.1/share get hello.txt; then
  missing=""
  for c in NEGOTIATE SESSION_SETUP_ANDX TREE_CONNECT_ANDX OPEN_ANDX READ_ANDX CLOSE TREE_DISCONNECT LOGOFF_ANDX; do
    grep -q "SMB_COM_$c" "$dir/err" || missing="$missing $c"
  done
  if [ -z "$missing" ]; then ok "-v shows the whole exchange"; else bad "-v lacks$missing"; fi
else
  bad "-v run failed"
fi

# ls with FIND_NEXT2 resume: 300 long names do not fit one 16 KiB response.
mkdir -p "$dir/plain/share/many"
for i in $(seq 1 300); do : > "$dir/plain/share/many/entry-with-a-rather-long-name-number-$i"; done
if run "$port" -v -U "$USER" //127.0.0.1/share ls 'many/*' && [ "$(grep -c entry-with "$dir/out")" = 300 ] &&
   rounds=$(sed -n 's/^([0-9]* entries in \([0-9]*\) FIND_FIRST2\/FIND_NEXT2 responses)$/\1/p' "$dir/err") &&
   [ -n "$rounds" ] && [ "$rounds" -gt 1 ]; then
  ok "ls of 300 entries: FIND_FIRST2 + FIND_NEXT2 with resume ($rounds responses)"
else
  bad "ls with resume: $(grep -c entry-with "$dir/out") entries, $(grep '^(.*entries' "$dir/err") $(tail -1 "$dir/err")"
fi
if run "$port" -U "$USER" //127.0.0.1/share stat many && grep -q '^type: *directory$' "$dir/out"; then
  ok "stat of a directory"; else bad "stat of a directory: $(tail -1 "$dir/err")"; fi

# expect a failure with exit code RC and TEXT on stderr
expect() { # name rc text port args...
  local name=$1 want=$2 text=$3; shift 3
  run "$@"
  local rc=$?
  if [ $rc = "$want" ] && grep -q -- "$text" "$dir/err"; then
    ok "$name: exit $rc, $(grep -o -- "$text" "$dir/err" | head -1)"
  else
    bad "$name: exit $rc (want $want), stderr: $(tail -2 "$dir/err")"
  fi
}
S=//127.0.0.1/share
expect "missing file (get)" 2 STATUS_OBJECT_NAME_NOT_FOUND $port -U "$USER" $S get nosuch.txt
expect "missing file (get, signed)" 2 STATUS_OBJECT_NAME_NOT_FOUND $sport -U "$USER" $S get nosuch.txt
expect "missing file (rm)" 2 STATUS_OBJECT_NAME_NOT_FOUND $port -U "$USER" $S rm nosuch.txt
expect "missing file (stat)" 2 STATUS_OBJECT_NAME_NOT_FOUND $port -U "$USER" $S stat nosuch.txt
expect "missing file (mv)" 2 STATUS_OBJECT_NAME_NOT_FOUND $port -U "$USER" $S mv nosuch.txt x
expect "missing directory (rmdir)" 2 STATUS_OBJECT_NAME_NOT_FOUND $port -U "$USER" $S rmdir nosuch
expect "ls of nothing" 2 STATUS_NO_SUCH_FILE $port -U "$USER" $S ls 'nosuch*'
expect "mkdir of an existing name" 2 STATUS_OBJECT_NAME_COLLISION $port -U "$USER" $S mkdir many
expect "rmdir of a non-empty directory" 2 STATUS_DIRECTORY_NOT_EMPTY $port -U "$USER" $S rmdir many
expect "wrong password (NTLMv2)" 2 STATUS_LOGON_FAILURE $port -U 'smbwire%wrong' $S ls
expect "wrong password (NTLMv1)" 2 STATUS_LOGON_FAILURE $port --ntlmv1 -U 'smbwire%wrong' $S ls
expect "wrong password (signing server)" 2 STATUS_LOGON_FAILURE $sport -U 'smbwire%wrong' $S ls
expect "missing share" 2 STATUS_BAD_NETWORK_NAME $port -U "$USER" //127.0.0.1/nosuch ls
expect "write to the read-only share" 2 STATUS_ACCESS_DENIED $port -U "$USER" //127.0.0.1/ro put "$dir/local/f1" f1
expect "ro share refuses guests" 2 STATUS_ACCESS_DENIED $port -U 'guest%' //127.0.0.1/ro ls
expect "--signing off against mandatory signing" 4 "server requires signing" $sport --signing off -U "$USER" $S ls
expect "--signing required as anonymous" 4 "session is not signed" $port --signing required -N $S ls
expect "NTLMv1 on the signing server: not signed" 4 "did not start it" $sport --ntlmv1 -U "$USER" $S ls
expect "connection refused" 1 "Connection refused" 1 -U "$USER" $S ls
expect "usage: missing command" 1 "missing command" $port -U "$USER" $S
expect "usage: bad //HOST/SHARE" 1 "bad share" $port -U "$USER" //127.0.0.1 ls
expect "usage: unknown command" 1 "unknown command 'frob'" $port -U "$USER" $S frob
expect "usage: wrong arguments" 1 "put takes LOCAL REMOTE" $port -U "$USER" $S put onlyone
expect "usage: bad --signing" 1 "bad --signing" $port --signing sometimes $S ls
if timeout 10 "$client" --help > "$dir/out" 2> "$dir/err" && grep -q '^usage:' "$dir/out" && [ ! -s "$dir/err" ]; then
  ok "--help: usage on stdout, exit 0"; else bad "--help"; fi

# A tampered signed message: a proxy flips the last byte of the 6th message
# from the server (the first READ_ANDX response: NEGOTIATE, 2 x
# SESSION_SETUP_ANDX, TREE_CONNECT_ANDX, OPEN_ANDX, READ_ANDX).  Signed,
# the client refuses it; unsigned, the same change goes unnoticed.
cat > "$dir/proxy.py" <<'PY'
import socket, sys, threading
lport, rport, nth = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
ls = socket.socket(); ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.bind(("127.0.0.1", lport)); ls.listen(4)
def recvn(s, n):
    b = b""
    while len(b) < n:
        k = s.recv(n - len(b))
        if not k: raise EOFError
        b += k
    return b
def up(c, s):
    try:
        while True:
            d = c.recv(65536)
            if not d: break
            s.sendall(d)
    except Exception: pass
def down(s, c):
    i = 0
    try:
        while True:
            h = recvn(s, 4); n = int.from_bytes(h[1:], "big"); d = bytearray(recvn(s, n))
            i += 1
            if i == nth and n > 0: d[-1] ^= 0x01
            c.sendall(h + bytes(d))
    except Exception: pass
    c.close()
while True:
    c, _ = ls.accept()
    s = socket.create_connection(("127.0.0.1", rport))
    threading.Thread(target=up, args=(c, s), daemon=True).start()
    threading.Thread(target=down, args=(s, c), daemon=True).start()
PY
/usr/bin/python3 "$dir/proxy.py" "$pport" "$sport" 6 &
proxy_pid=$!
for _ in $(seq 1 50); do (exec 3<>"/dev/tcp/127.0.0.1/$pport") 2>/dev/null && break; sleep 0.1; done
expect "tampered signed READ_ANDX response" 3 "bad signature on the READ_ANDX response" $pport -U "$USER" $S get big.bin
kill "$proxy_pid" 2>/dev/null; wait "$proxy_pid" 2>/dev/null
/usr/bin/python3 "$dir/proxy.py" "$pport" "$port" 6 &
proxy_pid=$!
for _ in $(seq 1 50); do (exec 3<>"/dev/tcp/127.0.0.1/$pport") 2>/dev/null && break; sleep 0.1; done
if run "$pport" --signing off -U "$USER" $S get big.bin && ! cmp -s "$dir/out" "$dir/plain/share/big.bin"; then
  ok "the same change unsigned goes unnoticed (the proxy works)"
else
  bad "unsigned tampering control: rc=$? $(tail -1 "$dir/err")"
fi
kill "$proxy_pid" 2>/dev/null; wait "$proxy_pid" 2>/dev/null
proxy_pid=

# `ntlm auth = ntlmv2-only` (the third configuration): the signing smbd is
# reloaded with it (SIGHUP; new connections fork with the new setting).
# NTLMv1 is then refused; NTLMv2, signed, still works.
conf=$dir/signed/smb.conf
sed -i 's/^  ntlm auth = yes$/  ntlm auth = ntlmv2-only/' "$conf"
if grep -q 'ntlm auth = ntlmv2-only' "$conf" && kill -HUP "$(cat "$dir/signed/smbd.launch.pid")" 2>/dev/null; then
  for _ in $(seq 1 50); do
    run "$sport" --ntlmv1 -U "$USER" $S ls
    [ $? = 2 ] && break
    sleep 0.1
  done
  expect "ntlmv2-only: NTLMv1 refused" 2 STATUS_LOGON_FAILURE $sport --ntlmv1 -U "$USER" $S ls
  run "$sport" -U "$USER" $S put "$dir/local/f64k" v2only && run "$sport" -v -U "$USER" $S get v2only "$dir/back" &&
    cmp -s "$dir/local/f64k" "$dir/back" && grep -q '^(logged on: .*NTLMv2.*, signed)' "$dir/err" &&
    ok "ntlmv2-only + mandatory signing: NTLMv2 put/get, signed" || bad "ntlmv2-only: NTLMv2: $(tail -1 "$dir/err")"
else
  bad "cannot switch smbd to ntlm auth = ntlmv2-only"
fi

# Throughput: 10 MiB get and put, user NTLMv2, plain and signed.
tp() { # label port args...
  local label=$1 p=$2; shift 2
  local t1 t2
  t1=$(date +%s%N)
  run "$p" "$@" || { bad "throughput $label: $(tail -1 "$dir/err")"; return; }
  t2=$(date +%s%N)
  echo "     $label: 10 MiB in $(( (t2 - t1) / 1000000 )) ms"
}
cp "$dir/local/f10m" "$dir/plain/share/tp.bin"; cp "$dir/local/f10m" "$dir/signed/share/tp.bin"
tp "get, unsigned" $port -U "$USER" $S get tp.bin "$dir/back"
tp "get, signed" $sport -U "$USER" $S get tp.bin "$dir/back"
tp "put, unsigned" $port -U "$USER" $S put "$dir/local/f10m" tp2.bin
tp "put, signed" $sport -U "$USER" $S put "$dir/local/f10m" tp2.bin

echo "interop: $pass passed, $fail failed in $(echo "$(date +%s.%N) - $T0" | bc 2>/dev/null || echo '?') s"
[ $fail = 0 ]
