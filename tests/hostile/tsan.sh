#!/bin/bash
# ThreadSanitizer: build the library and tests/hostile/test_threads.c with
# clang -fsanitize=thread in a temporary build directory and run it: four
# threads decode and re-encode every golden message at once and compare
# with a single-threaded run; TSan fails the test on any data race.
#
# usage: tests/hostile/tsan.sh [SRCDIR] [BUILDDIR]
#   SRCDIR defaults to this checkout; BUILDDIR to a new temporary dir.
set -u
src=$(cd "${1:-$(dirname "$0")/../..}" && pwd) || exit 1
build=${2:-$(mktemp -d /tmp/smbwire-tsan.XXXXXX)}
command -v clang >/dev/null || { echo "tsan: clang not installed"; exit 1; }
if [ ! -f "$build/build.ninja" ]; then
  CC=clang meson setup "$build" "$src" -Db_sanitize=thread -Db_lundef=false \
    -Dbuildtype=debugoptimized -Dexamples=false -Dfuzz=false -Dtests=true >/dev/null ||
    { echo "tsan: meson setup failed"; echo "tsan: 0 passed, 1 failed"; exit 1; }
fi
ninja -C "$build" tests/hostile/test_threads >/dev/null ||
  { echo "tsan: build failed"; echo "tsan: 0 passed, 1 failed"; exit 1; }
export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:exitcode=66:second_deadlock_stack=1}
export SMBW_VEC_DIRS=${SMBW_VEC_DIRS:-$src/tests/golden}
if "$build/tests/hostile/test_threads"; then
  echo "tsan: 1 passed, 0 failed"
  exit 0
fi
echo "tsan: 0 passed, 1 failed (data race or mismatch above)"
exit 1
