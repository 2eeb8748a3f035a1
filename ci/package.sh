#!/usr/bin/env bash
# Makes what a release ships for linux-x86_64, from one build:
#
#   ci/package.sh BUILD_DIR OUT_DIR
#
#   OUT_DIR/lib/liborca.so*            stripped; OUT_DIR/lib/liborca.so.<version>.debug its debug info
#   OUT_DIR/lib/liborca.a              self-contained static library
#   OUT_DIR/lib/pkgconfig/orca.pc      relocatable
#   OUT_DIR/include/{wasm,wasi,orca}.h
#   OUT_DIR/bin/orca                   the command line
#   OUT_DIR/goproxy/...                the Go module as a module proxy serves it (ci/go-module.sh)
#   OUT_DIR/php/orca.so                the PHP extension for this machine's PHP (8.2 NTS here),
#                                      linked with the static library (php/prebuilt.sh)
#
# BUILD_DIR is configured with ci/build.sh if it is not yet; only what ships is built.
# ci/test.sh runs it and checks OUT_DIR/lib with tests/package/check_library.sh.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:?usage: ci/package.sh BUILD_DIR OUT_DIR}"
out="${2:?usage: ci/package.sh BUILD_DIR OUT_DIR}"
ORCA_BUILD_DIR="$build" ORCA_BUILD_TARGETS="orca_shared orca_static orca" "$root/ci/build.sh" >/dev/null
rm -rf "$out"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
cmake --install "$build" --prefix "$out" --component Unspecified >/dev/null
cmake --install "$build" --prefix "$out" --component debug >/dev/null
"$root/ci/go-module.sh" "$build" "$out/goproxy"
"$root/php/prebuilt.sh" "$out" "$out/php" >/dev/null
echo "package: $out"
