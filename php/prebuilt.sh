#!/usr/bin/env bash
# Builds the prebuilt extension a server without build tools can drop in (extension=orca):
#
#   php/prebuilt.sh DIST OUT_DIR
#
# DIST is what ci/package.sh makes (lib/liborca.a, include/). The extension is built from a clean
# copy of the sources for the PHP that php-config names (8.2 NTS on Debian bookworm) and links
# liborca.a, so OUT_DIR/orca.so needs no liborca.so. The last line is the path of orca.so.
set -euo pipefail
dist="${1:?usage: php/prebuilt.sh DIST OUT_DIR}"
out="${2:?usage: php/prebuilt.sh DIST OUT_DIR}"
root="$(cd "$(dirname "$0")/.." && pwd)"
dist="$(cd "$dist" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$root/php/prepare-sources.sh" "$work/src" >/dev/null
cd "$work/src/php"
{ phpize && ./configure --with-orca="$dist" && make -j "$(nproc)"; } >"$work/build.log" 2>&1 ||
  { tail -n 20 "$work/build.log" >&2; exit 1; }
mkdir -p "$out"
cp modules/orca.so "$out/orca.so"
# PHP loads an extension only into the version and thread-safety it was built for: say which.
thread_safety="$("$(php-config --php-binary)" -n -r 'echo PHP_ZTS ? "ZTS" : "NTS";')"
echo "prebuilt: for PHP $(php-config --version) $thread_safety (module API $(php-config --phpapi))"
echo "$(cd "$out" && pwd)/orca.so"
