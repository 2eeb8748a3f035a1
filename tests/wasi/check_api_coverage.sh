#!/bin/bash
# Every function wasi.h declares is exported by liborca.so and called by a test or example.
#   check_api_coverage.sh <wasi.h> <liborca.so> <file>...
set -u
header=$1 lib=$2
shift 2
names=$(grep -oE '\b(wasi_[a-z_]+|orca_linker_define_wasi)\(' "$header" | tr -d '(' | sort -u)
exported=$(nm -D --defined-only "$lib" | awk '{print $3}')
passed=0 failed=0
for n in $names; do
  if ! grep -qx "$n" <<< "$exported"; then echo "not exported: $n"; failed=$((failed + 1)); continue; fi
  if ! grep -qw "$n" "$@"; then echo "not used by any test: $n"; failed=$((failed + 1)); continue; fi
  passed=$((passed + 1))
done
[ "$passed" -ge 25 ] || { echo "only $passed functions found in $header"; failed=$((failed + 1)); }
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
