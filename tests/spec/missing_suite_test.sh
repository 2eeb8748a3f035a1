#!/usr/bin/env bash
# spec_runner when the suite is missing: it says so plainly, and exits non-zero under CI=true (a
# missing input never passes silently in CI); outside CI it exits 0. With a suite present and
# nothing skipped, CI=true changes nothing (what ci/test.sh runs).
# Usage: missing_suite_test.sh SPEC_RUNNER FIXTURE_FOLDER
set -u
runner=$1 fixtures=$2
empty=$(mktemp -d)
trap 'rm -rf "$empty"' EXIT
failures=0
expect() {  # expect NAME STATUS PATTERN COMMAND...
  local name=$1 status=$2 pattern=$3
  shift 3
  local out
  out=$("$@" 2>&1)
  local got=$?
  if [[ $got -ne $status ]] || ! grep -q -- "$pattern" <<<"$out"; then
    echo "FAIL $name: expected status $status and \"$pattern\", got status $got:"
    echo "$out" | tail -n 5
    failures=$((failures + 1))
  else
    echo "ok   $name"
  fi
}

expect "ORCA_TESTSUITE at an empty folder under CI=true" 1 "spec: no test suite: no .wast scripts in $empty/wasm-2.0" \
  env CI=true ORCA_TESTSUITE="$empty" "$runner"
expect "an empty suite folder under CI=true" 1 "a failure under CI=true" env CI=true "$runner" "$empty"
expect "ORCA_TESTSUITE at an empty folder outside CI" 0 "spec: no test suite: .*nothing was tested" \
  env -u CI ORCA_TESTSUITE="$empty" "$runner"
expect "a suite with nothing skipped under CI=true" 0 "spec: 5 passed, 0 failed, 0 skipped" \
  env CI=true "$runner" "$fixtures/pass"
[[ $failures -eq 0 ]]
