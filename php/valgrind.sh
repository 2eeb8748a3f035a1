#!/usr/bin/env bash
# Runs every .phpt test's code of php/tests under valgrind with PHP's own allocator off
# (USE_ZEND_ALLOC=0, so each PHP value is a malloc valgrind can follow), against an extension
# built from a clean copy of the sources (make_extension.sh). A test passes when its output is
# its EXPECT section and valgrind found no invalid access and no definitely lost block. LLVM and
# the JIT keep memory to the process's end ("still reachable", "possibly lost"): those do not count.
# The stress tests run fewer cycles here (valgrind is 20 to 50 times slower): stress_cycles.phpt
# 1,000 instead of 10,000, stress_engines.phpt 10 instead of 200, without their resident-memory
# check (under valgrind the RSS is valgrind's own).
# Usage: php/valgrind.sh ORCA_DIR (a build directory or install prefix with lib/liborca.a).
# The last line is "php-valgrind: N passed, N failed"; the exit status is non-zero on a failure.
set -euo pipefail
if [ $# -ne 1 ]; then
  echo "usage: $0 ORCA_DIR" >&2
  exit 2
fi
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
extension="$("$here/make_extension.sh" "$1" "$work")"
passed=0
failed=0
for phpt in "$here"/tests/*.phpt; do
  name="$(basename "$phpt" .phpt)"
  # The sections between the --FILE-- and --EXPECT-- lines, and after --EXPECT--.
  sed -n '/^--FILE--$/,/^--EXPECT--$/{//!p}' "$phpt" >"$work/$name.php"
  sed -n '/^--EXPECT--$/,${//!p}' "$phpt" >"$work/$name.exp"
  # The stress tests take their number of cycles from ORCA_STRESS_CYCLES and print it.
  case "$name" in
    stress_cycles) cycles=1000 ;;
    stress_engines) cycles=10 ;;
    *) cycles="" ;;
  esac
  [ -n "$cycles" ] && sed -i "s/^cycles: [0-9]*,/cycles: $cycles,/" "$work/$name.exp"
  status=0
  # ZEND_DONT_UNLOAD_MODULES keeps orca.so mapped at exit. LLVM allocates its option registry once
  # when the library loads and keeps it in static pointers (ManagedStatic, freed only by
  # llvm_shutdown); once PHP unloads the extension those pointers are gone and valgrind reports
  # the 114 KB as definitely lost, the same amount after 1 or 10 rounds of a test: not a leak.
  ORCA_STRESS_CYCLES=$cycles ORCA_STRESS_WARMUP=5 ORCA_STRESS_CHECK_RSS=0 USE_ZEND_ALLOC=0 \
    ZEND_DONT_UNLOAD_MODULES=1 \
    valgrind -q --leak-check=full --show-leak-kinds=definite --errors-for-leak-kinds=definite \
    --error-exitcode=99 --log-file="$work/$name.valgrind" \
    php -n -d extension="$extension" "$work/$name.php" >"$work/$name.out" 2>&1 || status=$?
  # run-tests.php compares without trailing white space; so does this.
  same=0
  diff <(sed -e 's/[[:space:]]*$//' "$work/$name.exp") <(sed -e 's/[[:space:]]*$//' "$work/$name.out") \
    >"$work/$name.diff" || same=$?
  if [ "$status" = 0 ] && [ "$same" = 0 ]; then
    echo "PASS $name"
    passed=$((passed + 1))
  else
    echo "FAIL $name (exit status $status)"
    cat "$work/$name.diff" "$work/$name.valgrind"
    failed=$((failed + 1))
  fi
done
echo "php-valgrind: $passed passed, $failed failed"
[ "$failed" = 0 ]
