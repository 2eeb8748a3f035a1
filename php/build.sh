#!/usr/bin/env bash
# Builds and tests the PHP extension from a clean copy of php/ and bindings/:
# generate.sh (SWIG), phpize, configure --with-orca=BUILD_DIR, make, and the .phpt tests.
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
orca_build="$(cd "$1" && pwd)"
out="${2:-}"
if [ -n "$out" ]; then mkdir -p "$out" && out="$(cd "$out" && pwd)"; fi
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# Only tracked sources are copied, so what was built in php/ before cannot leak in.
mkdir -p "$work/php" "$work/bindings"
cp -r "$root/php/config.m4" "$root/php/generate.sh" "$root/php/lib" "$root/php/tests" "$work/php/"
rm -f "$work"/php/tests/*.{diff,exp,log,out,php,sh}
cp "$root"/bindings/*.i "$work/bindings/"
cd "$work/php"
./generate.sh
phpize >/dev/null
./configure --with-orca="$orca_build" >/dev/null
make -j "$(nproc)" >/dev/null
if [ -n "$out" ]; then cp modules/orca.so "$out/orca.so"; fi
# run-tests.php prints its summary; the counts come from it.
NO_INTERACTION=1 make test TESTS="--no-color tests/" | tee "$work/test.log" | grep -aoE "(PASS|FAIL|SKIP|BORK) .*\[tests/[^]]*\]" || true
passed="$(sed -n 's/^Tests passed *: *\([0-9]*\).*/\1/p' "$work/test.log")"
failed="$(sed -n 's/^Tests failed *: *\([0-9]*\).*/\1/p' "$work/test.log")"
for diff in tests/*.diff; do
  [ -e "$diff" ] && { echo "--- $diff"; cat "$diff"; echo; }
done
echo "phpt: ${passed:-0} passed, ${failed:-0} failed"
[ "${failed:-1}" = 0 ] && [ "${passed:-0}" -gt 0 ]
