#!/usr/bin/env bash
# Checks the shipped form of liborca (tests/package/CMakeLists.txt says what and why):
#   check_library.sh LIB_DIR INCLUDE_DIR static_app.c CC
# Prints one line per check and ends with "package: N passed, N failed".
set -uo pipefail
lib="$1" include="$2" app="$3" cc="$4"
passed=0 failed=0
check() {  # check NAME COMMAND...: passes when the command succeeds
  local name="$1"
  shift
  if out="$("$@" 2>&1)"; then
    passed=$((passed + 1)); echo "ok $name"
  else
    failed=$((failed + 1)); echo "FAIL $name: $out"
  fi
}
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
so="$(readlink -f "$lib/liborca.so")"

size_at_most_40mb() {
  local size; size="$(stat -c %s "$so")"
  echo "liborca.so: $size bytes"
  [ "$size" -le 40000000 ]
}
stripped_with_debuglink() {
  if readelf -S "$so" | grep -qE '\.debug_info|\.symtab'; then echo "liborca.so is not stripped"; return 1; fi
  readelf -S "$so" | grep -q '\.gnu_debuglink' || { echo "no .gnu_debuglink"; return 1; }
  [ -f "$so.debug" ] || { echo "no $so.debug"; return 1; }
}
needs_only_system_libraries() {
  local needed
  needed="$(readelf -d "$so" | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p')"
  echo "$needed" | grep -vxE 'libc\.so\.6|libm\.so\.6|libstdc\+\+\.so\.6|libgcc_s\.so\.1|ld-linux-x86-64\.so\.2|libpthread\.so\.0|libdl\.so\.2' && return 1
  return 0
}
exports_only_the_c_api() {
  nm -D --defined-only "$so" | awk '{print $3}' | grep -vE '^(wasm|wasi)_|^orca_' && return 1
  nm -D --defined-only "$so" | awk '{print $3}' | grep -E '^orca_rt_' && return 1
  return 0
}
static_archive_exports_only_the_c_api() {
  local globals
  globals="$(nm -g --defined-only "$lib/liborca.a" | awk 'NF == 3 {print $3}')"
  [ -n "$globals" ] || { echo "liborca.a defines nothing"; return 1; }
  echo "$globals" | grep -vE '^(wasm|wasi)_|^orca_' && return 1
  echo "$globals" | grep -E '^orca_rt_' && return 1
  return 0
}
static_link_needs_nothing_else() {
  "$cc" -I"$include" "$app" "$lib/liborca.a" -lstdc++ -lm -lpthread -ldl -o "$work/app" || return 1
  local out; out="$("$work/app")" || { echo "the program failed: $out"; return 1; }
  [ "$out" = "42" ] || { echo "the program printed '$out', not 42"; return 1; }
  ldd "$work/app" | grep -iE 'orca|z3|xml2|LLVM|zstd|libz\.|crypto' && return 1
  return 0
}
pkg_config_file_is_relocatable() {
  local pc="$lib/pkgconfig/orca.pc"
  grep -E '^(Libs|Libs.private|Cflags|prefix|libdir|includedir)' "$pc" | grep -E '=/|[ :]/[a-z]' && return 1
  grep -iE 'z3|LLVM|xml2' "$pc" && return 1
  return 0
}

check "liborca.so is at most 40 MB" size_at_most_40mb
check "liborca.so is stripped, its debug info beside it" stripped_with_debuglink
check "liborca.so needs only libc, libm, libstdc++ and libgcc_s" needs_only_system_libraries
check "liborca.so exports only wasm_*, wasi_*, orca_*" exports_only_the_c_api
check "liborca.a defines only the C API globally" static_archive_exports_only_the_c_api
check "cc app.c liborca.a -lstdc++ -lm -lpthread -ldl links and runs" static_link_needs_nothing_else
check "orca.pc has no absolute path and no LLVM, z3 or libxml2" pkg_config_file_is_relocatable
echo "package: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
