#!/usr/bin/env bash
# Generates COUNT valid WebAssembly 2.0 modules with `wasm-tools smith` from seeds derived from
# SEED (deterministic), then runs the compiler's differential test over them (O0 against O2).
# Usage: differential.sh DIFFERENTIAL_BINARY [COUNT] [SEED]. Without wasm-tools: exits 77
# (skipped) on a developer's machine, fails under CI=true (a missing tool is never a pass there).
set -euo pipefail
bin=$1 count=${2:-300} seed=${3:-1}
. "$(dirname "$0")/smith-modules.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
smith_modules differential "$work" "$count" "$seed"
"$bin" "$work"/m*.wasm
