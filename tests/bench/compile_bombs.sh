#!/usr/bin/env bash
# The table of docs/security.md ("Denial of service by the compiler"): each compile bomb at the
# sizes given there, at opt level 2 and 0, one process each (tests/bench/compile_bombs.cpp).
# Usage: tests/bench/compile_bombs.sh [BUILD_DIR]. Takes minutes; CPU times are the figures to
# compare (wall time stretches with the machine's load, printed first).
set -euo pipefail
build="${1:-$(cd "$(dirname "$0")/../.." && pwd)/build}"
tool="$build/bin/compile_bombs"
[ -x "$tool" ] || { echo "missing $tool (cmake --build $build --target compile_bombs)" >&2; exit 1; }
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
while read -r bomb size opt; do
  "$tool" "$bomb" "$size" --opt "$opt"
done <<'TABLE'
big-function 10000 2
big-function 20000 2
big-function 100000 0
big-function 1000000 0
many-locals 8000 2
many-locals 50000 2
many-locals 50000 0
deep-nesting 4000 2
deep-nesting 10000 2
deep-nesting 10000 0
big-br-table 65520 2
big-br-table 65520 0
many-functions 10000 2
many-functions 30000 2
many-functions 30000 0
many-types 2000 2
many-types 4000 2
huge-data 100000000 2
TABLE
