#!/usr/bin/env bash
# Runs the benchmarks whose figures docs/benchmarks.md records. Builds first.
#   front end: decode and validate throughput on a large real module
#   compile:   wasm -> native objects at O2, 1 and 2 threads, same module
#   kernels:   C kernels compiled natively and to wasm32, run natively and under Orca
#   calls:     call overhead across the C API, host to wasm and wasm to host; the same calls on
#              Wasmtime's C API (PyPI's libwasmtime)
#   start-up:  `orca run` first (compile) against second (module cache hit), C and Go programs
#   suite:     C kernels, a Go program and SQLite natively and under Orca, Wasmtime and Node
#              (ci/bench-suite.sh; it writes its tables into docs/benchmarks.md "Suite against the
#              peers" and its chart into docs/images/bench-suite.png)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/ci/build.sh" >/dev/null
work="$root/build/bench"
mkdir -p "$work"

# A large real-world module: gofmt compiled by the Go toolchain for wasip1 (about 5 MB).
if [ ! -s "$work/gofmt.wasm" ]; then
  (cd "$work" && GOOS=wasip1 GOARCH=wasm go build -o gofmt.wasm cmd/gofmt)
fi

"$root/build/bin/frontend_bench" "$work/gofmt.wasm" --benchmark_min_time=2
"$root/build/bin/compile_bench" "$work/gofmt.wasm"
"$root/build/bin/kernels_bench" "$root/build/tests/bench/kernels.wasm" --benchmark_min_time=2
"$root/build/bin/call_bench" --benchmark_min_time=2
"$root/tests/bench/call_bench_wasmtime.sh" "$root/build/bin/call_bench_wasmtime" --benchmark_min_time=2
"$root/tests/bench/cache_start.sh" "$root/build"
ORCA_RUN_FLAGS="${ORCA_RUN_FLAGS:-orca=;orca-lazy=--compile=lazy;orca-tiered=--compile=tiered}" "$root/ci/bench-suite.sh" --reps "${ORCA_BENCH_SUITE_REPS:-5}" --doc "$root/docs/benchmarks.md"
