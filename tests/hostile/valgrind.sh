#!/bin/bash
# The unit-test executables of a build under valgrind memcheck: every test
# program (tests/test_*, tests/hostile/test_*) and every fuzz replay driver
# (tests/hostile/replay_*) that `meson test` runs, with its arguments and
# environment, must finish with no memcheck error (--error-exitcode=1;
# definite leaks count as errors).  Check's fork mode is off (CK_FORK=no)
# so the tests run inside the process valgrind watches.  The mutation
# sweep of test_hostile is thinned (SMBW_HOSTILE_STRIDE, default 80) and
# the thread test does one round, to keep the run to minutes.
#
# usage: tests/hostile/valgrind.sh BUILDDIR
#   BUILDDIR: a plain (not sanitized) build with tests, e.g. build/.
set -u
build=$(cd "${1:?usage: valgrind.sh BUILDDIR}" && pwd) || exit 1
command -v valgrind >/dev/null || { echo "valgrind: not installed (apt-get install valgrind)"; exit 1; }
command -v python3 >/dev/null || { echo "valgrind: python3 needed to read the test list"; exit 1; }
san=$(python3 -c "import json,sys; print({x['name']: x['value'] for x in json.load(open(sys.argv[1]))}.get('b_sanitize', 'none'))" \
  "$build/meson-info/intro-buildoptions.json" 2>/dev/null)
if [ -n "$san" ] && [ "$san" != none ]; then
  echo "valgrind: $build is built with -Db_sanitize=$san; use a plain build"
  exit 1
fi
ninja -C "$build" >/dev/null || { echo "valgrind: build failed"; exit 1; }
export CK_FORK=no
export SMBW_HOSTILE_STRIDE=${SMBW_HOSTILE_STRIDE:-80}
export SMBW_THREAD_ROUNDS=${SMBW_THREAD_ROUNDS:-1}
export CK_DEFAULT_TIMEOUT=0
list=$(mktemp)
# name, then the command line, then KEY=VALUE environment lines, per test.
python3 - "$build" >"$list" <<'EOF'
import json, os, sys
build = sys.argv[1]
tests = json.load(open(os.path.join(build, 'meson-info', 'intro-tests.json')))
for t in tests:
    exe = t['cmd'][0]
    base = os.path.basename(exe)
    if not (base.startswith('test_') or base.startswith('replay_')):
        continue
    if not exe.startswith(build) or not os.access(exe, os.X_OK):
        continue
    print('TEST\t' + t['name'])
    print('CMD\t' + '\t'.join(t['cmd']))
    for k, v in (t.get('env') or {}).items():
        print('ENV\t%s=%s' % (k, v))
    print('END')
EOF
passed=0 failed=0
name="" cmd=() envs=()
while IFS=$'\t' read -r kind a rest; do
  case $kind in
    TEST) name=$a cmd=() envs=() ;;
    CMD) IFS=$'\t' read -r -a cmd <<<"$a${rest:+$'\t'$rest}" ;;
    ENV) envs+=("$a") ;;
    END)
      log=$(mktemp)
      start=$(date +%s)
      # (in a subshell: a test that aborts does not make bash print a notice)
      (env ${envs[@]+"${envs[@]}"} valgrind --tool=memcheck --error-exitcode=99 \
        --leak-check=full --errors-for-leak-kinds=definite --show-leak-kinds=definite \
        --track-origins=yes --quiet "${cmd[@]}" >"$log" 2>&1) 2>/dev/null
      rc=$?
      took=$(( $(date +%s) - start ))
      if [ $rc = 0 ]; then
        printf 'valgrind %-22s clean (%ss)\n' "$name" "$took"
        passed=$((passed + 1))
      elif [ $rc = 99 ]; then
        printf 'valgrind %-22s MEMCHECK ERRORS (%ss)\n' "$name" "$took"
        grep -E "^==[0-9]+== " "$log" | head -40
        failed=$((failed + 1))
      else
        printf 'valgrind %-22s no memcheck error, but the test failed (exit %s, %ss)\n' \
          "$name" "$rc" "$took"
        grep -E "security model violated|:F:|:E:|Checks" "$log" | cut -c1-200 | head -10
        failed=$((failed + 1))
      fi
      rm -f "$log"
      ;;
  esac
done <"$list"
rm -f "$list"
echo "valgrind: $passed passed, $failed failed"
[ $failed = 0 ] && [ $passed -gt 0 ]
