// Package orca embeds the Orca WebAssembly runtime in Go programs.
//
// It is a hand-written binding over Orca's C API (wasm.h, orca.h, wasi.h). The module as published
// carries a self-contained static liborca for linux/amd64 and links it with cgo, so `go get` and
// `go build` need nothing installed but a C compiler; the build tag orca_dynamic links an
// installed liborca found by pkg-config instead:
//
//	engine := orca.NewEngine()
//	module, err := orca.NewModuleFromWat(engine, `(module (func (export "add") (param i32 i32) (result i32)
//	    (i32.add (local.get 0) (local.get 1))))`)
//	store := orca.NewStore(engine)
//	defer store.Close()
//	instance, err := orca.NewLinker(store).Instantiate(module)
//	results, err := instance.Func("add").Call(1, 2)
//
// A Module belongs to its Engine and is instantiated in any store of it. Host functions are Go
// functions (WrapFunc, Linker.DefineFunc); one whose first parameter is a *Caller reaches the
// calling instance's memory and the call's context.
//
// Lifetimes follow the C API: an Engine and a Module may be shared by goroutines; a Store, and
// everything that lives in it (instances, functions, memories, globals, tables), belongs to one
// goroutine at a time and is freed by Store.Close. Every Close is safe to call twice, and a
// finalizer calls it for objects that become unreachable. A closed object, or one whose store is
// closed, answers every use with an error matching ErrClosed.
//
// Values cross the boundary as Go types: int32, int64, float32, float64 (NaN bits are kept),
// V128, *Func or nil for funcref, and any Go value or nil for externref. Call also takes other
// Go integers and floats when the parameter holds the value exactly (numberBits says which).
package orca

/*
#include "glue.h"
*/
import "C"

import (
	"runtime"
	"unsafe"
)

// Version is the version of the liborca the program runs against.
func Version() string { return C.GoString(C.orca_version()) }

// Wat2Wasm translates the WebAssembly text format to a binary module.
func Wat2Wasm(text string) ([]byte, error) {
	in := byteVec([]byte(text))
	defer C.wasm_byte_vec_delete(&in)
	var out C.wasm_byte_vec_t
	if err := takeError(C.orca_wat2wasm(&in, &out)); err != nil {
		return nil, err
	}
	defer C.wasm_byte_vec_delete(&out)
	return C.GoBytes(unsafe.Pointer(out.data), C.int(out.size)), nil
}

// byteVec copies b into a new C vector (to be deleted with wasm_byte_vec_delete).
func byteVec(b []byte) C.wasm_byte_vec_t {
	var v C.wasm_byte_vec_t
	if len(b) == 0 {
		C.wasm_byte_vec_new_empty(&v)
		return v
	}
	C.wasm_byte_vec_new(&v, C.size_t(len(b)), (*C.byte_t)(unsafe.Pointer(&b[0])))
	runtime.KeepAlive(b)
	return v
}

// nameString reads a wasm_name_t without its terminating NUL.
func nameString(n *C.wasm_name_t) string {
	if n == nil || n.size == 0 {
		return ""
	}
	s := C.GoStringN((*C.char)(unsafe.Pointer(n.data)), C.int(n.size))
	for len(s) > 0 && s[len(s)-1] == 0 {
		s = s[:len(s)-1]
	}
	return s
}

// messageString reads and deletes a message.
func messageString(m *C.wasm_message_t) string {
	s := nameString(m)
	C.wasm_byte_vec_delete(m)
	return s
}
