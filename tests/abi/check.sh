#!/bin/bash
# ABI check:  tests/abi/check.sh LIBPATH
#
# Compares LIBPATH (libsmbwire.so.N from a build with -g) with the committed
# baseline tests/abi/libsmbwire.so.N.abi (abidw output for the last release)
# using abidiff, and fails when
#   1. the SONAME differs from the baseline's: the SONAME was bumped but the
#      baseline was not regenerated in the same commit
#      (tests/abi/update-baseline.sh BUILDDIR);
#   2. the library changes the baseline's ABI: a function removed, its
#      signature or symbol version changed, or a type it reaches changed in
#      size or layout.  abidiff sets bit 8 for the first kind and bit 4 for
#      the last (a struct that grew is "only" bit 4), so both fail here;
#      added functions are the only change allowed and are left out of the
#      verdict with --no-added-syms;
#   3. an added function carries a symbol version the baseline already has:
#      new symbols go into a new version node (SMBWIRE_0.2, ...), never into
#      a released one (doc/abi.md);
#   4. the baseline itself was changed (in the working tree against HEAD, or
#      by the last commit against its parent) over a break without a SONAME
#      bump, i.e. regenerated to hide the break; a reset made on purpose
#      before the first release (update-baseline.sh --force, which marks
#      the baseline) passes and is reported.
# Prints a plain "abi: N passed, M failed" line; exit status 0 if none failed.
set -u
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
[ $# -eq 1 ] || { echo "usage: $0 LIBPATH" >&2; exit 2; }
lib=$1
command -v abidiff >/dev/null || { echo "abidiff not found (apt-get install abigail-tools)" >&2; exit 2; }
[ -f "$lib" ] || { echo "no such library: $lib" >&2; exit 2; }
pass=0 fail=0
ok() { echo "ok: $*"; pass=$((pass + 1)); }
ko() { echo "FAIL: $*"; fail=$((fail + 1)); }
soname_of_abi() { sed -n "1s/.*soname='\([^']*\)'.*/\1/p" "$1"; }

soname=$(readelf -d "$lib" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
baseline=$(ls "$here"/*.abi 2>/dev/null | head -1)
[ -n "$baseline" ] || { echo "no baseline *.abi in $here" >&2; exit 2; }
bso=$(soname_of_abi "$baseline")
rel=${baseline#"$src"/}

if readelf -S "$lib" | grep -q '\.debug_info'; then
  ok "$lib has debug info"
else
  ko "$lib has no debug info: abidiff cannot see type changes (build with -g)"
fi

# abidiff OLD NEW [extra options]: sets $rc and $report
diffabi() {
  local old=$1 new=$2; shift 2
  report=$(abidiff --headers-dir2 "$src/include/smbwire" --drop-private-types "$@" \
           "$old" "$new" 2>&1)
  rc=$?
}

if [ "$soname" != "$bso" ]; then
  ko "SONAME is $soname but $rel is for $bso: regenerate the baseline" \
     "(tests/abi/update-baseline.sh BUILDDIR) in the same commit as the bump"
else
  diffabi "$baseline" "$lib" --no-added-syms
  if [ $((rc & 3)) -ne 0 ]; then
    ko "abidiff failed (exit $rc)"; echo "$report"
  elif [ $((rc & 12)) -ne 0 ]; then
    ko "ABI break against $rel with SONAME still $soname (abidiff exit $rc);" \
       "see doc/abi.md: add new functions in a new version node instead, or" \
       "bump the SONAME and regenerate the baseline in the same commit"
    echo "$report"
  else
    ok "no removed or changed interface against $rel"
  fi
  # Additions: allowed, but only under a version node the baseline lacks.
  diffabi "$baseline" "$lib"
  added=$(printf '%s\n' "$report" | sed -n "s/^ *\[A\] .*{\([^}]*\)}.*/\1/p")
  if [ -z "$added" ]; then
    ok "no added functions"
  else
    released=$(sed -n "s/.*<elf-symbol .* version='\([^']*\)'.*/\1/p" "$baseline" | sort -u)
    bad=""
    for s in $added; do
      ver=${s##*@}
      if [ "$ver" = "$s" ] || printf '%s\n' "$released" | grep -qxF "$ver"; then
        bad="$bad $s"
      fi
    done
    if [ -n "$bad" ]; then
      ko "added symbols in a released (or no) version node:$bad;" \
         "put them in a new node in lib/smbwire.map (doc/abi.md)"
    else
      ok "added functions, each in a new version node:" $added
    fi
  fi
fi

# Was the baseline itself changed?  The previous committed version must not
# be broken by this library unless the SONAME changed with it.
if git -C "$src" rev-parse --git-dir >/dev/null 2>&1; then
  prev=""
  if git -C "$src" cat-file -e "HEAD:$rel" 2>/dev/null && \
     ! git -C "$src" diff --quiet HEAD -- "$rel" 2>/dev/null; then
    prev=HEAD
  elif git -C "$src" cat-file -e "HEAD~1:$rel" 2>/dev/null && \
       ! git -C "$src" diff --quiet HEAD~1 HEAD -- "$rel" 2>/dev/null; then
    prev=HEAD~1
  fi
  if [ -n "$prev" ]; then
    old=$(mktemp /tmp/smbwire-abi-old.XXXXXX)
    git -C "$src" show "$prev:$rel" > "$old"
    oso=$(soname_of_abi "$old")
    diffabi "$old" "$lib" --no-added-syms
    if [ $((rc & 12)) -ne 0 ] && [ "$oso" = "$soname" ] && grep -q 'smbwire-abi: reset' "$baseline"; then
      ok "$rel was reset over an ABI break with update-baseline.sh --force" \
         "(pre-release only; doc/abi.md)"
    elif [ $((rc & 12)) -ne 0 ] && [ "$oso" = "$soname" ]; then
      ko "$rel was regenerated over an ABI break (against $prev's baseline)" \
         "without a SONAME bump"
      echo "$report"
    else
      ok "baseline change since $prev: compatible, or with a SONAME bump ($oso -> $soname)"
    fi
    rm -f "$old"
  fi
fi
echo "abi: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
