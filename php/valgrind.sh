#!/usr/bin/env bash
# Runs every .phpt test's code of php/tests under valgrind with PHP's own allocator off
# (USE_ZEND_ALLOC=0, so each PHP value is a malloc valgrind can follow), against an extension
# built from a clean copy of the sources (make_extension.sh). A test passes when its output is
# its EXPECT section and valgrind found no invalid access and no definitely lost block. LLVM and
# the JIT keep memory to the process's end ("still reachable", "possibly lost"): those do not count.
# The stress tests run fewer cycles here (valgrind is 20 to 50 times slower): stress_cycles.phpt
# 1,000 instead of 10,000, stress_engines.phpt 10 instead of 200, without their resident-memory
# check (under valgrind the RSS is valgrind's own), and instance_close.phpt 1,000 requests
# instead of 20,000.
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
  # The sections between the --FILE-- and --EXPECT(F)-- lines, after it, and the --INI-- settings.
  sed -n '/^--FILE--$/,/^--EXPECTF\?--$/{//!p}' "$phpt" >"$work/$name.php"
  sed -n '/^--EXPECTF\?--$/,${//!p}' "$phpt" >"$work/$name.exp"
  ini=()
  while read -r setting; do [ -n "$setting" ] && ini+=(-d "$setting"); done \
    < <(sed -n '/^--INI--$/,/^--/{/^--/!p}' "$phpt")
  expectf=0
  grep -qx -- '--EXPECTF--' "$phpt" && expectf=1
  # A test that expects a PHP fatal error ends with PHP's status 255; valgrind's own is 99. After a
  # fatal error PHP itself leaves blocks unfreed when USE_ZEND_ALLOC=0 (the compiled script, the
  # objects alive at the bailout: a plain `trigger_error('x', E_USER_ERROR)` script shows
  # "definitely lost" too), so there only invalid accesses count, not leaks.
  fatal=0
  leaks=definite
  if grep -q '^Fatal error: ' "$work/$name.exp"; then fatal=255; leaks=none; fi
  # The stress tests take their number of cycles from ORCA_STRESS_CYCLES and print it.
  case "$name" in
    stress_cycles) cycles=1000 ;;
    stress_engines) cycles=10 ;;
    instance_close) cycles=1000 ;;
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
    valgrind -q --leak-check=full --show-leak-kinds=definite --errors-for-leak-kinds="$leaks" \
    --error-exitcode=99 --log-file="$work/$name.valgrind" \
    php -n "${ini[@]}" -d extension="$extension" "$work/$name.php" >"$work/$name.out" 2>&1 || status=$?
  # run-tests.php compares without trailing white space; so does this (EXPECTF: %s, %d as it does).
  same=0
  if [ "$expectf" = 1 ]; then
    php -n -r '
      $trim = fn($f) => preg_replace("/[ \t]+$/m", "", trim(file_get_contents($f)));
      $pattern = strtr(preg_quote($trim($argv[1]), "/"), ["%s" => "[^\r\n]+", "%d" => "\\d+", "%a" => ".+"]);
      exit(preg_match("/^$pattern\$/s", $trim($argv[2])) ? 0 : 1);' "$work/$name.exp" "$work/$name.out" || same=1
    [ "$same" = 0 ] || { echo "--- expected (EXPECTF)"; cat "$work/$name.exp"; echo "--- got"; cat "$work/$name.out"; } \
      >"$work/$name.diff"
  else
    diff <(sed -e 's/[[:space:]]*$//' "$work/$name.exp") <(sed -e 's/[[:space:]]*$//' "$work/$name.out") \
      >"$work/$name.diff" || same=$?
  fi
  if [ "$status" = "$fatal" ] && [ "$same" = 0 ]; then
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
