#!/usr/bin/env bash
# Regenerates c-api/startup-order.txt: the functions of liborca.so that run when a process loads
# the library and creates and deletes an engine (LLVM's static initializers, mostly), found with
# valgrind's callgrind. lld places them together (--symbol-ordering-file), so that loading
# liborca touches ~1 MB of its code instead of pages spread over all of it (docs/benchmarks.md,
# "Footprint"). Run it after a change of LLVM version or of what engine creation does:
#
#   ci/startup-order.sh [BUILD_DIR]      # then rebuild and commit c-api/startup-order.txt
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="$(cd "${1:-$root/build}" && pwd)"
lib="$build/lib/nodebug"   # liborca.so with its symbol table (c-api/CMakeLists.txt)
[ -f "$lib/liborca.so.0" ] || { echo "no $lib/liborca.so.0: build orca_shared first" >&2; exit 1; }
command -v valgrind >/dev/null || { echo "valgrind is needed" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cat >"$work/start.c" <<'C'
#include <wasm.h>
int main(void) {
  wasm_engine_t* engine = wasm_engine_new();
  wasm_engine_delete(engine);
  return 0;
}
C
cc -I"$root/c-api/include" "$work/start.c" -L"$lib" -l:liborca.so.0 -o "$work/start"
LD_LIBRARY_PATH="$lib" valgrind --tool=callgrind --demangle=no --callgrind-out-file="$work/profile" \
  "$work/start" 2>/dev/null
# The profile names each object and function once ("ob=(3) /path", "fn=(12) name") and refers to
# them by number afterwards; "fn=" lines give the functions that ran in the current "ob=".
awk '
  # id and name of a line "KEY=(ID)" or "KEY=(ID) NAME"
  function parse(line) {
    id = substr(line, index(line, "(") + 1)
    name = ""
    if (index(id, ") ")) name = substr(id, index(id, ") ") + 2)
    id = substr(id, 1, index(id, ")") - 1)
  }
  /^c?ob=\(/ {
    parse($0)
    if (name != "") objects[id] = name
    if (substr($0, 1, 2) == "ob") current = objects[id]
    next
  }
  /^c?fn=\(/ {
    parse($0)
    if (name != "") names[id] = name
    if (substr($0, 1, 2) == "fn" && current ~ /liborca\.so/ && names[id] !~ /^0x/) ran[names[id]] = 1
  }
  END { for (f in ran) print f }
' "$work/profile" | LC_ALL=C sort >"$root/c-api/startup-order.txt"
echo "startup-order: $(wc -l <"$root/c-api/startup-order.txt") functions in c-api/startup-order.txt"
