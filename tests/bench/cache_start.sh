#!/usr/bin/env bash
# `orca run` start-up with the module cache: the first run compiles (the cache directory is
# emptied before each one), the second loads the entry. The two programs of start_programs.sh.
# Measures with hyperfine; prints a Markdown table (docs/benchmarks.md).
#
#   tests/bench/cache_start.sh [BUILD_DIR]      # default: build/
source "$(dirname "$0")/start_programs.sh" cache_start.sh "${1:-}"
# A first run of the Go program compiles for tens of seconds: fewer of those.
first_runs="${ORCA_BENCH_FIRST_RUNS:-3}"
runs="${ORCA_BENCH_RUNS:-10}"

# mean ± stddev in ms of hyperfine's JSON export
mean_ms() {
  python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print("%.0f ± %.0f ms" % (r["mean"]*1e3, r["stddev"]*1e3))' "$1"
}
ratio() {
  python3 -c 'import json,sys; m=lambda p: json.load(open(p))["results"][0]["mean"]; print("%.0fx" % (m(sys.argv[1])/m(sys.argv[2])))' "$1" "$2"
}

echo "| program | module size | first run (compiles) | second run (cache hit) | speed-up |"
echo "|---|---|---|---|---|"
for wasm in big.wasm hello-go.wasm; do
  cache="$work/cache-$wasm"
  run=("$orca" run --cache-dir "$cache" "$work/$wasm")
  # Only a measured hit is a cache hit: check that the second run does not compile.
  rm -rf "$cache"
  "${run[@]}" >/dev/null
  stats="$("$orca" run --cache-dir "$cache" --cache-stats "$work/$wasm" 2>&1 >/dev/null)"
  grep -qE "[1-9][0-9]* hits?, 0 misses" <<<"$stats" || { echo "cache_start.sh: the second run of $wasm was no hit: $stats" >&2; exit 1; }
  hyperfine -N --runs "$first_runs" --prepare "rm -rf $cache" --export-json "$work/first.json" "${run[*]}" \
    >"$work/hyperfine.log" 2>&1 || { cat "$work/hyperfine.log"; exit 1; }
  hyperfine -N --runs "$runs" --warmup 1 --export-json "$work/second.json" "${run[*]}" \
    >"$work/hyperfine.log" 2>&1 || { cat "$work/hyperfine.log"; exit 1; }
  size="$(( $(stat -c %s "$work/$wasm") / 1024 )) KB"
  echo "| $wasm | $size | $(mean_ms "$work/first.json") | $(mean_ms "$work/second.json") | $(ratio "$work/first.json" "$work/second.json") |"
done
