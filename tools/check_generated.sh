#!/bin/bash
# forms-generated test: a generated file must be what its generator
# prints from the current row tables.
#   check_generated.sh GENERATOR FILE
set -u
if "$1" | cmp -s - "$2"; then
  echo "$(basename "$2"): current"
else
  echo "FAIL: $2 is stale; regenerate it: $1 > $2"
  exit 1
fi
