#!/bin/bash
# Every capture in ../shared/captures (Samba's peers and the third-party
# traces) through the golden-vector test: tshark's fields are extracted once
# per capture (cached in the build directory), then every NBSS packet and
# SMB1 message is framed, decoded, compared field by field with tshark,
# re-encoded byte for byte and truncated against a guard page.  Listed
# tshark faults and malformed-by-design messages: tests/known-differences.txt.
# Then the TRANSACTION2 records (test_info) over the same vectors: every
# paired parameter block and information level typed, re-encoded and
# compared with tshark.
# usage: shared-captures.sh SRCDIR BUILDDIR TEST_GOLDEN [TEST_INFO]   (77 = skipped)
set -u
src=$1 build=$2 golden=$3
shared=${SMBW_SHARED:-$src/../shared}/captures
if [ ! -d "$shared" ]; then echo "no $shared: skipped"; exit 77; fi
command -v tshark >/dev/null || { echo "tshark not installed: skipped"; exit 77; }
out=${SMBW_VECTOR_CACHE:-$build/shared-vectors}
mkdir -p "$out"
n=0 empty=""
while IFS= read -r cap; do
  base=$(basename "$cap"); base=${base%.*}
  vec=$out/$base.vec
  if [ ! -s "$vec" ] || [ "$cap" -nt "$vec" ] || [ "$src/tests/golden/extract.py" -nt "$vec" ]; then
    # A non-zero exit means tshark and our reassembly disagreed on some
    # packet of a malformed trace; the vectors of the rest are still good.
    /usr/bin/python3 "$src/tests/golden/extract.py" --out "$out" "$cap" > "$out/$base.extract.log" 2>&1 || true
    [ -f "$out/$base.vec" ] || touch "$vec"
  fi
  if grep -q '^msg ' "$vec"; then n=$((n + 1)); else empty="$empty $base"; rm -f "$vec"; fi
done < <(find "$shared" -name '*.pcap' -o -name '*.pcapng' -o -name '*.cap' | sort)
echo "shared captures with NBSS/SMB over TCP: $n; without any (not TCP/NBSS):${empty:- none}"
SMBW_VEC_DIRS=$out SMBW_KNOWN_DIFFS=$src/tests/known-differences.txt "$golden" || exit 1
if [ -n "${4:-}" ]; then
  # smbtorture base.nttrans sends NT_TRANSACT requests of random sizes
  SMBW_VEC_DIRS=$out SMBW_INFO_MALFORMED="torture-base-nttrans" CK_RUN_SUITE=info \
    CK_RUN_CASE=captures "$4" || exit 1
fi
