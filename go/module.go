package orca

/*
#include "glue.h"
*/
import "C"

import (
	"errors"
	"runtime"
	"sync"
	"unsafe"
)

// Module is a compiled module. It may be shared by goroutines; ForStore gives another store of
// the same engine its own handle.
type Module struct {
	mu     sync.Mutex
	ptr    *C.wasm_module_t
	engine *Engine
}

func newModule(ptr *C.wasm_module_t, engine *Engine) *Module {
	m := &Module{ptr: ptr, engine: engine}
	runtime.SetFinalizer(m, (*Module).Close)
	return m
}

// NewModule compiles a binary module; a *Error of kind ErrMalformed or ErrInvalid says why not.
func NewModule(store *Store, wasm []byte) (*Module, error) {
	v := byteVec(wasm)
	defer C.wasm_byte_vec_delete(&v)
	var ptr *C.wasm_module_t
	err := takeError(C.orca_module_new(store.ptr, &v, &ptr))
	runtime.KeepAlive(store)
	if err != nil {
		return nil, err
	}
	return newModule(ptr, store.engine), nil
}

// NewModuleFromWat compiles a module in the text format.
func NewModuleFromWat(store *Store, text string) (*Module, error) {
	wasm, err := Wat2Wasm(text)
	if err != nil {
		return nil, err
	}
	return NewModule(store, wasm)
}

// DeserializeModule loads what Serialize wrote: an *Error of kind ErrMalformed for bytes that are
// not a serialized module or are damaged, ErrUnsupported for one made by another Orca, LLVM, CPU
// or configuration (compile the wasm again).
func DeserializeModule(store *Store, b []byte) (*Module, error) {
	v := byteVec(b)
	defer C.wasm_byte_vec_delete(&v)
	var ptr *C.wasm_module_t
	err := takeError(C.orca_module_deserialize(store.ptr, &v, &ptr))
	runtime.KeepAlive(store)
	if err != nil {
		return nil, err
	}
	return newModule(ptr, store.engine), nil
}

// ValidateModule checks a binary module without compiling it; an *Error (ErrMalformed or
// ErrInvalid) says why it is not valid.
func ValidateModule(store *Store, wasm []byte) error {
	v := byteVec(wasm)
	defer C.wasm_byte_vec_delete(&v)
	err := takeError(C.orca_module_validate(store.ptr, &v))
	runtime.KeepAlive(store)
	return err
}

// Close releases the module (instances made from it stay valid). Safe twice.
func (m *Module) Close() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.ptr != nil {
		C.wasm_module_delete(m.ptr)
		m.ptr = nil
	}
	runtime.SetFinalizer(m, nil)
	return nil
}

// Serialize returns bytes DeserializeModule loads again.
func (m *Module) Serialize() []byte {
	var out C.wasm_byte_vec_t
	C.wasm_module_serialize(m.ptr, &out)
	runtime.KeepAlive(m)
	defer C.wasm_byte_vec_delete(&out)
	return C.GoBytes(unsafe.Pointer(out.data), C.int(out.size))
}

// ForStore returns a handle of the module for another store of the same engine, which may belong
// to another goroutine.
func (m *Module) ForStore(store *Store) (*Module, error) {
	shared := C.wasm_module_share(m.ptr)
	runtime.KeepAlive(m)
	defer C.wasm_shared_module_delete(shared)
	ptr := C.wasm_module_obtain(store.ptr, shared)
	runtime.KeepAlive(store)
	if ptr == nil {
		return nil, errors.New("orca: module cannot move to that store")
	}
	return newModule(ptr, store.engine), nil
}

// Imports lists the module's imports in order.
func (m *Module) Imports() []ImportType {
	var v C.wasm_importtype_vec_t
	C.wasm_module_imports(m.ptr, &v)
	runtime.KeepAlive(m)
	defer C.wasm_importtype_vec_delete(&v)
	var out []ImportType
	for _, t := range unsafeSlice(v.data, v.size) {
		out = append(out, ImportType{Module: nameString(C.wasm_importtype_module(t)), Name: nameString(C.wasm_importtype_name(t)),
			Kind: ExternKind(C.wasm_externtype_kind(C.wasm_importtype_type(t)))})
	}
	return out
}

// Exports lists the module's exports in order.
func (m *Module) Exports() []ExportType {
	var v C.wasm_exporttype_vec_t
	C.wasm_module_exports(m.ptr, &v)
	runtime.KeepAlive(m)
	defer C.wasm_exporttype_vec_delete(&v)
	var out []ExportType
	for _, t := range unsafeSlice(v.data, v.size) {
		out = append(out, ExportType{Name: nameString(C.wasm_exporttype_name(t)),
			Kind: ExternKind(C.wasm_externtype_kind(C.wasm_exporttype_type(t)))})
	}
	return out
}
