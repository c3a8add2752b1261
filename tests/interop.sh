#!/bin/bash
# Interop: smbwire-client against a real Samba smbd on 127.0.0.1 (high
# port), through the seed exchange, on direct TCP and with an NBSS session
# request, as a user (NTLMv1 with the 8-byte challenge), anonymously and as
# guest; and the error paths with their status names and exit codes.
# usage: interop.sh path/to/smbwire-client   (skips with 77 without smbd)
set -u
client=$1
here=$(cd "$(dirname "$0")" && pwd)
command -v smbd >/dev/null 2>&1 || [ -x /usr/sbin/smbd ] || { echo "smbd not installed: skipped"; exit 77; }
[ "$(id -u)" = 0 ] || { echo "needs root to run smbd: skipped"; exit 77; }
export PATH=$PATH:/usr/sbin
dir=$(mktemp -d /tmp/smbwire-interop.XXXXXX)
port=$((20000 + RANDOM % 20000))
pass=0 fail=0
cleanup() { bash "$here/peers/smbd.sh" stop "$dir" >/dev/null 2>&1; rm -rf "$dir"; }
trap cleanup EXIT
bash "$here/peers/smbd.sh" start "$dir" "$port" >/dev/null || { echo "cannot start smbd"; exit 1; }
share=$dir/share

ok() { echo "ok   $*"; pass=$((pass + 1)); }
bad() { echo "FAIL $*"; fail=$((fail + 1)); }

# get FILE with ARGS: the bytes must be identical to the share's file.
get() { # name file args...
  local name=$1 file=$2; shift 2
  if timeout 60 "$client" -p "$port" "$@" //127.0.0.1/share get "$file" > "$dir/out" 2> "$dir/err" &&
     cmp -s "$dir/out" "$share/$file"; then
    ok "$name ($(stat -c %s "$dir/out") bytes)"
  else
    bad "$name: rc=$? $(tail -3 "$dir/err")"
  fi
}
# expect a failure with exit code RC and TEXT on stderr
expect() { # name rc text args...
  local name=$1 want=$2 text=$3; shift 3
  timeout 60 "$client" -p "$port" "$@" > /dev/null 2> "$dir/err"
  local rc=$?
  if [ $rc = "$want" ] && grep -q "$text" "$dir/err"; then
    ok "$name: exit $rc, $(grep -o "$text" "$dir/err" | head -1)"
  else
    bad "$name: exit $rc (want $want), stderr: $(tail -2 "$dir/err")"
  fi
}

get "user, direct TCP, small file" hello.txt -U 'smbwire%Passw0rd!'
get "user, direct TCP, 100000 bytes" big.bin -U 'smbwire%Passw0rd!'
get "user, NBSS session request" big.bin --nbss -U 'smbwire%Passw0rd!'
get "anonymous" hello.txt -N
get "guest" hello.txt -U 'guest%'
# -v decodes every message: the seed exchange must all be there.
if timeout 60 "$client" -p "$port" --nbss -v -U 'smbwire%Passw0rd!' //127.0.0.1/share get hello.txt \
     > /dev/null 2> "$dir/verbose"; then
  missing=""
  for c in NEGOTIATE SESSION_SETUP_ANDX TREE_CONNECT_ANDX OPEN_ANDX READ_ANDX; do
    grep -q "SMB_COM_$c" "$dir/verbose" || missing="$missing $c"
  done
  if [ -z "$missing" ]; then ok "-v shows the seed exchange"; else bad "-v lacks$missing"; fi
else
  bad "-v run failed"
fi
expect "missing file" 2 STATUS_OBJECT_NAME_NOT_FOUND -U 'smbwire%Passw0rd!' //127.0.0.1/share get nosuch.txt
expect "wrong password" 2 STATUS_LOGON_FAILURE -U 'smbwire%wrong' //127.0.0.1/share get hello.txt
expect "missing share" 2 STATUS_BAD_NETWORK_NAME -U 'smbwire%Passw0rd!' //127.0.0.1/nosuch get hello.txt
expect "usage" 1 "usage" -U 'smbwire%Passw0rd!' //127.0.0.1/share
echo "interop: $pass passed, $fail failed"
[ $fail = 0 ]
