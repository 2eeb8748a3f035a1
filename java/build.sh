#!/usr/bin/env bash
# Builds the Java binding (the jar with liborca_jni.so inside, linked with DIST/lib/liborca.a) and
# runs its JUnit tests with Maven, then turns Surefire's totals into the project's last line:
# "java: N passed, N failed, N skipped". DIST is what ci/package.sh makes.
#
#   java/build.sh DIST
set -uo pipefail
. "$(dirname "$0")/dist-arg.sh"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
mvn -B -f "$here/pom.xml" -Dorca.dist="$dist" package >"$log" 2>&1
status=$?
grep -E "Tests run:|FAIL|ERROR\]" "$log" | grep -v "^\[INFO\] Tests run: [0-9]*, Failures: 0, Errors: 0, Skipped: 0, Time" | tail -n 30
# Surefire's totals: the last "Tests run: N, Failures: N, Errors: N, Skipped: N" without a time.
totals="$(grep -E '^\[(INFO|ERROR|WARNING)\] Tests run: [0-9]+, Failures: [0-9]+, Errors: [0-9]+, Skipped: [0-9]+$' "$log" | tail -n 1)"
if [ -z "$totals" ]; then
  tail -n 40 "$log"
  echo "java: 0 passed, 1 failed (no test totals; the build failed)"
  exit 1
fi
read -r run failures errors skipped < <(echo "$totals" | sed -E 's/.*Tests run: ([0-9]+), Failures: ([0-9]+), Errors: ([0-9]+), Skipped: ([0-9]+)$/\1 \2 \3 \4/')
echo "java: $((run - failures - errors - skipped)) passed, $((failures + errors)) failed, $skipped skipped"
[ "$status" = 0 ] && [ "$((failures + errors))" = 0 ]
