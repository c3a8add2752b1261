#!/bin/bash
# smbdump test: the differential test against tshark (diff.py) over our own
# captures (tests/golden/*.pcapng, whose vectors are committed) and over every
# capture in ../shared/captures when present (vectors extracted once with
# tests/golden/extract.py into BUILDDIR/smbdump-vectors, cached, or copied
# from $SMBW_VECTOR_CACHE when that holds fresh ones).  tshark and smbdump
# follow the same ports (139, 445 and those of the .vec header); what
# smbdump recognises as SMB by its bytes on other ports, which tshark does
# not decode, diff.py counts apart ("not compared").  Then
# smbdump in every output mode on every capture, on stdin, and on truncated
# and corrupted copies made in a temporary directory: it must never crash
# or hang (a damaged file may end with exit status 1, never a signal).
# Then the transaction reassembly check (txcheck.py) and the payload check
# (paycheck.py) on the same captures, and the behaviour cases (cases.py).
# The captures of tests/smbdump/captures (directory searches, EA lists and
# security descriptors recorded with tests/payloads/record_*.sh, for the
# transaction payloads) take part in all of it; their vectors are extracted
# into BUILDDIR/smbdump-payload-vectors when tshark is there.
# usage: run.sh SMBDUMP SRCDIR BUILDDIR
# Prints one line per check and a final "smbdump: N passed, M failed".
set -u
smbdump=$1 src=$2 build=$3
py=/usr/bin/python3
[ -x "$py" ] || py=python3
diff_py=$src/tests/smbdump/diff.py
known=$src/tests/known-differences.txt
known_payloads=$src/tests/smbdump/known-differences.txt
shared=${SMBW_SHARED:-$src/../shared}/captures
limit=${SMBDUMP_TIMEOUT:-120}
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok   $*"; }
ko() { fail=$((fail + 1)); echo "FAIL $*"; }

