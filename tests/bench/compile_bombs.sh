#!/usr/bin/env bash
# The table of docs/security.md ("Denial of service by the compiler"): each compile bomb at the
# sizes given there, at opt level 2 and 0, one process each (tests/bench/compile_bombs.cpp). The
# real programs of its last row are not built here: pass their .wasm to compile_bombs (size 0).
# Usage: tests/bench/compile_bombs.sh [BUILD_DIR]. Takes about an hour on 2 cores. Compare CPU
# times: wall time stretches with the machine's load, which is printed at the start.
set -euo pipefail
build="${1:-$(cd "$(dirname "$0")/../.." && pwd)/build}"
tool="$build/bin/compile_bombs"
[ -x "$tool" ] || { echo "missing $tool (cmake --build $build --target compile_bombs)" >&2; exit 1; }
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
while read -r args; do
  # shellcheck disable=SC2086 # each line is the tool's arguments
  "$tool" $args
done <<'TABLE'
big-function 10000
big-function 20000
big-function 100000
big-function 10000 --opt 0
big-function 100000 --opt 0
big-function 1000000 --opt 0
many-locals 8000
many-locals 50000
many-locals 50000 --opt 0
deep-nesting 4000
deep-nesting 10000
deep-nesting 4000 --opt 0
deep-nesting 10000 --opt 0
big-br-table 65520
big-br-table 65520 --opt 0
many-functions 10000
many-functions 30000
many-functions 10000 --opt 0
many-functions 30000 --opt 0
many-types 2000
many-types 4000
many-types 10000 --no-limits
many-types 10000 --no-limits --opt 0
huge-data 100000000
TABLE
