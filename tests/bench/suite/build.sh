#!/usr/bin/env bash
# Builds every kernel of the suite twice from the same source: natively (NAME.native) and to
# wasm32-wasi (NAME.wasm), both with clang-19 -O2; plus the Go program (GOOS=wasip1 and native)
# and SQLite's speedtest1 (sqlite/fetch.sh gets SQLite from Debian's source package). A program
# that takes arguments has them in NAME.args, one line, the same for every runtime.
#   tests/bench/suite/build.sh [--kernels-only] OUT_DIR
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
kernels_only=0
if [ "${1:-}" = --kernels-only ]; then kernels_only=1; shift; fi
out="${1:?usage: build.sh [--kernels-only] OUT_DIR}"
mkdir -p "$out"
cc="${CLANG:-clang-19}"
sysroot="${WASI_SYSROOT:-/usr}"
command -v "$cc" >/dev/null || { echo "build.sh: $cc is missing" >&2; exit 1; }
[ -e "$sysroot/lib/wasm32-wasi/libc.a" ] || { echo "build.sh: no wasi-libc under $sysroot (Debian: wasi-libc)" >&2; exit 1; }

for src in "$here"/*.c; do
  name="$(basename "$src" .c)"
  # Rebuild only what changed: the suite is built by every run of the bench.
  if [ ! "$out/$name.wasm" -nt "$src" ] || [ ! "$out/$name.wasm" -nt "$here/suite.h" ]; then
    "$cc" -O2 -Wall -Werror -o "$out/$name.native" "$src" -lm
    "$cc" --target=wasm32-wasi --sysroot="$sysroot" -O2 -Wall -Werror -o "$out/$name.wasm" "$src" -lm
  fi
done

[ "$kernels_only" = 1 ] && exit 0

# The Go program: the same source built natively and for wasip1 by the installed Go.
command -v go >/dev/null || { echo "build.sh: go is missing" >&2; exit 1; }
if [ ! "$out/gowork.wasm" -nt "$here/go/main.go" ]; then
  (cd "$here/go" && go build -o "$out/gowork.native" . && GOOS=wasip1 GOARCH=wasm go build -o "$out/gowork.wasm" .)
fi

# SQLite 3.40.1 (about 250,000 lines of C with its speedtest1 driver): the large C program.
# It runs on an in-memory database (--memdb) through sqlite/memvfs.c; --verify prints a hash of
# every query result, which must be the same natively and under each runtime.
"$here/sqlite/fetch.sh" "$out/sqlite"
if [ ! "$out/speedtest1.wasm" -nt "$here/sqlite/memvfs.c" ] || [ ! "$out/speedtest1.wasm" -nt "$out/sqlite/sqlite3.c" ]; then
  defs=(-DSQLITE_OS_OTHER=1 -DSQLITE_THREADSAFE=0 -DSQLITE_TEMP_STORE=3 -DSQLITE_OMIT_LOAD_EXTENSION
        -DSQLITE_OMIT_WAL -DSQLITE_DEFAULT_MEMSTATUS=0 -I"$out/sqlite")
  srcs=("$out/sqlite/sqlite3.c" "$out/sqlite/speedtest1.c" "$here/sqlite/memvfs.c")
  "$cc" -O2 -w "${defs[@]}" -o "$out/speedtest1.native" "${srcs[@]}" -lm
  "$cc" --target=wasm32-wasi --sysroot="$sysroot" -O2 -w "${defs[@]}" -o "$out/speedtest1.wasm" "${srcs[@]}" -lm
fi
echo "--memdb --verify --size ${SPEEDTEST1_SIZE:-20}" >"$out/speedtest1.args"
