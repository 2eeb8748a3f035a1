#!/usr/bin/env bash
# Checks the Go module the way a new user gets it: ci/go-module.sh makes the module as a proxy
# serves it; a new module outside the repository, with an empty module cache and no
# PKG_CONFIG_PATH, CGO_* or LD_LIBRARY_PATH, runs `go get`, `go build` and the program; ldd of
# the program and of the package's test binary must show no liborca, LLVM, libz3 or libxml2. The
# test binary (built from the module cache, so from what users download) then runs the package's
# tests, the shared conformance suite among them, and its output is left for ci/conformance.sh.
#
#   ci/go-fresh-module.sh BUILD_DIR LOG_DIR
#
# Ends with "go get (fresh module): ok (...)" or exits non-zero.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="$(cd "${1:?usage: ci/go-fresh-module.sh BUILD_DIR LOG_DIR}" && pwd)"
logs="$(mkdir -p "${2:?usage: ci/go-fresh-module.sh BUILD_DIR LOG_DIR}" && cd "$2" && pwd)"
work="$(mktemp -d)"
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT

"$root/ci/go-module.sh" "$build" "$work/proxy" >/dev/null
module="$(sed -n 's/^module //p' "$root/go/go.mod")"
version="$(cat "$work/proxy/$module/@v/list")"

# Nothing from the developer's setup: only the proxy, an empty module cache, and no variable
# that points cgo or the dynamic loader somewhere.
unset PKG_CONFIG_PATH LD_LIBRARY_PATH CGO_CFLAGS CGO_CPPFLAGS CGO_CXXFLAGS CGO_LDFLAGS
export GOPROXY="file://$work/proxy" GONOSUMDB="github.com/orca-runtime/orca" GOFLAGS=""
export GOPATH="$work/gopath" GOMODCACHE="$work/gopath/pkg/mod"

mkdir -p "$work/app"
cd "$work/app"
go mod init example.com/fresh >/dev/null 2>&1
cat >main.go <<'GO'
package main

import (
	"fmt"
	"os"

	orca "github.com/orca-runtime/orca/go"
)

func main() {
	engine := orca.NewEngine()
	defer engine.Close()
	store := orca.NewStore(engine)
	defer store.Close()
	module, err := orca.NewModuleFromWat(engine, `(module
	  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))`)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	instance, err := orca.NewLinker(store).Instantiate(module)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	r, err := instance.Func("add").Call(int32(2), int32(40))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("orca %s: %v\n", orca.Version(), r[0])
}
GO
go get "$module@$version" >"$logs/fresh-get.txt" 2>&1 || { cat "$logs/fresh-get.txt"; exit 1; }
grep -q "$module $version" go.mod || { echo "go.mod does not require $module $version"; exit 1; }
go build -o fresh . 2>"$logs/fresh-build.txt" || { cat "$logs/fresh-build.txt"; exit 1; }
out="$(./fresh)"
case "$out" in
  "orca "*": 42") ;;
  *) echo "fresh module printed: $out"; exit 1 ;;
esac

# Only system libraries at run time, for the program and for the package's test binary.
go test -c -o orca.test "$module" 2>"$logs/fresh-test-build.txt" || { cat "$logs/fresh-test-build.txt"; exit 1; }
for binary in fresh orca.test; do
  if ldd "$binary" | grep -iE 'orca|LLVM|z3|xml2'; then echo "$binary needs a library it must not"; exit 1; fi
done

# The package's tests and the conformance suite, from the downloaded module.
ORCA_CONFORMANCE_DIR="$root/tests/conformance" ./orca.test -test.count=1 -test.v >"$logs/go.txt" 2>&1 || {
  grep -E '^(--- FAIL|FAIL|panic)' "$logs/go.txt" | head -n 40; echo "go test (fresh module): FAILED"; exit 1; }
echo "go get (fresh module): ok ($out; ldd of the program and the test binary: system libraries only)"
