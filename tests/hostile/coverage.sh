#!/bin/bash
# Coverage gate: build with gcc and -Db_coverage=true, run the whole meson
# test suite (the interop suite only when smbd is installed), measure lib/
# only with gcovr, print the line and branch figures, and fail below
# 95 % of lines or 90 % of branches.
#
# usage: tests/hostile/coverage.sh SRCDIR [BUILDDIR]
#   BUILDDIR defaults to a new temporary directory (kept, and printed, so
#   its per-file report coverage.txt and html can be read).
# Needs: gcc, meson, ninja, gcovr (apt-get install gcovr).
# Branches are counted at -O0 (buildtype=debug, atomic counters), with gcovr's
# --exclude-unreachable-branches --exclude-throw-branches.
set -u
LINE_MIN=95
BRANCH_MIN=90
src=$(cd "${1:?usage: coverage.sh SRCDIR [BUILDDIR]}" && pwd) || exit 1
build=${2:-$(mktemp -d /tmp/smbwire-coverage.XXXXXX)}
mkdir -p "$build" && build=$(cd "$build" && pwd) || exit 1 # absolute: gcovr runs from inside it
command -v gcovr >/dev/null || { echo "coverage: gcovr not installed (apt-get install gcovr)"; exit 1; }
export PATH=$PATH:/usr/sbin

suites=()
examples=false
if command -v smbd >/dev/null; then
  examples=true
else
  suites+=(--no-suite interop)
  echo "coverage: smbd not installed, the interop suite is left out"
fi
if [ ! -f "$build/build.ninja" ]; then
  # Atomic counters: test_threads runs the library on 4 threads at once.
  CC=gcc meson setup "$build" "$src" -Db_coverage=true -Dbuildtype=debug -Dfuzz=false \
    -Dtests=true -Dexamples=$examples -Dc_args=-fprofile-update=atomic >/dev/null ||
    { echo "coverage: meson setup failed"; exit 1; }
fi
ninja -C "$build" >/dev/null || { echo "coverage: build failed"; exit 1; }
find "$build" -name '*.gcda' -delete
tests_ok=1
meson test -C "$build" --no-rebuild --num-processes "$(nproc)" ${suites[@]+"${suites[@]}"} \
  >"$build/coverage-tests.log" 2>&1 || tests_ok=0
grep -E "^(Ok|Fail|Timeout|Skipped):" "$build/coverage-tests.log" | tr '\n' ' '
echo
[ $tests_ok = 1 ] || echo "coverage: some tests failed (see $build/meson-logs/testlog.txt); figures below still count"

common=(--root "$src" --filter "$src/lib/" --exclude-unreachable-branches --exclude-throw-branches)
(cd "$build" && gcovr "${common[@]}" --object-directory "$build" --txt "$build/coverage.txt" \
   --html-details "$build/coverage.html" --print-summary "$build" >"$build/coverage-summary.txt" 2>&1)
(cd "$build" && gcovr "${common[@]}" --object-directory "$build" --branches --txt \
   "$build/coverage-branches.txt" "$build" >/dev/null 2>&1)
lines=$(awk '/^lines:/ {sub("%", "", $2); print $2}' "$build/coverage-summary.txt")
branches=$(awk '/^branches:/ {sub("%", "", $2); print $2}' "$build/coverage-summary.txt")
if [ -z "$lines" ] || [ -z "$branches" ]; then
  cat "$build/coverage-summary.txt"
  echo "coverage: gcovr gave no figures"
  exit 1
fi
cat "$build/coverage.txt"
grep -E "^(lines|branches):" "$build/coverage-summary.txt"
echo "coverage: lib/ lines ${lines}% (gate ${LINE_MIN}%), branches ${branches}% (gate ${BRANCH_MIN}%)"
echo "coverage: per-file reports in $build/coverage.txt, $build/coverage-branches.txt, $build/coverage.html"
ok=$(awk -v l="$lines" -v b="$branches" -v lm=$LINE_MIN -v bm=$BRANCH_MIN \
  'BEGIN {print (l + 0 >= lm && b + 0 >= bm) ? 1 : 0}')
if [ "$ok" = 1 ]; then
  echo "coverage: 1 passed, 0 failed"
  exit 0
fi
echo "coverage: 0 passed, 1 failed"
exit 1