tmp=$(mktemp -d /tmp/smbdump-test.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

have_tshark=1
command -v tshark >/dev/null 2>&1 || have_tshark=0

# ---------------------------------------------------------------- differential
run_diff() { # vecdir capture...
  local vecdir=$1; shift
  local out
  out=$("$py" "$diff_py" --known "$known" --known "$known_payloads" "$smbdump" "$vecdir" "$@" 2>&1)
  local rc=$?
  echo "$out" | sed 's/^/     /'
  if [ $rc -eq 0 ]; then ok "diff: $(echo "$out" | tail -1)"
  else ko "diff ($*): $(echo "$out" | tail -1)"; fi
}

golden=( "$src"/tests/golden/*.pcapng )
run_diff "$src/tests/golden" "${golden[@]}"

# The payload captures: vectors made here (they are not committed).
payload_caps=( "$src"/tests/smbdump/captures/*.pcapng )
if [ $have_tshark -eq 1 ]; then
  pvec=$build/smbdump-payload-vectors
  mkdir -p "$pvec"
  for cap in "${payload_caps[@]}"; do
    base=$(basename "$cap" .pcapng)
    if [ ! -s "$pvec/$base.vec" ] || [ "$cap" -nt "$pvec/$base.vec" ] ||
       [ "$src/tests/golden/extract.py" -nt "$pvec/$base.vec" ]; then
      "$py" "$src/tests/golden/extract.py" --out "$pvec" "$cap" > "$pvec/$base.extract.log" 2>&1 ||
        ko "extract.py $base: $(tail -1 "$pvec/$base.extract.log")"
    fi
  done
  run_diff "$pvec" "${payload_caps[@]}"
else
  echo "no tshark: differential test of the payload captures skipped"
fi

shared_caps=()
if [ -d "$shared" ]; then
  while IFS= read -r cap; do shared_caps+=("$cap"); done < <(
    find "$shared" -name '*.pcap' -o -name '*.pcapng' -o -name '*.cap' | sort)
fi
if [ ${#shared_caps[@]} -gt 0 ] && [ $have_tshark -eq 1 ]; then
  out=$build/smbdump-vectors
  mkdir -p "$out"
  with_vec=()
  for cap in "${shared_caps[@]}"; do
    base=$(basename "$cap"); base=${base%.*}
    vec=$out/$base.vec
    cached=${SMBW_VECTOR_CACHE:-}/$base.vec
    if [ -n "${SMBW_VECTOR_CACHE:-}" ] && [ -s "$cached" ] && ! [ "$cap" -nt "$cached" ] &&
       ! [ "$src/tests/golden/extract.py" -nt "$cached" ] &&
       { [ ! -e "$vec" ] || [ "$cached" -nt "$vec" ]; }; then
      cp "$cached" "$vec"   # fresh vectors of the shared-captures test: read only
    fi
    if [ ! -e "$vec" ] || [ "$cap" -nt "$vec" ] || [ "$src/tests/golden/extract.py" -nt "$vec" ]; then
      # A non-zero exit means tshark and the reassembly disagreed on some
      # packet of a malformed trace; the other packets' vectors are good.
      "$py" "$src/tests/golden/extract.py" --out "$out" "$cap" > "$out/$base.extract.log" 2>&1 || true
      [ -f "$vec" ] || : > "$vec"
    fi
    if grep -q '^msg ' "$vec"; then with_vec+=("$cap"); fi
  done
  echo "shared captures: ${#shared_caps[@]}, with NBSS packets in their vectors: ${#with_vec[@]}"
  [ ${#with_vec[@]} -gt 0 ] && run_diff "$out" "${with_vec[@]}"
else
  echo "no shared captures or no tshark: shared differential test skipped"
fi

# ---------------------------------------------------------------- transactions
# Every completed transaction rebuilt from its fragments, and the refusals
# expected on the captures with secondaries and the MS17-010 traces
# (txcheck.py; those expectations are skipped without ../shared).
tx_caps=( "${golden[@]}" "${payload_caps[@]}" "${shared_caps[@]}" )
[ ${#shared_caps[@]} -eq 0 ] && echo "no shared captures: transaction expectations of the shared traces skipped"
out=$("$py" "$src/tests/smbdump/txcheck.py" "$smbdump" "${tx_caps[@]}" 2>&1)
rc=$?
echo "$out" | sed 's/^/     /'
if [ $rc -eq 0 ]; then ok "$(echo "$out" | tail -1)"
else ko "transaction reassembly: $(echo "$out" | tail -1)"; fi

# ---------------------------------------------------------------- payloads
# Every transaction payload decoded again independently of the library
# (paycheck.py), on the same captures.
out=$("$py" "$src/tests/smbdump/paycheck.py" "$smbdump" "${tx_caps[@]}" 2>&1)
rc=$?
echo "$out" | grep -v '(0 malformed)$' | sed 's/^/     /'
if [ $rc -eq 0 ]; then ok "$(echo "$out" | tail -1)"
else ko "transaction payloads: $(echo "$out" | tail -1)"; fi

# ---------------------------------------------------------------- datagrams
# NetBIOS datagrams (UDP 138): smbdump's "nbdgm" and "smb" objects against
# tshark's nbdgm.*, smb.* and mailslot.* fields (dgramcheck.py), on our own
# recording (tests/golden/record_dgram.sh) and the public captures that
# carry datagrams, when ../shared is there.
dgram_caps=( "$src/tests/framing/dgram-mailslot.pcapng" "$src/tests/framing/netlogon.pcapng" )
for c in 0xl3x1_zeek-EternalSafety/eternalchampion.pcap ntop_nDPI/dos_win98_smb_netbeui.pcap \
         zeek_zeek/raw_ntlm_in_smb.pcap; do
  [ -f "$shared/third-party/$c" ] && dgram_caps+=( "$shared/third-party/$c" )
done
[ ${#dgram_caps[@]} -eq 2 ] && echo "no shared captures: datagram check of the public captures skipped"
if [ $have_tshark -eq 1 ]; then
  out=$("$py" "$src/tests/smbdump/dgramcheck.py" "$smbdump" "${dgram_caps[@]}" 2>&1)
  rc=$?
  echo "$out" | sed 's/^/     /'
  if [ $rc -eq 0 ]; then ok "$(echo "$out" | tail -1)"
  else ko "datagrams: $(echo "$out" | tail -1)"; fi
else
  echo "no tshark: datagram check skipped"
fi

# Fragmented datagrams (none captured): our recording's mailslot datagrams
# cut into pieces, reassembled by smbdump (dgramfrag.py).
if out=$("$py" "$src/tests/smbdump/dgramfrag.py" "$smbdump" "$tmp/dgramfrag" \
         "$src/tests/framing/dgram-mailslot.pcapng" 2>&1); then
  ok "$(echo "$out" | tail -1)"
else
  echo "$out" | grep -v '^ok' | sed 's/^/     /'
  ko "datagram fragments: $(echo "$out" | tail -1)"
fi

# ---------------------------------------------------------------- reassembly
# Captures rewritten with split, reordered, retransmitted, overlapping,
# dropped and snapped segments and in every link type (flowtest.py).
flow_caps=( "${golden[@]}" "$src/tests/smbdump/captures/payload-find.pcapng"
            "$src/tests/smbdump/captures/payload-ea.pcapng" )
for c in smbclient-139 smbclient-user-445 torture-raw-read rpcclient-pipes; do
  [ -f "$shared/samba/$c.pcapng" ] && flow_caps+=("$shared/samba/$c.pcapng")
done
mkdir -p "$tmp/flow"
if out=$("$py" "$src/tests/smbdump/flowtest.py" "$smbdump" "$tmp/flow" "${flow_caps[@]}" 2>&1); then
  ok "reassembly and link layers: $(echo "$out" | grep -c '^ok') rewritten captures"
else
  echo "$out" | grep -v '^ok' | sed 's/^/     /'
  ko "reassembly and link layers: $(echo "$out" | tail -1)"
fi
rm -rf "$tmp/flow"

# ---------------------------------------------------------------- behaviours
# The command line's errors and the capture reading rules on rewritten
# golden captures (cases.py: one line per case).
mkdir -p "$tmp/cases"
if out=$("$py" "$src/tests/smbdump/cases.py" "$smbdump" "$tmp/cases" "$src/tests/golden" 2>&1); then
  ok "behaviours: $(echo "$out" | grep -c '^ok') cases"
else
  echo "$out" | grep -v '^ok' | sed 's/^/     /'
  ko "behaviours: $(echo "$out" | tail -1)"
fi
rm -rf "$tmp/cases"

# ---------------------------------------------------------------- robustness
# status: 0 or 1 is fine (1: the file is damaged); 124 is a hang; >= 128 a signal.
robust() { # label args...
  local label=$1; shift
  timeout -k 5 "$limit" "$smbdump" "$@" > "$tmp/out" 2> "$tmp/err"
  local rc=$?
  if [ $rc -le 1 ]; then return 0; fi
  if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then ko "$label: timed out after ${limit}s"; return 1; fi
  ko "$label: exit status $rc: $(head -c 300 "$tmp/err")"
  return 1
}

all_caps=( "${golden[@]}" "${payload_caps[@]}" "$src/tests/framing/dgram-mailslot.pcapng" "$src/tests/framing/netlogon.pcapng" "$src/tests/framing/netlogon-ad.pcapng" "${shared_caps[@]}" )
ports="--port 4445 --port 14450 --port 14451"
for cap in "${all_caps[@]}"; do
  base=$(basename "$cap")
  bad=0
  for mode in "" "-V" "--json" "--stats"; do
    # shellcheck disable=SC2086
    robust "$base $mode" $mode $ports "$cap" || bad=1
  done
  robust "$base --json (stdin)" --json $ports - < "$cap" || bad=1
  [ $bad -eq 0 ] && ok "$base: every mode, and on stdin"
done

# Truncated and corrupted copies (deterministic): cut at many lengths, and
# bytes flipped after the file header.
mutants=$tmp/mutants
mkdir -p "$mutants"
"$py" - "$mutants" "${all_caps[@]}" <<'EOF'
import os, random, sys
out, caps = sys.argv[1], sys.argv[2:]
rnd = random.Random(20240601)
# a spread of captures: the small ones all, the large ones sampled
caps = sorted(caps, key=os.path.getsize)
pick = caps[:12] + caps[12::5]
n = 0
for cap in pick:
    data = open(cap, 'rb').read()
    base = os.path.splitext(os.path.basename(cap))[0]
    for i in range(4):                                  # truncations
        cut = rnd.randrange(24, max(25, len(data)))
        open(os.path.join(out, '%s-cut%d.pcap' % (base, i)), 'wb').write(data[:cut]); n += 1
    for i in range(4):                                  # corruptions
        b = bytearray(data)
        for _ in range(1 + len(b) // 200):
            pos = rnd.randrange(40, len(b)) if len(b) > 40 else 0
            b[pos] = rnd.randrange(256)
        open(os.path.join(out, '%s-flip%d.pcap' % (base, i)), 'wb').write(bytes(b)); n += 1
    b = bytearray(data)                                 # zeroed runs
    for _ in range(8):
        pos = rnd.randrange(40, len(b)) if len(b) > 48 else 0
        b[pos:pos + 8] = bytes(8)
    open(os.path.join(out, '%s-zero.pcap' % base), 'wb').write(bytes(b)); n += 1
print('%d mutated captures' % n)
EOF
nm=0 nbad=0
for m in "$mutants"/*; do
  nm=$((nm + 1))
  for mode in "--json" "-V" "--stats"; do
    # shellcheck disable=SC2086
    robust "mutant $(basename "$m") $mode" $mode $ports "$m" || { nbad=$((nbad + 1)); break; }
    if [ "$mode" = --json ] && ! "$py" -c 'import json, sys
for line in sys.stdin: json.loads(line)' < "$tmp/out" 2>/dev/null; then
      ko "mutant $(basename "$m"): --json output is not JSON Lines"; nbad=$((nbad + 1)); break
    fi
  done
done
[ $nbad -eq 0 ] && ok "$nm truncated/corrupted captures in --json (valid JSON Lines), -V and --stats"
# Not a capture at all, an empty file, a missing file: a clean error.
: > "$tmp/empty"; head -c 5000 /dev/urandom > "$tmp/random"
for f in "$tmp/empty" "$tmp/random" "$tmp/missing"; do
  timeout "$limit" "$smbdump" --json "$f" > /dev/null 2>&1
  rc=$?
  if [ $rc -eq 1 ]; then ok "$(basename "$f"): clean error"; else ko "$(basename "$f"): exit status $rc (want 1)"; fi
done

echo "smbdump: $pass passed, $fail failed"
[ $fail -eq 0 ]
