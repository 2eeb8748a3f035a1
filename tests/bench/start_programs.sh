# Sourced by cache_start.sh and lazy_start.sh (`source start_programs.sh NAME [BUILD_DIR]`): sets
# root, build, orca and work (a temporary directory removed on exit), checks for hyperfine, Go
# and Python, and builds the two programs both measure into $work: big.wasm
# (tests/bench/cache_start/big.c, a C WASI command of about 200 KB; CMake's target
# cache_start_wasm builds it with clang-19 and Debian's wasi-libc) and hello-go.wasm
# (tests/bench/cache_start/hello.go, GOOS=wasip1 GOARCH=wasm, built now with the installed Go).
set -euo pipefail
bench_name="$1"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${2:-$root/build}"
orca="$build/bin/orca"
for tool in hyperfine go python3; do
  command -v "$tool" >/dev/null || { echo "$bench_name: $tool is missing" >&2; exit 1; }
done
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cmake --build "$build" --target orca cache_start_wasm >/dev/null
cp "$build/tests/bench/cache_start_big.wasm" "$work/big.wasm"
(cd "$root/tests/bench/cache_start" && GOOS=wasip1 GOARCH=wasm go build -o "$work/hello-go.wasm" hello.go)
