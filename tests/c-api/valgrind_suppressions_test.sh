#!/usr/bin/env bash
# valgrind.supp hides only what it claims to: the guard-page faults of wasm code. Runs
# valgrind_probe under the options of the valgrind tests and checks that
#   guard          (an out-of-bounds wasm load that traps) passes: the suppression is used,
#   host-overflow  (a host function called from wasm reads past a heap block) is reported,
#   leak           (a definitely lost block after a guard-page trap) is reported.
# Usage: valgrind_suppressions_test.sh VALGRIND SUPPRESSIONS PROBE
set -u
valgrind=$1 supp=$2 probe=$3
failures=0
run() {  # run MODE EXPECTED_STATUS PATTERN
  local out status
  out=$("$valgrind" -s --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite --smc-check=all-non-file \
        --suppressions="$supp" "$probe" "$1" 2>&1)
  status=$?
  if [[ $status -ne $2 ]] || ! grep -qE -- "$3" <<<"$out"; then
    echo "FAIL $1: expected status $2 and /$3/, got status $status:"
    grep -vE 'large range|switching stacks|max-stackframe|further instances' <<<"$out" | tail -n 30
    failures=$((failures + 1))
  else
    echo "ok   $1: $(grep -oE -- "$3" <<<"$out" | head -n 1)"
  fi
}
run guard 0 'used_suppression: +[0-9]+ orca-guard-page-trap-Addr1'
run host-overflow 1 'Invalid read of size 1'
run leak 1 'definitely lost: 64 bytes in 1 blocks'
[[ $failures -eq 0 ]]
