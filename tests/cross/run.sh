#!/bin/bash
# Cross builds of the library and its test suite for big-endian 64-bit
# s390x and little-endian 32-bit i386 (Debian's cross compilers, Check from
# the foreign architecture), with the tests run under qemu-user: byte order
# and 32-bit size_t bugs show up here and not on amd64.
#
# usage: tests/cross/run.sh [ARCH...]     ARCH: s390x, i386 (default: both)
#
# Per architecture: installs what it needs when missing (like .ci/deps.sh:
# dpkg is asked first, apt-get only runs for what is missing), configures
# build-ARCH with tests/cross/ARCH.ini (static linking: dynamically linked
# s390x programs abort in this qemu's loader), builds, runs `meson test`,
# and prints meson's summary and a plain "cross-ARCH: N passed, M failed".
# Exits non-zero if anything failed.
#
# Not run on cross builds (tests/meson.build, meson.is_cross_build()): the
# tests that need the host's tools, which the native legs run anyway:
# tshark (shared-captures), abidiff (abi), host gcc/clang/g++ (headers),
# the installed-library consumer, purity (the shared library, which the
# static cross builds link nowhere), and the examples (smbdump, interop:
# -Dexamples=false).  Everything else runs: unit, golden vectors (plain
# files under tests/golden/), formats, hostile, threads, coverage and every
# fuzz replay.
#
# Thinned under qemu, which is several times slower than native: the golden
# mutation sweep of test_hostile (every truncation and single-byte mutation
# of every golden message: 5.5 min on s390x, 10 min on i386 when whole, on
# a busy 2-core machine; 35 s and 40 s at stride 17) and
# the size sweeps of test_ea try every SMBW_HOSTILE_STRIDE-th case, default
# 17 here (coprime with 256, so each position still sees varied byte
# values), the way tests/hostile/valgrind.sh thins them under valgrind.  The
# native legs run them whole.  SMBW_HOSTILE_STRIDE=1 runs them whole here.
# Nothing else is thinned.  From scratch (apt included) both architectures
# took about 5 minutes on a busy 2-core machine.
set -u
cd "$(dirname "$0")/../.." || exit 1
src=$PWD
archs=${*:-s390x i386}

# The sweeps thinned under qemu (see above).
export SMBW_HOSTILE_STRIDE=${SMBW_HOSTILE_STRIDE:-17}
echo "cross: sweeps of test_hostile and test_ea thinned: SMBW_HOSTILE_STRIDE=$SMBW_HOSTILE_STRIDE"

now() { date +%s; }

# install PKG...: install the packages that dpkg does not list as installed.
install() {
  local missing="" p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
  done
  [ -z "$missing" ] && return 0
  [ "$(id -u)" = 0 ] || { echo "cross: run as root to install:$missing" >&2; return 1; }
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq || return 1
  # (other jobs on this machine may hold the dpkg lock for a while)
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=600 $missing >/dev/null
}

# deps ARCH: the cross compiler, qemu-user and Check for ARCH.
deps() {
  local debarch=$1 triplet
  case $1 in
    s390x) triplet=s390x-linux-gnu ;;
    i386) triplet=i686-linux-gnu ;;
    *) echo "cross: unknown architecture $1 (s390x, i386)" >&2; return 1 ;;
  esac
  if ! dpkg --print-foreign-architectures | grep -qx "$debarch"; then
    [ "$(id -u)" = 0 ] || { echo "cross: run as root to add architecture $debarch" >&2; return 1; }
    dpkg --add-architecture "$debarch" || return 1
    # (install below sees check:$debarch missing and runs apt-get update)
  fi
  install meson ninja-build pkg-config qemu-user-static "gcc-$triplet" "libc6-dev-$debarch-cross" \
    "check:$debarch" "libsubunit-dev:$debarch"
}

status=0
for arch in $archs; do
  echo
  echo "=== cross: $arch"
  build=build-$arch
  t0=$(now)
  deps "$arch" || { echo "cross: installing the $arch toolchain failed"; status=1
    echo "cross-$arch: 0 passed, 1 failed"; continue; }
  t1=$(now)
  ok=1
  log=$(mktemp)
  if [ ! -f "$build/build.ninja" ]; then
    rm -rf "$build"
    meson setup "$build" --cross-file "$src/tests/cross/$arch.ini" \
      -Dexamples=false -Ddocs=disabled >"$log" 2>&1 || { cat "$log"; ok=0; }
  fi
  [ $ok = 1 ] && { ninja -C "$build" -j 2 >/dev/null || { ninja -C "$build" -j 1; ok=0; }; }
  t2=$(now)
  rc=0
  : >"$log"
  if [ $ok = 1 ]; then
    meson test -C "$build" --print-errorlogs --num-processes 2 >"$log" 2>&1 || rc=$?
    if [ $rc != 0 ]; then
      cat "$log" # the failures with their logs, and meson's summary
    else
      grep -E "^(Ok|Expected Fail|Fail|Unexpected Pass|Skipped|Timeout): " "$log"
    fi
    grep -E "^[0-9]+%: Checks: " "$build/meson-logs/testlog.txt" | sed "s/^/  /"
  fi
  t3=$(now)
  field() { sed -n "s/^$1: *\([0-9]*\).*/\1/p" "$log" | tail -1; }
  passed=$(field Ok) fail=$(field Fail) upass=$(field "Unexpected Pass") tmo=$(field Timeout)
  failed=$(( ${fail:-0} + ${upass:-0} + ${tmo:-0} ))
  passed=${passed:-0}
  [ $rc != 0 ] && [ $failed = 0 ] && failed=1
  # a build or setup failure, or a run that counted no test, fails too
  if [ $ok = 0 ] || [ "$passed" = 0 ]; then
    if [ $ok = 0 ]; then echo "cross: $arch: setup or build failed"
    else echo "cross: $arch: no test passed"; [ $rc = 0 ] && cat "$log"; fi
    [ $failed = 0 ] && failed=1
  fi
  [ $failed = 0 ] || status=1
  rm -f "$log"
  echo "cross $arch: install $((t1 - t0)) s, setup+build $((t2 - t1)) s, test $((t3 - t2)) s"
  echo "cross-$arch: $passed passed, $failed failed"
done
exit $status
