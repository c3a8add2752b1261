#!/bin/bash
# Load test of smbwire-server (issue 13): CLIENTS concurrent smbclient
# sessions (NT1, SPNEGO, smbclient's defaults), each getting and putting
# files over and over for SECONDS.  Every file fetched is compared with
# its checksum, every file stored with its source; the server's RSS is
# sampled every second and must stay within its stated bound: never above
# the RSS at start plus CLIENTS times the per-connection size that
# `smbwire-server --help` prints, plus 4 MiB for the allocator and the
# kernel's socket pages; and back within 2 MiB of the start once the
# clients have left (nothing kept).  How fast the connections' buffers are
# first touched depends on the scheduler, so the peak is compared with the
# bound, not with the run's first seconds.  With
# --smbd, the same load runs against Samba's smbd (tests/peers/smbd.sh,
# needs root) on the same files, and both throughputs are printed.
#
# usage: load_server.sh SERVER [--seconds N] [--clients N] [--signing]
#                              [--smbd] [--keep]
#   SERVER      path to smbwire-server
#   --seconds   how long each run lasts (default 30)
#   --clients   concurrent sessions (default 32)
#   --signing   run with signing required (server) and on (clients)
#   --smbd      run against smbd too, and compare
# Exits 77 without smbclient; non-zero if anything was lost, corrupted or
# refused, or the RSS grew.
set -u
server=${1:?usage: load_server.sh SERVER [--seconds N] [--clients N] [--signing] [--smbd]}
shift
seconds=30 clients=32 signing=0 with_smbd=0
while [ $# -gt 0 ]; do
  case $1 in
    --seconds) seconds=$2; shift 2;;
    --clients) clients=$2; shift 2;;
    --signing) signing=1; shift;;
    --smbd) with_smbd=1; shift;;
    *) echo "load_server.sh: unknown option '$1'" >&2; exit 2;;
  esac
done
command -v smbclient >/dev/null 2>&1 || { echo "smbclient not installed: skipped"; exit 77; }
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d /tmp/smbwire-load.XXXXXX)
pid= smbd_dir=
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  [ -n "$smbd_dir" ] && bash "$here/peers/smbd.sh" stop "$smbd_dir" >/dev/null 2>&1
  rm -rf "$dir"
}
trap cleanup EXIT

# The files: 64 KiB, 1 MiB, 4 MiB of random bytes, with their checksums.
src=$dir/src
mkdir -p "$src"
files=(f64k.bin f1m.bin f4m.bin)
head -c 65536 /dev/urandom > "$src/f64k.bin"
head -c 1048576 /dev/urandom > "$src/f1m.bin"
head -c 4194304 /dev/urandom > "$src/f4m.bin"
declare -A sum size
for f in "${files[@]}"; do
  sum[$f]=$(md5sum < "$src/$f" | cut -d' ' -f1)
  size[$f]=$(stat -c %s "$src/$f")
done

NT1=(--option='client min protocol=NT1' --option='client max protocol=NT1')
[ $signing = 1 ] && NT1+=(--option='client signing=required')

