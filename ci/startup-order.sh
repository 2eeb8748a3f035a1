#!/usr/bin/env bash
# Regenerates c-api/startup-order.txt: the functions of liborca that run when a process loads the
# library and creates and deletes an engine (LLVM's static initializers, mostly), found with
# valgrind's callgrind, once with liborca.so and once with a program linked statically (whose
# copies of identical functions lld's --icf did not fold). lld places them together in liborca.so
# (--symbol-ordering-file), and so does the partial link of liborca.a (a linker script), so that
# starting touches ~1 MB of the code instead of pages spread over all of it (docs/benchmarks.md,
# "Footprint"). Run it after a change of LLVM version or of what engine creation does:
#
#   ci/startup-order.sh [BUILD_DIR]      # then rebuild and commit c-api/startup-order.txt
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="$(cd "${1:-$root/build}" && pwd)"
lib="$build/lib/nodebug"          # liborca.so with its symbol table (c-api/CMakeLists.txt)
merged="$build/c-api/static/orca.o" # liborca.a's object before its symbols were made local
for f in "$lib/liborca.so.0" "$merged"; do
  [ -f "$f" ] || { echo "no $f: build the orca_shared and orca_static targets first" >&2; exit 1; }
done
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
cc -I"$root/c-api/include" "$work/start.c" -L"$lib" -l:liborca.so.0 -o "$work/start-shared"
objcopy --strip-debug "$merged" "$work/orca.o"
cc -I"$root/c-api/include" "$work/start.c" "$work/orca.o" -lstdc++ -lm -lpthread -ldl -o "$work/start-static"
LD_LIBRARY_PATH="$lib" valgrind --tool=callgrind --demangle=no --callgrind-out-file="$work/shared.profile" \
  "$work/start-shared" 2>/dev/null
valgrind --tool=callgrind --demangle=no --callgrind-out-file="$work/static.profile" "$work/start-static" 2>/dev/null
# A profile names each object and function once ("ob=(3) /path", "fn=(12) name") and refers to
# them by number afterwards; "fn=" lines give the functions that ran in the current "ob=".
awk '
  # id and name of a line "KEY=(ID)" or "KEY=(ID) NAME"
  function parse(line) {
    id = substr(line, index(line, "(") + 1)
    name = ""
    if (index(id, ") ")) name = substr(id, index(id, ") ") + 2)
    id = substr(id, 1, index(id, ")") - 1)
  }
  FNR == 1 { delete objects; delete names; current = "" }
  /^c?ob=\(/ {
    parse($0)
    if (name != "") objects[id] = name
    if (substr($0, 1, 2) == "ob") current = objects[id]
    next
  }
  /^c?fn=\(/ {
    parse($0)
    if (name != "") names[id] = name
    if (substr($0, 1, 2) == "fn" && current ~ /(liborca\.so\.0|start-static)$/ && names[id] !~ /^0x/ &&
        names[id] != "main" && names[id] !~ /^\(/) ran[names[id]] = 1
  }
  END { for (f in ran) print f }
' "$work/shared.profile" "$work/static.profile" | LC_ALL=C sort >"$root/c-api/startup-order.txt"
echo "startup-order: $(wc -l <"$root/c-api/startup-order.txt") functions in c-api/startup-order.txt"
