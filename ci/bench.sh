#!/usr/bin/env bash
# Runs the benchmarks whose figures docs/benchmarks.md records. Builds first.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/ci/build.sh" >/dev/null
work="$root/build/bench"
mkdir -p "$work"

# A large real-world module: gofmt compiled by the Go toolchain for wasip1 (about 5 MB).
if [ ! -s "$work/gofmt.wasm" ]; then
  (cd "$work" && GOOS=wasip1 GOARCH=wasm go build -o gofmt.wasm cmd/gofmt)
fi

"$root/build/bin/frontend_bench" "$work/gofmt.wasm" --benchmark_min_time=2 "$@"