# One client: until the deadline, rounds of one smbclient session that
# gets the three files and puts one of them, each checked; writes
# "rounds bytes errors" to its result file.
worker() { # index port user%pass sharedir deadline result
  local i=$1 port=$2 cred=$3 sdir=$4 deadline=$5 res=$6
  local n=0 bytes=0 errors=0 tmp=$dir/w$i
  mkdir -p "$tmp"
  while [ "$(date +%s)" -lt "$deadline" ]; do
    local p=${files[$((n % 3))]} remote=w$i-$n.bin good=1 f
    timeout 60 smbclient //127.0.0.1/share -p "$port" "${NT1[@]}" -U "$cred" \
      -c "get f64k.bin $tmp/f64k.bin; get f1m.bin $tmp/f1m.bin; get f4m.bin $tmp/f4m.bin; put $src/$p $remote" \
      > "$tmp/log" 2>&1 || good=0
    for f in "${files[@]}"; do
      [ -f "$tmp/$f" ] && [ "$(md5sum < "$tmp/$f" | cut -d' ' -f1)" = "${sum[$f]}" ] || good=0
    done
    cmp -s "$sdir/$remote" "$src/$p" || good=0
    if [ $good = 1 ]; then
      bytes=$((bytes + size[f64k.bin] + size[f1m.bin] + size[f4m.bin] + size[$p]))
    else
      errors=$((errors + 1))
      echo "client $i round $n: $(tail -2 "$tmp/log" | tr '\n' ' ')" >> "$dir/errors"
    fi
    rm -f "$sdir/$remote" "$tmp"/*.bin
    n=$((n + 1))
  done
  echo "$n $bytes $errors" > "$res"
}

# RSS of a set of processes (the pid and its children), in KiB, every second.
sample_rss() { # pid out
  while kill -0 "$1" 2>/dev/null; do
    local total=0 p
    # smbd forks a process per client: count every descendant;
    # smbwire-server is one process.
    local procs=$1 frontier=$1
    while [ -n "$frontier" ]; do
      frontier=$(pgrep -P "$(echo $frontier | tr ' ' ,)" 2>/dev/null | tr '\n' ' ')
      procs="$procs $frontier"
    done
    for p in $procs; do
      total=$((total + $(awk '/^VmRSS/ {print $2}' "/proc/$p/status" 2>/dev/null || echo 0)))
    done
    echo "$total" >> "$2"
    sleep 1
  done
}

# One run: CLIENTS workers against PORT for SECONDS; prints a summary line
# and sets run_mbps, run_errors, run_rounds.
run_load() { # label port user%pass sharedir server-pid
  local label=$1 port=$2 cred=$3 sdir=$4 spid=$5
  rm -f "$dir"/res.* "$dir/rss.$label" "$dir/errors"
  sample_rss "$spid" "$dir/rss.$label" &
  local sampler=$!
  local t0 deadline pids=()
  t0=$(date +%s.%N)
  deadline=$(($(date +%s) + seconds))
  for i in $(seq "$clients"); do
    worker "$i" "$port" "$cred" "$sdir" "$deadline" "$dir/res.$i" &
    pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p"; done
  local t1
  t1=$(date +%s.%N)
  sleep 2   # the server settles after the last client left
  kill "$sampler" 2>/dev/null; wait "$sampler" 2>/dev/null
  read -r run_rounds run_bytes run_errors < <(cat "$dir"/res.* | awk '{r += $1; b += $2; e += $3} END {printf "%d %.0f %d\n", r, b, e}')
  run_mbps=$(awk -v b="$run_bytes" -v a="$t0" -v z="$t1" 'BEGIN {printf "%.1f", b / (z - a) / 1048576}')
  local rss
  rss=$(awk '{v[NR] = $1} END {
      n = NR; t = int(n / 3); if (t < 1) t = 1
      for (i = 1; i <= n; i++) { if (v[i] > mx) mx = v[i]; if (i <= t && v[i] > f) f = v[i]; if (i > n - t && v[i] > l) l = v[i] }
      printf "%d %d %d %d %d", v[1], f, l, mx, v[n] }' "$dir/rss.$label")
  read -r rss_first rss_first3 rss_last3 rss_max rss_end <<< "$rss"
  printf '%-15s %d clients, %d s: %d rounds, %d MiB moved, %s MiB/s, %d errors' \
    "$label" "$clients" "$seconds" "$run_rounds" $((run_bytes / 1048576)) "$run_mbps" "$run_errors"
  # smbd's per-client processes do not show up as its descendants here:
  # its RSS is not reported.
  [ "$label" = smbd ] && { echo; return; }
  printf '; RSS KiB: start %d, max first third %d, max last third %d, max %d, idle after %d\n' \
    "$rss_first" "$rss_first3" "$rss_last3" "$rss_max" "$rss_end"
}

status=0
share=$dir/share
mkdir -p "$share"
cp "$src"/* "$share/"
port=$((20000 + RANDOM % 20000))
srv_args=(--listen "127.0.0.1:$port" --share "share=$share" --user 'alice:Passw0rd!')
[ $signing = 1 ] && srv_args+=(--signing required)
"$server" "${srv_args[@]}" 2> "$dir/server.log" &
pid=$!
for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
run_load smbwire-server "$port" 'alice%Passw0rd!' "$share" "$pid"
srv_mbps=$run_mbps
if [ "$run_errors" != 0 ] || [ "$run_rounds" = 0 ]; then
  echo "FAIL smbwire-server: $run_errors errors in $run_rounds rounds"; head -5 "$dir/errors" 2>/dev/null; status=1
fi
conn_bytes=$("$server" --help | sed -n 's/^Memory: \([0-9]*\) bytes per connection.*/\1/p')
rss_bound=$((rss_first + clients * ${conn_bytes:-0} / 1024 + 4096))
if [ -z "$conn_bytes" ]; then
  echo "FAIL smbwire-server --help does not state its memory per connection"; status=1
elif [ "$rss_max" -gt "$rss_bound" ]; then
  echo "FAIL smbwire-server: RSS $rss_max KiB above its bound $rss_bound KiB ($rss_first + $clients x $conn_bytes B + 4 MiB)"; status=1
else
  echo "RSS bound: max $rss_max KiB <= $rss_bound KiB ($rss_first + $clients x $conn_bytes B + 4 MiB)"
fi
if [ "$rss_end" -gt $((rss_first + 2048)) ]; then
  echo "FAIL smbwire-server: RSS did not fall back after the clients left (start $rss_first KiB, idle $rss_end KiB)"; status=1
fi
if ! kill -0 "$pid" 2>/dev/null; then echo "FAIL smbwire-server died"; status=1; fi
grep -q "SMBW_E_" "$dir/server.log" && { echo "FAIL server logged errors:"; grep "SMBW_E_" "$dir/server.log" | head -3; status=1; }
kill "$pid"; wait "$pid" 2>/dev/null; pid=

if [ $with_smbd = 1 ]; then
  smbd_dir=$dir/smbd
  sport=$((port + 1))
  extra=
  [ $signing = 1 ] && extra=signing
  if bash "$here/peers/smbd.sh" start "$smbd_dir" "$sport" $extra > "$dir/smbd.pid" 2> "$dir/smbd.err"; then
    chmod 1777 "$smbd_dir/share"
    cp "$src"/* "$smbd_dir/share/"
    run_load smbd "$sport" 'smbwire%Passw0rd!' "$smbd_dir/share" "$(cat "$dir/smbd.pid")"
    if [ "$run_errors" != 0 ]; then echo "FAIL smbd: $run_errors errors"; head -5 "$dir/errors"; status=1; fi
    echo "throughput: smbwire-server $srv_mbps MiB/s, smbd $run_mbps MiB/s (same files, same clients)"
  else
    echo "smbd did not start: $(tail -2 "$dir/smbd.err")"; status=1
  fi
fi
[ $status = 0 ] && echo "load: ok"
exit $status
