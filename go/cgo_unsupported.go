//go:build !orca_dynamic && !(linux && amd64)

package orca

// The module ships liborca for linux/amd64 only. Elsewhere, build liborca from source, install
// it, and build with `-tags orca_dynamic` (docs/go.md). The undefined name below makes the build
// stop with that advice instead of failing later at the link.
var _ = orca_ships_liborca_for_linux_amd64_only__build_with_tags_orca_dynamic
