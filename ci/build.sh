#!/usr/bin/env bash
# Configures and builds Orca into build/ (or $ORCA_BUILD_DIR). Extra arguments go to cmake.
# $ORCA_BUILD_TARGETS (space-separated) builds only those targets instead of everything.
# CI's builds use the pinned clang 19 with warnings as errors (ORCA_WERROR); a plain cmake build
# with another compiler only warns.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${ORCA_BUILD_DIR:-$root/build}"
jobs="$(nproc)"
cmake -G Ninja -S "$root" -B "$build" \
  -DCMAKE_C_COMPILER=clang-19 -DCMAKE_CXX_COMPILER=clang++-19 \
  -DCMAKE_BUILD_TYPE="${ORCA_BUILD_TYPE:-RelWithDebInfo}" -DORCA_WERROR=ON "$@" >/dev/null
# shellcheck disable=SC2086 # the target list is split on purpose
cmake --build "$build" -j "$jobs" ${ORCA_BUILD_TARGETS:+--target $ORCA_BUILD_TARGETS}
