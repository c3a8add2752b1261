#!/bin/bash
# CI fuzzing: run every libFuzzer target of a -Dfuzz=true build for a
# bounded time, from its seed corpus (fuzz/corpus/NAME) and the
# regressions (fuzz/regressions), and fail on any finding.
#
# usage: tests/hostile/fuzz-all.sh BUILDFUZZDIR [SECONDS]
#   SECONDS per target, default 60; all targets together are kept under
#   20 minutes (the per-target time is lowered if needed).  Targets run
#   FUZZ_JOBS at a time (default: the number of CPUs), each on one core,
#   and their reports are printed in target order.
# Findings (crash-*, leak-*, timeout-*, oom-* inputs) are saved to
# $FUZZ_FINDINGS (default BUILDFUZZDIR/fuzz-findings) and printed in hex;
# to keep one as a regression: cp it to fuzz/regressions/TARGET-what.
# New corpus entries go to a temporary directory (the seed corpora stay
# small; regenerate them with fuzz/make_corpus.py).
# Each run is reproducible: libFuzzer gets -seed=N, N a 31-bit positive
# number hashed from the commit under test (git rev-parse HEAD in the
# source directory) and the target name; without git (or outside a git
# checkout) the commit is replaced by a fixed string, so the seeds are
# fixed.  The seed is printed for every target, and a finding prints the
# exact command that repeats the run and the command that replays each
# saved input.
set -u
build=${1:?usage: fuzz-all.sh BUILDFUZZDIR [SECONDS]}
secs=${2:-60}
src=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "$build" && pwd) || exit 1
findings=${FUZZ_FINDINGS:-$build/fuzz-findings}
budget=1140 # 19 minutes of wall time
jobs=${FUZZ_JOBS:-$(nproc 2>/dev/null || echo 1)}
[ "$jobs" -ge 1 ] 2>/dev/null || jobs=1

targets=()
for t in "$build"/fuzz/fuzz_*; do
  [ -f "$t" ] && [ -x "$t" ] && targets+=("$t")
done
if [ ${#targets[@]} = 0 ]; then
  echo "fuzz-all: no fuzz_* targets in $build/fuzz (configure with -Dfuzz=true)"
  echo "fuzz: 0 passed, 1 failed"
  exit 1
fi
rounds=$(( (${#targets[@]} + jobs - 1) / jobs ))
if [ $((secs * rounds)) -gt $budget ]; then
  secs=$((budget / rounds))
  echo "fuzz-all: ${#targets[@]} targets, lowered to $secs s each to stay under 20 minutes"
fi

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:abort_on_error=1:print_stacktrace=1}

# The commit the seeds derive from.
rev=$(git -C "$src" rev-parse HEAD 2>/dev/null) || rev=
if [ -n "$rev" ]; then
  echo "fuzz-all: seeds from commit $rev"
else
  rev=no-git
  echo "fuzz-all: git not available in $src: fixed seeds"
fi
# seed_of NAME: 31 bits of sha256("REV NAME"), never 0 (libFuzzer's
# -seed=0 means "pick one at random").
seed_of() {
  local h
  h=$(printf '%s %s' "$rev" "$1" | sha256sum | cut -c1-8)
  h=$(( 0x$h & 0x7FFFFFFF ))
  [ "$h" = 0 ] && h=1
  echo "$h"
}
results=$(mktemp -d /tmp/smbwire-fuzz-results.XXXXXX)
# run_one TARGET: fuzz it; its report goes to $results/NAME.out, its
# execution count to $results/NAME.runs, and NAME.fail marks a finding.
run_one() {
  local t=$1 name=${1##*/fuzz_}
  exec > "$results/$name.out" 2>&1
  work=$(mktemp -d /tmp/smbwire-fuzz-"$name".XXXXXX)
  mkdir -p "$work/new"
  seeds=("$src/fuzz/regressions")
  [ -d "$src/fuzz/corpus/$name" ] && seeds=("$src/fuzz/corpus/$name" "${seeds[@]}")
  seed=$(seed_of "$name")
  opts=(-seed="$seed" -max_total_time="$secs" -max_len=8192 -timeout=10 -rss_limit_mb=2048
        -print_final_stats=1)
  start=$(date +%s)
  (cd "$work" && "$t" "${opts[@]}" -artifact_prefix="$work/" "$work/new" "${seeds[@]}" \
      > "$work/log" 2>&1)
  rc=$?
  runs=$(awk '/stat::number_of_executed_units/ {print $2}' "$work/log" | tail -1)
  runs=${runs:-0}
  echo "$runs" > "$results/$name.runs"
  art=$(ls "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-* 2>/dev/null)
  if [ $rc = 0 ] && [ -z "$art" ]; then
    printf 'fuzz %-10s %10s executions in %ss, seed %s, clean\n' "$name" "$runs" \
      "$(( $(date +%s) - start ))" "$seed"
  else
    printf 'fuzz %-10s FINDING after %s executions (exit %s), seed %s\n' "$name" "$runs" "$rc" \
      "$seed"
    grep -E 'security model violated|ERROR: |runtime error|SUMMARY' "$work/log" | head -5
    tail -25 "$work/log"
    # The same run again, from an empty new-corpus directory as here.
    printf '  repeat the run: d=$(mktemp -d) && mkdir "$d/new" && cd "$d" && ASAN_OPTIONS=%q UBSAN_OPTIONS=%q' \
      "$ASAN_OPTIONS" "$UBSAN_OPTIONS"
    printf ' %q' "$t" "${opts[@]}"
    printf ' -artifact_prefix="$d/" "$d/new"'
    printf ' %q' "${seeds[@]}"
    printf '\n'
    mkdir -p "$findings"
    for a in $art; do
      dst="$findings/$name-${a##*/}"
      cp "$a" "$dst"
      echo "  saved $dst ($(stat -c %s "$a") bytes): $(od -An -tx1 -v "$a" | tr -d ' \n' | cut -c1-200)"
      printf '  replay it: ASAN_OPTIONS=%q UBSAN_OPTIONS=%q %q %q\n' "$ASAN_OPTIONS" \
        "$UBSAN_OPTIONS" "$t" "$dst"
    done
    touch "$results/$name.fail"
  fi
  rm -rf "$work"
}

[ "$jobs" -gt 1 ] && echo "fuzz-all: $jobs targets at a time, $secs s each"
running=0
for t in "${targets[@]}"; do
  if [ $running -ge "$jobs" ]; then
    wait -n
    running=$((running - 1))
  fi
  run_one "$t" &
  running=$((running + 1))
done
wait
passed=0 failed=0 total=0
for t in "${targets[@]}"; do
  name=${t##*/fuzz_}
  cat "$results/$name.out"
  total=$((total + $(cat "$results/$name.runs" 2>/dev/null || echo 0)))
  if [ -e "$results/$name.fail" ] || [ ! -e "$results/$name.runs" ]; then
    failed=$((failed + 1))
  else
    passed=$((passed + 1))
  fi
done
rm -rf "$results"
echo "fuzz: total $total executions"
echo "fuzz: $passed passed, $failed failed"
[ $failed = 0 ]
