#!/usr/bin/env bash
# Builds the Ruby extension from a clean copy of ruby/ against an Orca release DIST (DIST/lib/liborca.a,
# DIST/include; what ci/package.sh makes), copies orca.so into ruby/lib/orca/ (where `ruby -Ilib`
# finds it; never committed) and, unless --no-test, runs the minitest tests.
#
#   ruby/build.sh DIST [--no-test]
set -euo pipefail
if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  echo "usage: $0 DIST [--no-test]" >&2
  exit 2
fi
dist="$(cd "$1" && pwd)"
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -r "$here/ext" "$work/"
cd "$work"
ruby ext/orca/extconf.rb --with-orca-dir="$dist" >extconf.log || { cat extconf.log mkmf.log 2>/dev/null; exit 1; }
make V=0 -j2 >make.log 2>&1 || { cat make.log; exit 1; }
cp orca.so "$here/lib/orca/orca.so"
echo "built $here/lib/orca/orca.so"
[ "${2:-}" = "--no-test" ] && exit 0
cd "$here"
# minitest's summary ("N runs, N assertions, N failures, N errors, N skips") becomes the
# project's last line: "ruby: N passed, N failed, N skipped".
status=0
ruby -Ilib -Itest -e 'Dir["test/*_test.rb"].sort.each { |f| require_relative f }' | tee "$work/test.log" || status=$?
summary="$(grep -E '^[0-9]+ runs, [0-9]+ assertions, [0-9]+ failures, [0-9]+ errors, [0-9]+ skips$' "$work/test.log" | tail -n 1)"
read -r runs failures errors skips < <(echo "$summary" | sed -E 's/^([0-9]+) runs, [0-9]+ assertions, ([0-9]+) failures, ([0-9]+) errors, ([0-9]+) skips$/\1 \2 \3 \4/')
if [ -z "$summary" ]; then echo "ruby: 0 passed, 1 failed (no minitest summary)"; exit 1; fi
echo "ruby: $((runs - failures - errors - skips)) passed, $((failures + errors)) failed, $skips skipped"
[ "$status" = 0 ] && [ "$((failures + errors))" = 0 ]
