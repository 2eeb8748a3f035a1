#!/usr/bin/env bash
# Cold `orca run` (no module cache) with every function compiled before the run (--compile=eager)
# against each compiled on its first call (--compile=lazy), for the two programs of
# start_programs.sh (the same as cache_start.sh's). Measures with hyperfine;
# prints a Markdown table (docs/benchmarks.md) with the mean wall time and the CPU time (user +
# system) of each, since other jobs on a shared machine stretch wall time but not CPU time.
#
#   tests/bench/lazy_start.sh [BUILD_DIR]      # default: build/
source "$(dirname "$0")/start_programs.sh" lazy_start.sh "${1:-}"
# An eager run of the Go program compiles for tens of seconds: few of those.
eager_runs="${ORCA_BENCH_EAGER_RUNS:-3}"
lazy_runs="${ORCA_BENCH_RUNS:-10}"

# "mean ± stddev ms (CPU ms)" of hyperfine's JSON export
summary() {
  python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print("%.0f ± %.0f ms (CPU %.0f ms)" % (r["mean"]*1e3, r["stddev"]*1e3, (r["user"]+r["system"])*1e3))' "$1"
}
ratio() {
  python3 -c 'import json,sys; m=lambda p: json.load(open(p))["results"][0]; a=m(sys.argv[1]); b=m(sys.argv[2]); print("%.1fx (CPU %.1fx)" % (a["mean"]/b["mean"], (a["user"]+a["system"])/(b["user"]+b["system"])))' "$1" "$2"
}

echo "| program | module size | eager | lazy | eager / lazy |"
echo "|---|---|---|---|---|"
for wasm in big.wasm hello-go.wasm; do
  for mode in eager lazy; do
    run=("$orca" run --no-cache --compile=$mode "$work/$wasm")
    # A run that fails measures nothing: check the output first.
    "${run[@]}" >"$work/out-$mode" || { echo "lazy_start.sh: ${run[*]} failed" >&2; exit 1; }
    runs=$lazy_runs
    [[ $mode == eager ]] && runs=$eager_runs
    hyperfine -N --runs "$runs" --warmup 1 --export-json "$work/$mode.json" "${run[*]}" \
      >"$work/hyperfine.log" 2>&1 || { cat "$work/hyperfine.log"; exit 1; }
  done
  cmp -s "$work/out-eager" "$work/out-lazy" || { echo "lazy_start.sh: $wasm prints differently when lazy" >&2; exit 1; }
  size="$(( $(stat -c %s "$work/$wasm") / 1024 )) KB"
  echo "| $wasm | $size | $(summary "$work/eager.json") | $(summary "$work/lazy.json") | $(ratio "$work/eager.json" "$work/lazy.json") |"
done
