package orca

/*
#include "glue.h"
*/
import "C"

import (
	"runtime"
	"unsafe"
)

// Module is a compiled module. It belongs to the engine that compiled it: any store of that
// engine may instantiate it, on any goroutine, so a module is compiled once and instantiated in
// as many stores as needed. A store of another engine refuses it (ErrUnlinkable).
type Module struct {
	ptr *C.wasm_module_t
	// handle lets Close on one goroutine wait for no use on another: the C module is deleted
	// when the last use in progress ends.
	handle sharedHandle
	engine *Engine
}

// newModule wraps a module compiled by engine; it holds the engine until closed.
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

// withEngine runs f while the engine cannot be freed; ErrClosed after the engine's Close.
func withEngine(engine *Engine, f func() error) error {
	if !engine.handle.acquire() {
		return ErrClosed
	}
	defer engine.handle.release()
	return f()
}

// NewModule compiles a binary module for the engine; an *Error of kind ErrMalformed or
// ErrInvalid says why not.
func NewModule(engine *Engine, wasm []byte) (*Module, error) {
	var ptr *C.wasm_module_t
	err := withEngine(engine, func() error {
		v := byteVec(wasm)
		defer C.wasm_byte_vec_delete(&v)
		return takeError(C.orca_module_new(engine.ptr, &v, &ptr))
	})
	if err != nil {
		return nil, err
	}
	return newModule(ptr, engine), nil
}

// NewModuleFromWat compiles a module in the text format for the engine.
func NewModuleFromWat(engine *Engine, text string) (*Module, error) {
	wasm, err := Wat2Wasm(text)
	if err != nil {
		return nil, err
	}
	return NewModule(engine, wasm)
}

// DeserializeModule loads what Serialize wrote: an *Error of kind ErrMalformed for bytes that are
// not a serialized module or are damaged, ErrUnsupported for one made by another Orca, LLVM, CPU
// or configuration (compile the wasm again).
func DeserializeModule(engine *Engine, b []byte) (*Module, error) {
	var ptr *C.wasm_module_t
	err := withEngine(engine, func() error {
		v := byteVec(b)
		defer C.wasm_byte_vec_delete(&v)
		return takeError(C.orca_module_deserialize(engine.ptr, &v, &ptr))
	})
	if err != nil {
		return nil, err
	}
	return newModule(ptr, engine), nil
}

// ValidateModule checks a binary module against the engine's features without compiling it; an
// *Error (ErrMalformed or ErrInvalid) says why it is not valid.
func ValidateModule(engine *Engine, wasm []byte) error {
	return withEngine(engine, func() error {
		v := byteVec(wasm)
		defer C.wasm_byte_vec_delete(&v)
		return takeError(C.orca_module_validate(engine.ptr, &v))
	})
}

// Engine is the engine that compiled the module.
func (m *Module) Engine() *Engine { return m.engine }

// useIn starts a use of the module by a store: ErrClosed after the module's Close, and an
// ErrUnlinkable for a store of another engine, whose code the module's was not compiled for.
func (m *Module) useIn(store *Store) error {
	if m.engine != store.engine {
		return &Error{Kind: ErrUnlinkable,
			Message: "the module was compiled by another engine; compile it with the store's engine"}
	}
	return m.use()
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
