module github.com/orca-runtime/orca/go

go 1.24
