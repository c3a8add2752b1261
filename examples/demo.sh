#!/bin/bash
# The README's first command: install what is needed, build, start a
# throwaway Samba smbd on 127.0.0.1 (high port, temporary config and share,
# NT1 only, ntlm auth = yes) and fetch a file with smbwire-client through
# the seed exchange, printing every decoded message.
set -eu
cd "$(dirname "$0")/.."
bash .ci/deps.sh
[ -f build/build.ninja ] || meson setup build >/dev/null
ninja -C build >/dev/null
export PATH=$PATH:/usr/sbin
dir=$(mktemp -d /tmp/smbwire-demo.XXXXXX)
port=$((20000 + RANDOM % 20000))
trap 'bash tests/peers/smbd.sh stop "$dir" >/dev/null 2>&1; rm -rf "$dir"' EXIT
bash tests/peers/smbd.sh start "$dir" "$port" >/dev/null
echo "== smbd listening on 127.0.0.1:$port; fetching hello.txt with an NBSS session request:"
echo "== build/examples/smbwire-client -p $port --nbss -v -U 'smbwire%Passw0rd!' //127.0.0.1/share get hello.txt"
build/examples/smbwire-client -p "$port" --nbss -v -U 'smbwire%Passw0rd!' //127.0.0.1/share get hello.txt > "$dir/hello.out"
echo "== file contents received:"
cat "$dir/hello.out"
cmp "$dir/hello.out" "$dir/share/hello.txt" && echo "== identical to the file on the share"
