#!/usr/bin/env bash
# Differential test against Wasmtime: COUNT modules from `wasm-tools smith` (seeds derived from
# SEED) run through the same wasm.h driver once on liborca and once on Wasmtime's libwasmtime
# (from PyPI's `wasmtime` wheel, or $ORCA_WASMTIME_LIB); every instantiation, call outcome (results
# bit for bit, NaNs as "nan"; traps by kind), exported global, table size and memory must agree.
# Usage: differential_wasmtime.sh DRIVER LIBORCA [COUNT] [SEED]. Without wasm-tools or libwasmtime:
# exits 77 (skipped) on a developer's machine, fails under CI=true.
set -euo pipefail
driver=$1 liborca=$2 count=${3:-200} seed=${4:-1}
. "$(dirname "$0")/smith-modules.sh"
libwasmtime=${ORCA_WASMTIME_LIB:-$(python3 -c 'import glob, os, wasmtime
print(next(iter(glob.glob(os.path.join(os.path.dirname(wasmtime.__file__), "*", "_libwasmtime.*"))), ""))' 2>/dev/null || true)}
if [ -z "$libwasmtime" ] || [ ! -f "$libwasmtime" ]; then
  if [ "${CI:-}" = true ]; then echo "differential_wasmtime: libwasmtime not found (ci/install-deps.sh installs PyPI's wasmtime)"; exit 1; fi
  echo "differential_wasmtime: libwasmtime not found (pip install wasmtime, or set ORCA_WASMTIME_LIB); skipped"
  exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# SIMD off: Wasmtime's wasm.h has no value kind for v128 and aborts reflecting over one.
# --ensure-termination: the modules bound their own loops and calls (wasm.h has no fuel).
smith_modules differential_wasmtime "$work" "$count" "$seed" --simd-enabled false --ensure-termination
echo "differential_wasmtime: Wasmtime $(python3 -c 'import importlib.metadata as m; print(m.version("wasmtime"))' 2>/dev/null || echo "from $libwasmtime")"
# In batches, so that a crash of one engine costs one batch's comparisons, not the run's.
mapfile -t modules < <(find "$work" -name 'm*.wasm' | sort -V)
for ((b = 0; b < ${#modules[@]}; b += 250)); do
  "$driver" "$liborca" "${modules[@]:b:250}" >>"$work/orca.out" 2>>"$work/orca.err" || echo "== exit $?" >>"$work/orca.out"
  "$driver" "$libwasmtime" "${modules[@]:b:250}" >>"$work/wasmtime.out" 2>>"$work/wasmtime.err" || echo "== exit $?" >>"$work/wasmtime.out"
done
python3 - "$work/orca.out" "$work/wasmtime.out" "${modules[@]}" <<'PY'
import sys

def blocks(path):
    """Module path -> its lines; a module whose run did not finish maps to None."""
    out, current = {}, None
    for line in open(path, encoding="utf-8", errors="replace").read().splitlines():
        if line.startswith("== exit"):  # the process died in the current module
            if current is not None:
                out[current] = None
            current = None
        elif line == "== end":
            current = None
        elif line.startswith("== "):
            current = line[3:]
            out[current] = []
        elif current is not None:
            out[current].append(line)
    return out

orca, wasmtime = blocks(sys.argv[1]), blocks(sys.argv[2])
passed = failed = skipped = exhausted = 0
outcomes = {}  # what the passing comparisons covered: call outcomes by kind
for module in sys.argv[3:]:
    a, b = orca.get(module), wasmtime.get(module)
    if a is None or b is None:
        print(f"FAIL {module}: {'Orca' if a is None else 'Wasmtime'} did not finish it (crash or hang)")
        failed += 1
        continue
    if "skipped" in a or "skipped" in b:
        skipped += 1
        continue
    # Out of stack ends the comparison: the depth that fits is each engine's own (documented).
    cut = next((i for i, (x, y) in enumerate(zip(a, b)) if x.endswith("stack-exhausted") or y.endswith("stack-exhausted")), None)
    if cut is not None:
        a, b = a[:cut], b[:cut]
        exhausted += 1
    if a != b:
        print(f"FAIL {module}: Orca and Wasmtime differ\n--- Orca\n" + "\n".join(a) + "\n--- Wasmtime\n" + "\n".join(b))
        failed += 1
    else:
        passed += 1
        for line in a:
            if line.startswith(("call ", "instantiate: ")):
                outcome = line.rsplit(": ", 1)[1].split(" ")
                kind = " ".join(outcome[:2]) if outcome[0] in ("trap", "not") else outcome[0]
                outcomes[kind] = outcomes.get(kind, 0) + 1
print("differential_wasmtime: outcomes agreed on: " + ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items())))
print(f"differential_wasmtime: {skipped} skipped, {exhausted} compared up to a stack exhaustion")
print(f"differential_wasmtime: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
PY
