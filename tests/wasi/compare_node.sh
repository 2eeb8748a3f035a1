#!/bin/bash
# Runs the same wasm32-wasi program under Node's node:wasi and under Orca, each on its own copy
# of the same directory tree, and requires the same stdout, exit status and resulting tree.
#   compare_node.sh <listdir.wasm> <wasi_runner> [orca CLI]
# Orca runs through wasi_runner's `run` mode (the C API, as `orca run` does); when an `orca`
# binary is given and has a `run` command, `orca run --dir` is compared as well.
# Exit 77 (skipped) when node or node:wasi is missing, 1 under CI=true.
set -u
wasm=$1 runner=$2 orca=${3:-}
here=$(cd "$(dirname "$0")" && pwd)
# Under CI=true a missing node is a failure, never a skip.
skip() { echo "$1"; if [ "${CI:-}" = true ]; then exit 1; fi; exit 77; }
command -v node >/dev/null || skip "skipped: node is not installed"
node -e "require('node:wasi')" 2>/dev/null || skip "skipped: this node has no node:wasi"

work=$(mktemp -d /tmp/orca-node-cmp-XXXXXX)
trap 'rm -rf "$work"' EXIT

make_tree() {
  mkdir -p "$1/docs/deeper"
  printf 'alpha\n' > "$1/a.txt"
  printf 'bravo bravo\n' > "$1/docs/b.txt"
  printf '' > "$1/docs/deeper/empty"
  printf '0123456789' > "$1/digits"
}
tree_of() { (cd "$1" && find . -printf '%y %p %s\n' | sort && find . -type f -print0 | sort -z | xargs -0 md5sum); }

failed=0 passed=0
compare() {  # name, expected-file, actual-file
  if diff -u "$2" "$3" > "$work/diff"; then passed=$((passed + 1)); else
    failed=$((failed + 1)); echo "MISMATCH: $1"; cat "$work/diff"; fi
}

make_tree "$work/node"
node --no-warnings "$here/node_wasi.mjs" "$wasm" "$work/node" /sandbox /sandbox > "$work/node.out" 2> "$work/node.err"
echo "status $?" >> "$work/node.out"
tree_of "$work/node" > "$work/node.tree"

make_tree "$work/orca"
"$runner" run "$wasm" --dir "$work/orca::/sandbox" -- /sandbox > "$work/orca.out" 2> "$work/orca.err"
echo "status $?" >> "$work/orca.out"
tree_of "$work/orca" > "$work/orca.tree"
compare "stdout and status (C API runner)" "$work/node.out" "$work/orca.out"
compare "resulting tree (C API runner)" "$work/node.tree" "$work/orca.tree"
# The comparison must have compared something real.
if grep -q "rename a.txt renamed.txt: ok" "$work/node.out" && grep -q "docs/" "$work/node.out"; then
  passed=$((passed + 1)); else failed=$((failed + 1)); echo "node's run did not do the work:"; cat "$work/node.out" "$work/node.err"; fi

# Exit statuses and stdio: hello echoes its arguments and exits with the first (argv[0] differs
# by design: node passes the path it was given, `orca run` the file name, so it is left out).
hello=$(dirname "$wasm")/hello.wasm
node --no-warnings "$here/node_wasi.mjs" "$hello" "$work" /unused 7 "two words" < /dev/null 2>&1 | grep -v '^argv\[0\]' > "$work/hello-node.out"
echo "status ${PIPESTATUS[0]}" >> "$work/hello-node.out"
"$runner" run "$hello" -- 7 "two words" < /dev/null 2>&1 | grep -v '^argv\[0\]' > "$work/hello-orca.out"
echo "status ${PIPESTATUS[0]}" >> "$work/hello-orca.out"
compare "hello: output and exit status 7 (C API runner)" "$work/hello-node.out" "$work/hello-orca.out"

if [ -n "$orca" ] && [ -x "$orca" ] && "$orca" run --help >/dev/null 2>&1; then
  "$orca" run "$hello" 7 "two words" < /dev/null 2>&1 | grep -v '^argv\[0\]' > "$work/hello-cli.out"
  echo "status ${PIPESTATUS[0]}" >> "$work/hello-cli.out"
  compare "hello: output and exit status 7 (orca run)" "$work/hello-node.out" "$work/hello-cli.out"
  make_tree "$work/cli"
  "$orca" run --dir "$work/cli::/sandbox" "$wasm" /sandbox > "$work/cli.out" 2> "$work/cli.err"
  echo "status $?" >> "$work/cli.out"
  tree_of "$work/cli" > "$work/cli.tree"
  compare "stdout and status (orca run --dir)" "$work/node.out" "$work/cli.out"
  compare "resulting tree (orca run --dir)" "$work/node.tree" "$work/cli.tree"
else
  echo "note: no orca CLI with a run command given; compared through the C API runner only"
fi
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
