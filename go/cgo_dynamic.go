//go:build orca_dynamic

package orca

// With the build tag orca_dynamic the package links the liborca installed on the machine,
// found by pkg-config (orca.pc; PKG_CONFIG_PATH when it is not in a standard place).

// #cgo pkg-config: orca
import "C"
