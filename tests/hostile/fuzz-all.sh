#!/bin/bash
# CI fuzzing: run every libFuzzer target of a -Dfuzz=true build for a
# bounded time, from its seed corpus (fuzz/corpus/NAME) and the
# regressions (fuzz/regressions), and fail on any finding.
#
# usage: tests/hostile/fuzz-all.sh BUILDFUZZDIR [SECONDS]
#   SECONDS per target, default 60; all targets together are kept under
#   20 minutes (the per-target time is lowered if needed).
# Findings (crash-*, leak-*, timeout-*, oom-* inputs) are saved to
# $FUZZ_FINDINGS (default BUILDFUZZDIR/fuzz-findings) and printed in hex;
# to keep one as a regression: cp it to fuzz/regressions/TARGET-what.
# New corpus entries go to a temporary directory (the seed corpora stay
# small; regenerate them with fuzz/make_corpus.py).
set -u
build=${1:?usage: fuzz-all.sh BUILDFUZZDIR [SECONDS]}
secs=${2:-60}
src=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "$build" && pwd) || exit 1
findings=${FUZZ_FINDINGS:-$build/fuzz-findings}
budget=1140 # 19 minutes

targets=()
for t in "$build"/fuzz/fuzz_*; do
  [ -f "$t" ] && [ -x "$t" ] && targets+=("$t")
done
if [ ${#targets[@]} = 0 ]; then
  echo "fuzz-all: no fuzz_* targets in $build/fuzz (configure with -Dfuzz=true)"
  echo "fuzz: 0 passed, 1 failed"
  exit 1
fi
if [ $((secs * ${#targets[@]})) -gt $budget ]; then
  secs=$((budget / ${#targets[@]}))
  echo "fuzz-all: ${#targets[@]} targets, lowered to $secs s each to stay under 20 minutes"
fi

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:abort_on_error=1:print_stacktrace=1}
passed=0 failed=0 total=0
for t in "${targets[@]}"; do
  name=${t##*/fuzz_}
  work=$(mktemp -d /tmp/smbwire-fuzz-"$name".XXXXXX)
  mkdir -p "$work/new"
  seeds=("$src/fuzz/regressions")
  [ -d "$src/fuzz/corpus/$name" ] && seeds=("$src/fuzz/corpus/$name" "${seeds[@]}")
  start=$(date +%s)
  (cd "$work" && "$t" -max_total_time="$secs" -max_len=8192 -timeout=10 -rss_limit_mb=2048 \
      -print_final_stats=1 -artifact_prefix="$work/" "$work/new" "${seeds[@]}" \
      > "$work/log" 2>&1)
  rc=$?
  runs=$(awk '/stat::number_of_executed_units/ {print $2}' "$work/log" | tail -1)
  runs=${runs:-0}
  total=$((total + runs))
  art=$(ls "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-* 2>/dev/null)
  if [ $rc = 0 ] && [ -z "$art" ]; then
    printf 'fuzz %-10s %10s executions in %ss, clean\n' "$name" "$runs" "$(( $(date +%s) - start ))"
    passed=$((passed + 1))
  else
    printf 'fuzz %-10s FINDING after %s executions (exit %s)\n' "$name" "$runs" "$rc"
    grep -E 'security model violated|ERROR: |runtime error|SUMMARY' "$work/log" | head -5
    tail -25 "$work/log"
    mkdir -p "$findings"
    for a in $art; do
      dst="$findings/$name-${a##*/}"
      cp "$a" "$dst"
      echo "  saved $dst ($(stat -c %s "$a") bytes): $(od -An -tx1 -v "$a" | tr -d ' \n' | cut -c1-200)"
    done
    failed=$((failed + 1))
  fi
  rm -rf "$work"
done
echo "fuzz: total $total executions"
echo "fuzz: $passed passed, $failed failed"
[ $failed = 0 ]
