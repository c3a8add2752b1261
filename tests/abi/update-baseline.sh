#!/bin/bash
# Regenerate the committed ABI baseline from a build:
#   tests/abi/update-baseline.sh BUILDDIR [--force]
#
# BUILDDIR must be a plain (unsanitized) build with debug info (-g; meson's
# default buildtype debugoptimized has it).  The baseline is abidw's view of
# libsmbwire.so.N: exported functions and the public types they reach, read
# from DWARF, without build paths so it does not depend on where it was built.
#
# Rule (doc/abi.md): the baseline may only change incompatibly together with
# the SONAME.  This script refuses to overwrite a baseline that the new
# library breaks unless the SONAME changed; --force overrides it before the
# first release, and leaves a marker comment at the end of the baseline
# that tests/abi/check.sh accepts and reports.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
[ $# -ge 1 ] || { echo "usage: $0 BUILDDIR [--force]" >&2; exit 2; }
build=$1
force=${2:-}
command -v abidw >/dev/null || { echo "abidw not found (apt-get install abigail-tools)" >&2; exit 2; }

# The real file behind the link-time name, so stale libsmbwire.so.N links
# left by an earlier SONAME do not matter.
lib=$(readlink -f "$build/lib/libsmbwire.so" 2>/dev/null || true)
[ -f "$lib" ] || { echo "no $build/lib/libsmbwire.so: not a build dir?" >&2; exit 2; }
soname=$(readelf -d "$lib" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
out="$here/$soname.abi"
readelf -S "$lib" | grep -q '\.debug_info' || { echo "$lib has no debug info (build with -g)" >&2; exit 2; }

reset_marker="<!-- smbwire-abi: reset over an ABI break by update-baseline.sh, forced (allowed before the first release only; doc/abi.md) -->"
tmp=$(mktemp /tmp/smbwire-abi.XXXXXX)
trap 'rm -f "$tmp"' EXIT
abidw --headers-dir "$src/include/smbwire" --drop-private-types \
  --no-corpus-path --no-comp-dir-path --short-locs --out-file "$tmp" "$lib"

for old in "$here"/*.abi; do
  [ -f "$old" ] || continue
  oldso=$(sed -n "1s/.*soname='\([^']*\)'.*/\1/p" "$old")
  set +e
  abidiff --no-added-syms --headers-dir2 "$src/include/smbwire" --drop-private-types \
    "$old" "$lib" >/dev/null 2>&1
  rc=$?
  set -e
  # bit 8: removed/changed symbols; bit 4: changed types (see check.sh)
  if [ $((rc & 12)) -ne 0 ] && [ "$oldso" = "$soname" ]; then
    if [ "$force" != --force ]; then
      echo "refusing: $lib breaks the ABI of $old without a SONAME bump" >&2
      echo "(bump soversion in meson.build first, or pass --force before any release)" >&2
      exit 1
    fi
    # Visible in the diff, and accepted by check.sh's baseline-change rule.
    echo "$reset_marker" >> "$tmp"
  fi
  [ "$old" = "$out" ] || git -C "$src" rm -q --cached "$old" 2>/dev/null || true
  [ "$old" = "$out" ] || rm -f "$old"
done
cp "$tmp" "$out"
echo "wrote $out ($(grep -c '<elf-symbol ' "$out") symbols, SONAME $soname)"
