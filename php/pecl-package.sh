#!/usr/bin/env bash
# Makes the PECL package orca-VERSION.tgz in OUT_DIR from a clean copy of the sources:
#
#   php/pecl-package.sh OUT_DIR
#
# The tarball carries SWIG's output (orca_wrap.c, php_orca.h, orca_prelude.h), so that
# `pecl install orca-VERSION.tgz` needs no SWIG. Before packing it checks that package.xml agrees
# with the sources: its version is the project's (CMakeLists.txt), and it lists exactly the
# tracked tests. The last line is the path of the tarball.
set -euo pipefail
out="${1:?usage: php/pecl-package.sh OUT_DIR}"
root="$(cd "$(dirname "$0")/.." && pwd)"
if ! command -v pecl >/dev/null; then
  echo "pecl-package: pecl not found (Debian: apt-get install php-pear)" >&2
  exit 2
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$root/php/prepare-sources.sh" "$work/src" >/dev/null
cd "$work/src/php"

version="$(sed -n 's/^project(orca VERSION \([0-9.]*\).*/\1/p' "$root/CMakeLists.txt")"
packaged="$(php -r 'echo simplexml_load_file("package.xml")->version->release;')"
if [ "$version" != "$packaged" ]; then
  echo "pecl-package: package.xml says version $packaged, CMakeLists.txt $version; make them equal" >&2
  exit 1
fi
# pecl packs only what <contents> lists; a test added to tests/ but not to package.xml would be
# missing from the package without a word, so the two lists must be the same.
listed="$(php -r '
  $xml = simplexml_load_file("package.xml");
  foreach ($xml->xpath("//*[local-name()=\"dir\"][@name=\"tests\"]/*[local-name()=\"file\"]") as $f) {
      echo "tests/", $f["name"], "\n";
  }' | sort)"
shopt -s nullglob
tests=(tests/*.phpt tests/*.inc)
tracked="$(printf '%s\n' "${tests[@]}" | sort)"
if [ "$listed" != "$tracked" ]; then
  echo "pecl-package: the tests in package.xml differ from php/tests (< package.xml, > php/tests):" >&2
  diff <(printf '%s\n' "$listed") <(printf '%s\n' "$tracked") | grep '^[<>]' >&2 || true
  exit 1
fi

# The release date is the day the package is made: pecl warns when package.xml's is another
# day, so the copy gets today's, as PHP (which pecl runs on) reckons it.
today="$(php -r 'echo date("Y-m-d");')"
sed -i "s|<date>[0-9-]*</date>|<date>$today</date>|" package.xml
pecl package package.xml >"$work/pecl.log" 2>&1 || { cat "$work/pecl.log" >&2; exit 1; }
# pecl reports problems in package.xml as warnings and still packs; a release is made without them.
if grep -i "warning" "$work/pecl.log" >&2; then
  echo "pecl-package: pecl package warned (above); mend package.xml" >&2
  exit 1
fi
mkdir -p "$out"
mv "orca-$version.tgz" "$out/"
echo "$(cd "$out" && pwd)/orca-$version.tgz"
