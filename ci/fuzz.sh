#!/usr/bin/env bash
# Runs one libFuzzer target: ci/fuzz.sh TARGET SECONDS [BUILD_DIR]
#   TARGET: fuzz_frontend, fuzz_instantiate, fuzz_artifact or fuzz_wasi (tests/fuzz).
#   BUILD_DIR: an ASan+UBSan build configured with -DORCA_FUZZ=ON that holds bin/TARGET. Without
#   it, $ORCA_BUILD_DIR or build-fuzz/ is configured that way and the target is built there.
# First every file of tests/fuzz/corpus/TARGET (seeds and regression inputs) is run once; then
# the target fuzzes for SECONDS from that corpus, adding what it finds to BUILD_DIR/fuzz/TARGET/
# corpus (kept between runs, so that runs add up; the repository's corpus is never written). A
# crash is saved as BUILD_DIR/fuzz/TARGET/crash-*: copy it into tests/fuzz/corpus/TARGET (as
# crash-<what>) with the fix, and the smoke test replays it from then on.
# ORCA_FUZZ_RUNS=N fuzzes N inputs with a fixed seed, in a fresh corpus, instead of for SECONDS
# (the ctest smoke entries). Last line: "fuzz TARGET: N passed, N failed (...)".
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
target="${1:?usage: ci/fuzz.sh TARGET SECONDS [BUILD_DIR]}"
seconds="${2:?usage: ci/fuzz.sh TARGET SECONDS [BUILD_DIR]}"
seeds="$root/tests/fuzz/corpus/$target"
[ -d "$seeds" ] || { echo "fuzz $target: no corpus at $seeds"; echo "fuzz $target: 0 passed, 1 failed"; exit 1; }
if [ $# -ge 3 ]; then
  build="$(cd "$3" && pwd)"
else
  build="${ORCA_BUILD_DIR:-$root/build-fuzz}"
  ORCA_BUILD_DIR="$build" ORCA_BUILD_TARGETS="$target" ORCA_BUILD_TYPE=Debug \
    bash "$root/ci/build.sh" -DORCA_SANITIZE=ON -DORCA_FUZZ=ON
fi
binary="$build/bin/$target"
[ -x "$binary" ] || { echo "fuzz $target: $binary not built"; echo "fuzz $target: 0 passed, 1 failed"; exit 1; }
out="$build/fuzz/$target"
mkdir -p "$out/corpus"
log="$(mktemp)"
cleanup=("$log")
trap 'rm -rf "${cleanup[@]}"' EXIT

# 1. The corpus as regression tests, each file on its own.
mapfile -t files < <(find "$seeds" -type f | sort)
replayed=0
if [ ${#files[@]} -gt 0 ]; then
  if ! "$binary" -runs=1 "${files[@]}" >"$log" 2>&1; then
    tail -n 40 "$log"
    echo "fuzz $target: $(grep -c '^Executed ' "$log" || true) passed, 1 failed (replaying $seeds)"
    exit 1
  fi
  replayed=$(grep -c '^Executed ' "$log" || true)
fi

# 2. Fuzzing.
if [ -n "${ORCA_FUZZ_RUNS:-}" ]; then
  corpus="$(mktemp -d)"
  cleanup+=("$corpus")
  limit=(-runs="$ORCA_FUZZ_RUNS" -seed=1)
else
  corpus="$out/corpus"
  limit=(-max_total_time="$seconds")
fi
start=$SECONDS
status=0
"$binary" "${limit[@]}" -print_final_stats=1 -timeout=60 -rss_limit_mb=4096 -artifact_prefix="$out/" \
  "$corpus" "$seeds" >"$log" 2>&1 || status=$?
elapsed=$((SECONDS - start))
executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
files=$(find "$corpus" -type f | wc -l)
cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 || true)
tally=$(sed -n 's/^fuzz tally: //p' "$log" | tail -n 1)
if [ "$status" -ne 0 ] || [ -z "$executions" ]; then
  grep -v -E '^#[0-9]+ +(NEW|REDUCE|pulse)' "$log" | tail -n 60
  echo "fuzz $target: $((replayed + ${executions:-0})) passed, 1 failed (status $status after ${elapsed} s; crash saved under $out)"
  exit 1
fi
echo "fuzz $target: $((replayed + executions)) passed, 0 failed ($replayed corpus files replayed, $executions executions in ${elapsed} s, corpus $files files, $cov${tally:+; $tally})"
