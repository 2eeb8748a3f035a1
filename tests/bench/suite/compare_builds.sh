#!/usr/bin/env bash
# Compares two Orca builds on programs of the suite, alternating them with the native build so
# that a change in load hits all three alike: for each program one warm-up run per build (fills
# each build's own module cache), then REPS rounds of native, before, after. Prints one line per
# run, "program build round cpu-seconds" (user + sys, /usr/bin/time), and exits 1 if any run
# failed (every program checks its own result).
#
#   tests/bench/suite/compare_builds.sh PROGRAMS_DIR BEFORE_ORCA AFTER_ORCA REPS prog...
#
# PROGRAMS_DIR is what tests/bench/suite/build.sh filled (prog.wasm and prog.native). Each orca
# is a command; a build whose liborca.so is elsewhere than its RUNPATH says takes it from
# $BEFORE_LIB / $AFTER_LIB (put in LD_LIBRARY_PATH for that build only).
set -uo pipefail
[ $# -ge 5 ] || { echo "usage: $0 PROGRAMS_DIR BEFORE_ORCA AFTER_ORCA REPS prog..." >&2; exit 2; }
programs="$1" before="$2" after="$3" reps="$4"
shift 4
[ -x /usr/bin/time ] || { echo "compare_builds.sh: /usr/bin/time is missing" >&2; exit 1; }
caches="$(mktemp -d)"
trap 'rm -rf "$caches"' EXIT
failed=0

# run BUILD PROGRAM ROUND: one run, its line on stdout
run() {
  local build="$1" prog="$2" round="$3" times="$caches/time" cmd
  case "$build" in
    native) cmd=("$programs/$prog.native") ;;
    before) cmd=(env LD_LIBRARY_PATH="${BEFORE_LIB:-}" "$before" run --cache-dir "$caches/before" "$programs/$prog.wasm") ;;
    after) cmd=(env LD_LIBRARY_PATH="${AFTER_LIB:-}" "$after" run --cache-dir "$caches/after" "$programs/$prog.wasm") ;;
  esac
  if ! /usr/bin/time -f "%U %S" -o "$times" "${cmd[@]}" >/dev/null 2>&1; then
    echo "compare_builds.sh: $prog failed under $build" >&2
    failed=$((failed + 1))
    return
  fi
  echo "$prog $build $round $(awk '{print $1 + $2}' "$times")"
}

for prog in "$@"; do
  [ -f "$programs/$prog.wasm" ] && [ -x "$programs/$prog.native" ] || {
    echo "compare_builds.sh: $programs/$prog.wasm or .native is missing" >&2; exit 1; }
  run before "$prog" warmup >/dev/null
  run after "$prog" warmup >/dev/null
  for round in $(seq 1 "$reps"); do
    for build in native before after; do run "$build" "$prog" "$round"; done
  done
done
[ "$failed" -eq 0 ] || exit 1
