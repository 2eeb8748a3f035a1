// Package lib holds the self-contained static liborca.a for linux/amd64 in the published module;
// ci/go-module.sh builds it and copies it here. It has no Go API: the orca package imports it
// only so that `go mod vendor` copies the library.
package lib
