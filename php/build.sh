#!/usr/bin/env bash
# Builds and tests the PHP extension from a clean copy of php/ and bindings/:
# make_extension.sh (generate.sh, phpize, configure --with-orca=BUILD_DIR, make), and the .phpt tests.
# BUILD_DIR holds lib/liborca.a (ORCA_BUILD_TARGETS=orca_static ci/build.sh makes it); the built
# orca.so is copied to OUT_DIR when given (ci/conformance.sh runs the conformance suite with it).
# The last line is "phpt: N passed, N failed"; the exit status is non-zero when a test failed.
#
#   php/build.sh BUILD_DIR [OUT_DIR]
set -euo pipefail
if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  echo "usage: $0 BUILD_DIR [OUT_DIR]" >&2
  exit 2
fi
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
so="$("$here/make_extension.sh" "$1" "$work" | tail -n 1)"
if [ $# -eq 2 ]; then mkdir -p "$2" && cp "$so" "$2/orca.so"; fi
# Only the tests are copied, not what an earlier run left beside them.
cp -r "$here/tests" "$work/php/"
rm -f "$work"/php/tests/*.{diff,exp,log,out,php,sh}
cd "$work/php"
# run-tests.php prints its summary; the counts come from it.
NO_INTERACTION=1 make test TESTS="--no-color tests/" | tee "$work/test.log" | grep -aoE "(PASS|FAIL|SKIP|BORK) .*\[tests/[^]]*\]" || true
passed="$(sed -n 's/^Tests passed *: *\([0-9]*\).*/\1/p' "$work/test.log")"
failed="$(sed -n 's/^Tests failed *: *\([0-9]*\).*/\1/p' "$work/test.log")"
for diff in tests/*.diff; do
  [ -e "$diff" ] && { echo "--- $diff"; cat "$diff"; echo; }
done
echo "phpt: ${passed:-0} passed, ${failed:-0} failed"
[ "${failed:-1}" = 0 ] && [ "${passed:-0}" -gt 0 ]
