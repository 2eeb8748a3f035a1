// A Go hello world for the `orca run` start-up figures of tests/bench/cache_start.sh, built with
// GOOS=wasip1 GOARCH=wasm: the Go runtime alone makes a module of about 2 MB.
package main

import "fmt"

func main() {
	fmt.Println("Hello from Go")
}
