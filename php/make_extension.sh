#!/usr/bin/env bash
# Builds the extension from a clean copy of php/ and bindings/ into WORK_DIR/php (generate.sh,
# phpize, configure --with-orca=ORCA_DIR, make) and prints the path of the orca.so it made.
# ORCA_DIR is an Orca build directory or install prefix holding lib/liborca.a. build.sh, valgrind.sh
# and tests/bench/php/run.sh build with it; WORK_DIR is theirs to remove.
set -euo pipefail
if [ $# -ne 2 ]; then
  echo "usage: $0 ORCA_DIR WORK_DIR" >&2
  exit 2
fi
orca_dir="$(cd "$1" && pwd)"
work="$(cd "$2" && pwd)"
root="$(cd "$(dirname "$0")/.." && pwd)"
# Only tracked sources are copied, so what was built in php/ before cannot leak in.
mkdir -p "$work/php" "$work/bindings"
cp -r "$root/php/config.m4" "$root/php/generate.sh" "$root/php/lib" "$work/php/"
cp "$root"/bindings/*.i "$work/bindings/"
cd "$work/php"
./generate.sh
phpize >/dev/null
./configure --with-orca="$orca_dir" >/dev/null
make -j "$(nproc)" >/dev/null
echo "$work/php/modules/orca.so"
