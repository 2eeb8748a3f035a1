package orca

/*
#include "glue.h"
*/
import "C"

import (
	"errors"
	"runtime"
	"unsafe"
)

// Module is a compiled module. It may be shared by goroutines; ForStore gives another store of
// the same engine its own handle.
type Module struct {
	ptr *C.wasm_module_t
	// handle lets Close on one goroutine wait for no use on another: the C module is deleted
	// when the last use in progress ends.
	handle sharedHandle
	engine *Engine
}

// newModule wraps a module compiled in a live store of engine; it holds the engine until closed.
func newModule(ptr *C.wasm_module_t, engine *Engine) *Module {
	engine.handle.retain()
	m := &Module{ptr: ptr, engine: engine}
	m.handle.free = func() {
		C.wasm_module_delete(ptr)
		engine.handle.release()
	}
	runtime.SetFinalizer(m, (*Module).Close)
	return m
}

// NewModule compiles a binary module; a *Error of kind ErrMalformed or ErrInvalid says why not.
func NewModule(store *Store, wasm []byte) (*Module, error) {
	if store.closed {
		return nil, ErrClosed
	}
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
	if store.closed {
		return nil, ErrClosed
	}
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
	if store.closed {
		return ErrClosed
	}
	v := byteVec(wasm)
	defer C.wasm_byte_vec_delete(&v)
	err := takeError(C.orca_module_validate(store.ptr, &v))
	runtime.KeepAlive(store)
	return err
}

// Close releases the module (instances made from it stay valid); a use in progress on another
// goroutine finishes first. Safe twice.
func (m *Module) Close() error {
	m.handle.close()
	runtime.SetFinalizer(m, nil)
	return nil
}

// use starts a use of the C module (ended by m.handle.release); ErrClosed after Close.
func (m *Module) use() error {
	if !m.handle.acquire() {
		return ErrClosed
	}
	return nil
}

// Serialize returns bytes DeserializeModule loads again.
func (m *Module) Serialize() ([]byte, error) {
	if err := m.use(); err != nil {
		return nil, err
	}
	defer m.handle.release()
	var out C.wasm_byte_vec_t
	C.wasm_module_serialize(m.ptr, &out)
	defer C.wasm_byte_vec_delete(&out)
	return C.GoBytes(unsafe.Pointer(out.data), C.int(out.size)), nil
}

// ForStore returns a handle of the module for another store of the same engine, which may belong
// to another goroutine.
func (m *Module) ForStore(store *Store) (*Module, error) {
	if store.closed {
		return nil, ErrClosed
	}
	if err := m.use(); err != nil {
		return nil, err
	}
	shared := C.wasm_module_share(m.ptr)
	m.handle.release()
	defer C.wasm_shared_module_delete(shared)
	ptr := C.wasm_module_obtain(store.ptr, shared)
	runtime.KeepAlive(store)
	if ptr == nil {
		return nil, errors.New("orca: module cannot move to that store")
	}
	return newModule(ptr, store.engine), nil
}

// Imports lists the module's imports in order.
func (m *Module) Imports() ([]ImportType, error) {
	if err := m.use(); err != nil {
		return nil, err
	}
	var v C.wasm_importtype_vec_t
	C.wasm_module_imports(m.ptr, &v)
	m.handle.release()
	defer C.wasm_importtype_vec_delete(&v)
	var out []ImportType
	for _, t := range unsafeSlice(v.data, v.size) {
		out = append(out, ImportType{Module: nameString(C.wasm_importtype_module(t)), Name: nameString(C.wasm_importtype_name(t)),
			Kind: ExternKind(C.wasm_externtype_kind(C.wasm_importtype_type(t)))})
	}
	return out, nil
}

// Exports lists the module's exports in order.
func (m *Module) Exports() ([]ExportType, error) {
	if err := m.use(); err != nil {
		return nil, err
	}
	var v C.wasm_exporttype_vec_t
	C.wasm_module_exports(m.ptr, &v)
	m.handle.release()
	defer C.wasm_exporttype_vec_delete(&v)
	var out []ExportType
	for _, t := range unsafeSlice(v.data, v.size) {
		out = append(out, ExportType{Name: nameString(C.wasm_exporttype_name(t)),
			Kind: ExternKind(C.wasm_externtype_kind(C.wasm_exporttype_type(t)))})
	}
	return out, nil
}
