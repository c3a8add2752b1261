#!/bin/bash
# The README's second command: the whole test suite.
#  1. gcc build (warnings are errors) and `meson test`: unit tests, golden
#     vectors against tshark (ours and ../shared/captures), smbdump against
#     tshark, hostile vectors, fuzz replays, purity, ABI, headers, the
#     installed-library consumer, client interop with smbd.
#  2. The same suite built with clang and run under ASan+UBSan (the hostile
#     mutation sweep thinned to every 4th mutation: the gcc leg runs it
#     whole against guard pages, and whole under ASan it takes 9 minutes).
#  3. Debian packages: build, lintian, install, consumer against /usr.
#  4. Coverage gate (gcovr over lib/: >= 95% lines, >= 90% branches),
#     valgrind memcheck of the unit tests, ThreadSanitizer.
#  5. Cross builds for big-endian s390x and 32-bit i386 (static, tests
#     under qemu-user, the hostile sweeps thinned): tests/cross/run.sh.
#  6. libFuzzer targets built with clang+ASan+UBSan, each run for
#     FUZZ_SECONDS (default 60) from its seed corpus and the regressions,
#     one per CPU at a time.
# Each step prints its wall time; the whole run is kept under 40 minutes.
set -u
cd "$(dirname "$0")/.."
bash .ci/deps.sh || exit 1
export PATH=$PATH:/usr/sbin
# The tshark vectors of ../shared/captures are extracted once for all builds.
export SMBW_VECTOR_CACHE=$PWD/build/shared-vectors
status=0
summary() { # build dir: print Check's summary lines and the plain ones
  grep -h -E "^[0-9]+%: Checks: |^[a-z-]*:? ?[0-9]+ passed, [0-9]+ failed" "$1/meson-logs/testlog.txt" || true
}
t0=$SECONDS last=$SECONDS
step() {
  [ -n "${name:-}" ] && echo "--- $name: $((SECONDS - last)) s"
  last=$SECONDS name=$*
  echo; echo "=== $*"
}

step "gcc build and test suite"
[ -f build/build.ninja ] || meson setup build >/dev/null || exit 1
ninja -C build || exit 1
meson test -C build --print-errorlogs --num-processes 2 || status=1
summary build

# (Not the load test: it checks that the server's RSS stays flat, which
# ASan's quarantine of freed memory makes it not; the gcc leg runs it.)
step "clang build with ASan+UBSan and test suite"
[ -f build-asan/build.ninja ] || CC=clang meson setup build-asan -Db_sanitize=address,undefined \
  -Db_lundef=false -Dbuildtype=debug >/dev/null || exit 1
ninja -C build-asan || exit 1
ASAN_OPTIONS=detect_leaks=0 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
  SMBW_HOSTILE_STRIDE=${SMBW_HOSTILE_STRIDE:-4} meson test -C build-asan --print-errorlogs --num-processes 2 --no-suite interop --no-suite load || status=1
summary build-asan

step "Debian packages: build, lintian, install, consumer test against /usr"
bash tests/consumer/deb.sh . || status=1

step "Coverage gate: gcovr over lib/ (>= 95% lines, >= 90% branches)"
bash tests/hostile/coverage.sh . build-coverage || status=1

step "valgrind memcheck of the unit tests"
bash tests/hostile/valgrind.sh build || status=1

step "ThreadSanitizer: decoding and encoding from 4 threads"
bash tests/hostile/tsan.sh . build-tsan || status=1

step "Cross builds: s390x (big-endian) and i386 (32-bit) under qemu-user"
bash tests/cross/run.sh s390x i386 || status=1

step "libFuzzer targets (clang, ASan+UBSan), ${FUZZ_SECONDS:-60} s each"
[ -f build-fuzz/build.ninja ] || CC=clang meson setup build-fuzz -Dfuzz=true -Dtests=false \
  -Dexamples=false -Db_sanitize=address,undefined -Db_lundef=false >/dev/null || exit 1
ninja -C build-fuzz || exit 1
bash tests/hostile/fuzz-all.sh build-fuzz "${FUZZ_SECONDS:-60}" || status=1

echo "--- $name: $((SECONDS - last)) s"
echo "--- total: $((SECONDS - t0)) s"
echo
[ $status = 0 ] && echo "ALL TESTS PASSED" || echo "SOME TESTS FAILED"
exit $status
