#!/bin/bash
# The library is pure: libsmbwire.so imports nothing but a handful of
# memory and string primitives (no allocation, no I/O, no threads, no
# clocks), and exports nothing outside smbw_* (plus its version node).
# usage: purity.sh path/to/libsmbwire.so
set -u
lib=$1
fail=0
allowed='^(memchr|memcmp|bcmp|memcpy|memmove|memset|strlen|__stack_chk_fail|__cxa_finalize|__gmon_start__|_ITM_deregisterTMCloneTable|_ITM_registerTMCloneTable)$'
imports=$(nm -D --undefined-only "$lib" | awk '{print $NF}' | sed 's/@.*//')
echo "imports: $(echo $imports)"
for s in $imports; do
  if ! [[ $s =~ $allowed ]]; then
    echo "FAIL: $lib imports $s (only memory/string primitives are allowed)"
    fail=1
  fi
done
for s in malloc calloc realloc free open read write send recv fopen printf; do
  if echo "$imports" | grep -qx "$s"; then echo "FAIL: imports $s"; fail=1; fi
done
exports=$(nm -D --defined-only "$lib" | awk '{print $3}' | sed 's/@.*//')
n=0
for s in $exports; do
  case $s in
    smbw_*) n=$((n + 1)) ;;
    SMBWIRE_*) ;;
    *) echo "FAIL: $lib exports $s outside smbw_*"; fail=1 ;;
  esac
done
# Every export carries a version from the linker script.
unversioned=$(nm -D --defined-only "$lib" | awk '$3 ~ /^smbw_/ && $3 !~ /@@SMBWIRE_/ {print $3}')
if [ -n "$unversioned" ]; then echo "FAIL: unversioned exports: $unversioned"; fail=1; fi
soname=$(objdump -p "$lib" | awk '/SONAME/ {print $2}')
[ "$soname" = libsmbwire.so.0 ] || { echo "FAIL: SONAME is '$soname'"; fail=1; }
# No writable global data: no mutable global state.
# (.data.rel.ro holds const pointer tables and is read-only after relocation.)
data=$(objdump -t "$lib" | awk '$0 ~ / O / && ($4 == ".data" || $4 == ".bss") {print $NF}' | grep -v -E '^(__dso_handle|__TMC_END__|completed\.[0-9]+)$' || true)
if [ -n "$data" ]; then echo "FAIL: writable data symbols: $data"; fail=1; fi
echo "$n exported smbw_* symbols, SONAME $soname"
if [ $fail = 0 ]; then echo "1 passed, 0 failed"; else echo "0 passed, 1 failed"; fi
exit $fail
