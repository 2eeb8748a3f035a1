#!/usr/bin/env bash
# Builds a file-based Go module proxy that serves go/ as github.com/orca-runtime/orca/go at the
# version of liborca (v0.1.0 for orca_version "0.1.0"), so that `go get` works the way it does
# against proxy.golang.org:
#
#   ci/go-proxy.sh DIR            # then: GOPROXY=file://DIR GONOSUMDB=github.com/orca-runtime go get ...
#
# The layout is the GOPROXY protocol's: DIR/github.com/orca-runtime/orca/go/@v/{list,vX.info,vX.mod,vX.zip}.
# The zip is written by a small Go program (archive/zip), so nothing beyond Go is needed.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:?usage: ci/go-proxy.sh DIR}"
module="$(sed -n 's/^module //p' "$root/go/go.mod")"
version="v$(sed -n 's/^project(orca VERSION \([0-9.]*\).*/\1/p' "$root/CMakeLists.txt")"
if [ "$version" = "v" ]; then version="v0.1.0"; fi
dir="$out/$module/@v"
mkdir -p "$dir"
out="$(cd "$out" && pwd)"
dir="$out/$module/@v"

tool="$(mktemp -d)"
trap 'rm -rf "$tool"' EXIT
cat >"$tool/main.go" <<'GO'
// Writes a module zip: every regular file of SRC (except tests' build outputs) under MODULE@VERSION/.
package main

import (
	"archive/zip"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

func main() {
	src, prefix, dst := os.Args[1], os.Args[2]+"@"+os.Args[3]+"/", os.Args[4]
	f, err := os.Create(dst)
	if err != nil {
		panic(err)
	}
	w := zip.NewWriter(f)
	err = filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !d.Type().IsRegular() {
			return nil
		}
		rel, _ := filepath.Rel(src, p)
		if strings.HasPrefix(filepath.Base(rel), ".") {
			return nil
		}
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
	if err != nil {
		panic(err)
	}
	if err := w.Close(); err != nil {
		panic(err)
	}
	if err := f.Close(); err != nil {
		panic(err)
	}
}
GO
(cd "$tool" && GO111MODULE=off GOFLAGS= go run main.go "$root/go" "$module" "$version" "$dir/$version.zip")
cp "$root/go/go.mod" "$dir/$version.mod"
printf '{"Version":"%s","Time":"%s"}\n' "$version" "$(git -C "$root" log -1 --format=%cI 2>/dev/null || date -u +%Y-%m-%dT%H:%M:%SZ)" >"$dir/$version.info"
echo "$version" >"$dir/list"
echo "go-proxy: $module $version in $out"
