module github.com/orca-runtime/orca/tests/bench/go

go 1.25.0

require (
	github.com/orca-runtime/orca/go v0.0.0
	github.com/tetratelabs/wazero v1.12.0
)

require golang.org/x/sys v0.44.0 // indirect

replace github.com/orca-runtime/orca/go => ../../../go
