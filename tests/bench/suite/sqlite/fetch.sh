#!/usr/bin/env bash
# Fetches SQLite's source from Debian (apt-get source sqlite3, with a private package list so
# the system's apt configuration stays as it is) and builds its amalgamation (sqlite3.c,
# sqlite3.h) with its own configure and make, which need a C compiler and tclsh (Debian: tcl).
# Leaves sqlite3.c, sqlite3.h and test/speedtest1.c in OUT.
#   tests/bench/suite/sqlite/fetch.sh OUT
set -euo pipefail
out="${1:?usage: fetch.sh OUT}"
[ -s "$out/sqlite3.c" ] && [ -s "$out/speedtest1.c" ] && exit 0
for tool in apt-get tclsh make; do
  command -v "$tool" >/dev/null || { echo "fetch.sh: $tool is missing (Debian: apt-get install tcl make)" >&2; exit 1; }
done
work="$out/src"
rm -rf "$work"
mkdir -p "$work/lists/partial"
# Debian bookworm's sqlite3 (3.40.1); the keyring is the one the system's own sources use.
echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm main" >"$work/sources.list"
apt=(apt-get -q -o "Dir::Etc::SourceList=$work/sources.list" -o Dir::Etc::SourceParts=/dev/null
     -o "Dir::State::Lists=$work/lists")
"${apt[@]}" update >"$work/apt.log" 2>&1 || { cat "$work/apt.log" >&2; exit 1; }
(cd "$work" && "${apt[@]}" source --download-only sqlite3 >>apt.log 2>&1) || { cat "$work/apt.log" >&2; exit 1; }
tar -C "$work" -xf "$work"/sqlite3_*.orig.tar.xz
tree="$(echo "$work"/sqlite3-*/)"
mkdir -p "$tree/bld"
(cd "$tree/bld" && ../configure CC="${CLANG:-clang-19}" >configure.log 2>&1 && make sqlite3.c >make.log 2>&1) ||
  { echo "fetch.sh: building the amalgamation failed, see $tree/bld" >&2; exit 1; }
cp "$tree/bld/sqlite3.c" "$tree/bld/sqlite3.h" "$tree/test/speedtest1.c" "$out/"
rm -rf "$work"
