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
ruby -Ilib -Itest -e 'Dir["test/*_test.rb"].sort.each { |f| require_relative f }'
