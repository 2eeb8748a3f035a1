#!/usr/bin/env bash
# The footprint of liborca (docs/benchmarks.md, "Footprint"): sizes of what ships, and the peak
# resident set of a process that creates and deletes one engine (getrusage ru_maxrss, the
# largest of 5 runs), linked against liborca.so, against liborca.a, and, for comparison, against
# wasmtime's C API when its PyPI wheel is installed (`pip install wasmtime`), plus a program
# that links only the C and C++ runtimes.
#
#   tests/bench/footprint.sh [BUILD_DIR]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="$(cd "${1:-$root/build}" && pwd)"
lib="$build/lib"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cat >"$work/engine.c" <<'C'
#include <stdio.h>
#include <sys/resource.h>
#include <wasm.h>
int main(void) {
#ifndef NO_ENGINE
  wasm_engine_t* engine = wasm_engine_new();
  if (!engine) return 1;
  wasm_engine_delete(engine);
#endif
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  printf("%ld\n", usage.ru_maxrss);
  return 0;
}
C
peak() {  # peak PROGRAM: the largest ru_maxrss of 5 runs, in MB
  local max=0 kb
  for _ in 1 2 3 4 5; do
    kb="$("$1")"
    if [ "$kb" -gt "$max" ]; then max="$kb"; fi
  done
  awk -v kb="$max" 'BEGIN { printf "%.1f MB", kb / 1024 }'
}
mb() { awk -v b="$(stat -L -c %s "$1")" 'BEGIN { printf "%.1f MB", b / 1e6 }'; }

cc=(cc -O2 -I"$root/c-api/include")
"${cc[@]}" -DNO_ENGINE "$work/engine.c" -lstdc++ -o "$work/baseline"
"${cc[@]}" "$work/engine.c" -L"$lib" -lorca -Wl,-rpath,"$lib" -o "$work/shared"
"${cc[@]}" "$work/engine.c" "$lib/liborca.a" -lstdc++ -lm -lpthread -ldl -o "$work/static"

echo "liborca.so (stripped):        $(mb "$lib/liborca.so")"
echo "liborca.so debug info:        $(mb "$(readlink -f "$lib/liborca.so").debug")"
echo "liborca.a (self-contained):   $(mb "$lib/liborca.a")"
echo "liborca.so needs:             $(readelf -d "$lib/liborca.so" | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p' | tr '\n' ' ')"
echo "RSS, create+delete engine:"
echo "  liborca.so                  $(peak "$work/shared")"
echo "  liborca.a                   $(peak "$work/static")"
echo "  C and C++ runtimes only     $(peak "$work/baseline")"
wasmtime_lib="$(python3 -c 'import os, wasmtime; print(os.path.join(os.path.dirname(wasmtime.__file__), "linux-x86_64", "_libwasmtime.so"))' 2>/dev/null || true)"
if [ -f "$wasmtime_lib" ]; then
  mkdir -p "$work/wasmtime"
  cp "$wasmtime_lib" "$work/wasmtime/libwasmtime.so"
  "${cc[@]}" "$work/engine.c" -L"$work/wasmtime" -lwasmtime -Wl,-rpath,"$work/wasmtime" -o "$work/wasmtime-engine"
  echo "  wasmtime $(python3 -c 'import importlib.metadata as m; print(m.version("wasmtime"))') (PyPI wheel)  $(peak "$work/wasmtime-engine")   library $(mb "$wasmtime_lib")"
else
  echo "  wasmtime                    not installed (pip install wasmtime)"
fi
