//go:build !orca_dynamic

package orca

// The published module carries the headers (include/) and a self-contained static liborca
// (lib/linux-amd64/liborca.a: Orca, LLVM, zstd, zlib and OpenSSL's SHA-256 in one object whose
// internal symbols are local), put there by ci/go-module.sh. Nothing is looked up on the machine:
// no pkg-config, no CGO_* variable, no shared library at run time. The blank imports make
// `go mod vendor` copy those two folders.

/*
#cgo CFLAGS: -I${SRCDIR}/include
#cgo linux,amd64 LDFLAGS: ${SRCDIR}/lib/linux-amd64/liborca.a -lstdc++ -lm -lpthread -ldl
*/
import "C"

import (
	_ "github.com/orca-runtime/orca/go/include"
	_ "github.com/orca-runtime/orca/go/lib/linux-amd64"
)
