#!/bin/bash
# The README's second command: the whole test suite.
#  1. gcc build (warnings are errors) and `meson test`: unit tests, golden
#     vectors against tshark, purity/ABI surface, client interop with smbd.
#  2. The same suite built with clang and run under ASan+UBSan.
#  3. libFuzzer targets built with clang+ASan+UBSan, each run for
#     FUZZ_SECONDS (default 30) from its seed corpus, plus the regressions.
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
step() { echo; echo "=== $*"; }

step "gcc build and test suite"
[ -f build/build.ninja ] || meson setup build >/dev/null || exit 1
ninja -C build || exit 1
meson test -C build --print-errorlogs --num-processes 2 || status=1
summary build

step "clang build with ASan+UBSan and test suite"
[ -f build-asan/build.ninja ] || CC=clang meson setup build-asan -Db_sanitize=address,undefined \
  -Db_lundef=false -Dbuildtype=debug >/dev/null || exit 1
ninja -C build-asan || exit 1
ASAN_OPTIONS=detect_leaks=0 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
  meson test -C build-asan --print-errorlogs --num-processes 2 --no-suite interop || status=1
summary build-asan

step "Debian packages: build, lintian, install, consumer test against /usr"
bash tests/consumer/deb.sh . || status=1

step "libFuzzer targets (clang, ASan+UBSan), ${FUZZ_SECONDS:-30} s each"
[ -f build-fuzz/build.ninja ] || CC=clang meson setup build-fuzz -Dfuzz=true -Dtests=false \
  -Dexamples=false -Db_sanitize=address,undefined -Db_lundef=false >/dev/null || exit 1
ninja -C build-fuzz || exit 1
fuzzed=0 fuzzfail=0
for t in build-fuzz/fuzz/fuzz_*; do
  [ -x "$t" ] && [ -f "$t" ] || continue
  name=${t##*/fuzz_}
  work=$(mktemp -d /tmp/smbwire-fuzz.XXXXXX)
  if (cd "$work" && "$OLDPWD/$t" -max_total_time="${FUZZ_SECONDS:-30}" -max_len=8192 \
        -print_final_stats=1 "$work" "$OLDPWD/fuzz/corpus/$name" "$OLDPWD/fuzz/regressions" \
        > "$work/log" 2>&1); then
    echo "fuzz $name: $(grep -E 'stat::number_of_executed_units' "$work/log" | awk '{print $2}') executions, clean"
    fuzzed=$((fuzzed + 1))
  else
    echo "fuzz $name: FINDING"; tail -30 "$work/log"; fuzzfail=$((fuzzfail + 1)); status=1
    cp "$work"/crash-* "$work"/leak-* "$work"/timeout-* fuzz/ 2>/dev/null
  fi
  rm -rf "$work"
done
echo "fuzz: $fuzzed passed, $fuzzfail failed"
echo
[ $status = 0 ] && echo "ALL TESTS PASSED" || echo "SOME TESTS FAILED"
exit $status
