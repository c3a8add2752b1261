#!/bin/bash
# Instructions per message, counted by callgrind (this machine has no
# hardware counters; instruction counts are the stable figures).
#
#   bash tests/bench/callgrind.sh BUILDDIR [BENCH OPTIONS] CAPTURE|DIR...
#
# Runs BUILDDIR/tests/bench/smbwire-bench --count-mode decode, parse, then
# encode, under valgrind --tool=callgrind with collection on only inside
# bench_decode_msg() / bench_parse_msg() / bench_encode_msg()
# (--toggle-collect): the NBSS framing, header, AndX walk and typed
# decoders of one message (as three calls plus the iterator, or as one
# smbw_parse() call), or the
# builder, typed encoders, raw blocks and trailer of one message.  Each
# message is run COUNT_REPS (default 2) times; bench_group_mark() separates
# the groups (--dump-after), one profile per group: the whole corpus, each
# command family (by the first block's command), each of the seed
# exchange's ten messages (tests/golden/impacket-seed.pcapng, or --seed),
# and READ_ANDX responses of 40 B .. 64 KiB of data built with the encoder.
#
# Options after BUILDDIR go to the bench (e.g. --port 14450 for our golden
# captures).  ANNOTATE=N prints the N costliest functions of the corpus
# profiles (default 12, 0 for none); KEEP=1 keeps the profiles.
set -u
if [ $# -lt 2 ]; then
  echo "usage: $0 BUILDDIR [--port N]... [--seed CAPTURE] CAPTURE|DIR..." >&2
  exit 2
fi
build=$1
shift
bench=$build/tests/bench/smbwire-bench
[ -x "$bench" ] || { echo "callgrind.sh: $bench not built (ninja -C $build tests/bench/smbwire-bench)" >&2; exit 2; }
command -v valgrind >/dev/null || { echo "callgrind.sh: valgrind not found (apt-get install -y valgrind)" >&2; exit 2; }
reps=${COUNT_REPS:-2}
annotate=${ANNOTATE:-12}
work=$(mktemp -d "${TMPDIR:-/tmp}/smbwire-callgrind.XXXXXX")
[ "${KEEP:-0}" = 1 ] || trap 'rm -rf "$work"' EXIT

for mode in decode parse typed encode build; do
  mkdir -p "$work/$mode"
  # LD_BIND_NOW: no lazy PLT resolution counted in the first call of memcpy & co.
  if ! LD_BIND_NOW=1 valgrind --tool=callgrind --toggle-collect="bench_${mode}_msg" \
       --dump-after=bench_group_mark --compress-strings=no --compress-pos=no \
       --callgrind-out-file="$work/$mode/cg.out" \
       "$bench" --count-mode "$mode" --count-reps "$reps" "$@" \
       > "$work/$mode/groups.txt" 2> "$work/$mode/valgrind.log"; then
    echo "callgrind.sh: the $mode run failed:" >&2
    tail -20 "$work/$mode/valgrind.log" >&2
    exit 1
  fi
done

/usr/bin/env python3 "$(dirname "$0")/cg_report.py" "$work" "$reps" "$annotate"
[ "${KEEP:-0}" = 1 ] && echo "profiles kept in $work"
exit 0
