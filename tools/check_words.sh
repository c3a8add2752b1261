#!/bin/bash
# words-generated test: lib/commands/words_gen.h must be what
# tools/gen_words.c prints from the current row tables.
#   check_words.sh GEN_WORDS lib/commands/words_gen.h
set -u
if "$1" | cmp -s - "$2"; then
  echo "words_gen.h: current"
else
  echo "FAIL: $2 is stale; regenerate it: $1 > $2"
  exit 1
fi
