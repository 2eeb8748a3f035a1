// Package include holds the C headers of liborca (wasm.h, wasi.h, orca.h) in the published
// module; ci/go-module.sh copies them here from c-api/include. It has no Go API: the orca
// package imports it only so that `go mod vendor` copies the headers.
package include
