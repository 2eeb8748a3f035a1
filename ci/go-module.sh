#!/usr/bin/env bash
# Produces the Go module github.com/orca-runtime/orca/go exactly as a module proxy serves it, with
# the headers and the self-contained static liborca for linux-amd64 inside:
#
#   ci/go-module.sh BUILD_DIR OUT_DIR [VERSION]
#
# BUILD_DIR holds lib/liborca.a (target orca_static); VERSION defaults to v<project version>
# (the repository's tag is go/VERSION, the module living in go/). OUT_DIR gets the GOPROXY
# protocol's files, OUT_DIR/github.com/orca-runtime/orca/go/@v/{list,VERSION.info,.mod,.zip}, so:
#
#   GOPROXY=file://OUT_DIR GONOSUMDB=github.com/orca-runtime/orca go get github.com/orca-runtime/orca/go@VERSION
#
# The zip holds the committed files of go/ (git ls-files), include/*.h and lib/linux-amd64/liborca.a.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="$(cd "${1:?usage: ci/go-module.sh BUILD_DIR OUT_DIR [VERSION]}" && pwd)"
out="${2:?usage: ci/go-module.sh BUILD_DIR OUT_DIR [VERSION]}"
module="$(sed -n 's/^module //p' "$root/go/go.mod")"
version="${3:-v$(sed -n 's/^project(orca VERSION \([0-9.]*\).*/\1/p' "$root/CMakeLists.txt")}"
[[ "$version" =~ ^v[0-9]+\.[0-9]+\.[0-9]+ ]] || { echo "go-module: bad version '$version'" >&2; exit 1; }
lib="$build/lib/liborca.a"
[ -f "$lib" ] || { echo "go-module: no $lib (build the orca_static target)" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
stage="$work/stage"
mkdir -p "$stage"
(cd "$root/go" && git ls-files -z . | xargs -0 -I{} cp --parents {} "$stage/")
cp "$root/c-api/include/wasm.h" "$root/c-api/include/wasi.h" "$root/c-api/include/orca.h" "$stage/include/"
cp "$lib" "$stage/lib/linux-amd64/liborca.a"

dir="$out/$module/@v"
mkdir -p "$dir"
cat >"$work/zip.go" <<'GO'
// Writes a module zip (the layout `go mod download` expects): every file of SRC under
// MODULE@VERSION/, in a stable order.
package main

import (
	"archive/zip"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

func main() {
	src, prefix, dst := os.Args[1], os.Args[2]+"@"+os.Args[3]+"/", os.Args[4]
	f, err := os.Create(dst)
	if err != nil {
		panic(err)
	}
	w := zip.NewWriter(f)
	err = filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		zf, err := w.Create(prefix + filepath.ToSlash(rel))
		if err != nil {
			return err
		}
		in, err := os.Open(p)
		if err != nil {
			return err
		}
		defer in.Close()
		_, err = io.Copy(zf, in)
		return err
	})
	if err == nil {
		err = w.Close()
	}
	if err == nil {
		err = f.Close()
	}
	if err != nil {
		panic(err)
	}
}
GO
(cd "$work" && GO111MODULE=off GOFLAGS= go run zip.go "$stage" "$module" "$version" "$(cd "$dir" && pwd)/$version.zip")
cp "$root/go/go.mod" "$dir/$version.mod"
printf '{"Version":"%s","Time":"%s"}\n' "$version" \
  "$(git -C "$root" log -1 --format=%cI 2>/dev/null || date -u +%Y-%m-%dT%H:%M:%SZ)" >"$dir/$version.info"
echo "$version" >"$dir/list"
echo "go-module: $module $version in $out ($(du -h "$dir/$version.zip" | cut -f1) zip)"
