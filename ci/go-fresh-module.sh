#!/usr/bin/env bash
# Checks installation the way Go users do it: a fresh module outside the repository gets the
# binding with `go get` (through the file-based proxy ci/go-proxy.sh builds, with no other
# proxy and no network) and builds against the installed liborca found by pkg-config, then runs.
#
#   ci/go-fresh-module.sh PREFIX      # PREFIX: where liborca is installed (lib/pkgconfig/orca.pc)
#
# Ends with "go get (fresh module): ok" or exits non-zero.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
prefix="$(cd "${1:?usage: ci/go-fresh-module.sh PREFIX}" && pwd)"
work="$(mktemp -d)"
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT

"$root/ci/go-proxy.sh" "$work/proxy" >/dev/null
version="$(cat "$work/proxy/github.com/orca-runtime/orca/go/@v/list")"

mkdir -p "$work/app"
cd "$work/app"
export GOPROXY="file://$work/proxy" GONOSUMDB="github.com/orca-runtime/orca" GOFLAGS="-mod=mod"
export GOPATH="$work/gopath" GOMODCACHE="$work/gopath/pkg/mod"
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
export CGO_LDFLAGS="-Wl,-rpath,$prefix/lib"
go mod init example.com/fresh >/dev/null 2>&1
cat >main.go <<'GO'
package main

import (
	"fmt"
	"os"

	orca "github.com/orca-runtime/orca/go"
)

func main() {
	store := orca.NewStore(orca.NewEngine())
	defer store.Close()
	module, err := orca.NewModuleFromWat(store, `(module
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
go get "github.com/orca-runtime/orca/go@$version" >/dev/null 2>&1 || { go get "github.com/orca-runtime/orca/go@$version"; exit 1; }
grep -q "github.com/orca-runtime/orca/go $version" go.mod || { echo "go.mod does not require the binding"; exit 1; }
go build -o fresh .
out="$(./fresh)"
case "$out" in
  "orca "*": 42") ;;
  *) echo "fresh module printed: $out"; exit 1 ;;
esac
echo "go get (fresh module): ok ($out)"
