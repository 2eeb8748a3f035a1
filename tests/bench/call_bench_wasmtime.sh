#!/usr/bin/env bash
# Runs call_bench_wasmtime on the libwasmtime of PyPI's `wasmtime` wheel (or $ORCA_WASMTIME_LIB),
# printing the Wasmtime version first. Usage: call_bench_wasmtime.sh BINARY [google-benchmark flags].
# Fails when no libwasmtime is found: a comparison without its other side is no result.
set -euo pipefail
binary=$1
shift
if [ -z "${ORCA_WASMTIME_LIB:-}" ]; then
  ORCA_WASMTIME_LIB=$(python3 -c 'import glob, os, wasmtime
print(next(iter(glob.glob(os.path.join(os.path.dirname(wasmtime.__file__), "*", "_libwasmtime.*"))), ""))' 2>/dev/null || true)
fi
if [ -z "$ORCA_WASMTIME_LIB" ] || [ ! -f "$ORCA_WASMTIME_LIB" ]; then
  echo "call_bench_wasmtime: libwasmtime not found (pip install wasmtime, or set ORCA_WASMTIME_LIB)" >&2
  exit 1
fi
echo "call_bench_wasmtime: Wasmtime $(python3 -c 'import importlib.metadata as m; print(m.version("wasmtime"))' 2>/dev/null || echo "from $ORCA_WASMTIME_LIB")"
ORCA_WASMTIME_LIB=$ORCA_WASMTIME_LIB exec "$binary" "$@"
