package orca

/*
#include "glue.h"
*/
import "C"

import (
	"fmt"
	"runtime"
)

// Table is a table of references.
type Table struct {
	owned
	ptr *C.wasm_table_t
}

// NewTable makes a table in the store, every element set to init.
func NewTable(store *Store, ty TableType, init any) (*Table, error) {
	if store.closed {
		return nil, ErrClosed
	}
	limits := C.wasm_limits_t{min: C.uint32_t(ty.Min), max: C.uint32_t(ty.Max)}
	ct := C.wasm_tabletype_new(C.wasm_valtype_new(C.wasm_valkind_t(ty.Elem)), &limits)
	defer C.wasm_tabletype_delete(ct)
	ref, err := store.refOf(ty.Elem, init)
	if err != nil {
		return nil, err
	}
	ptr := C.wasm_table_new(store.ptr, ct, ref)
	runtime.KeepAlive(store)
	if ptr == nil {
		return nil, fmt.Errorf("orca: cannot make a table of %+v", ty)
	}
	store.own(func() { C.wasm_table_delete(ptr) })
	return &Table{owned: owned{store: store}, ptr: ptr}, nil
}

func (t *Table) externPtr() *C.wasm_extern_t { return C.wasm_table_as_extern(t.ptr) }

// Type is the table's element type and limits.
func (t *Table) Type() (TableType, error) {
	if t.gone() {
		return TableType{}, ErrClosed
	}
	ct := C.wasm_table_type(t.ptr)
	defer C.wasm_tabletype_delete(ct)
	l := C.wasm_tabletype_limits(ct)
	runtime.KeepAlive(t.store)
	return TableType{Elem: ValKind(C.wasm_valtype_kind(C.wasm_tabletype_element(ct))), Min: uint32(l.min), Max: uint32(l.max)}, nil
}

// Size is the number of elements.
func (t *Table) Size() (uint32, error) {
	if t.gone() {
		return 0, ErrClosed
	}
	n := C.wasm_table_size(t.ptr)
	runtime.KeepAlive(t.store)
	return uint32(n), nil
}

// Get is element i: a *Func (nil for null) or an externref's Go value; an error out of bounds.
func (t *Table) Get(i uint32) (any, error) {
	ty, size, err := t.typeAndSize()
	if err != nil {
		return nil, err
	}
	if i >= size {
		return nil, fmt.Errorf("orca: table index %d out of bounds (size %d)", i, size)
	}
	ref := C.wasm_table_get(t.ptr, C.wasm_table_size_t(i))
	runtime.KeepAlive(t.store)
	return t.store.refValue(ref, ty.Elem, true), nil
}

// Set sets element i; an error out of bounds or for a value of another type.
func (t *Table) Set(i uint32, v any) error {
	ty, size, err := t.typeAndSize()
	if err != nil {
		return err
	}
	ref, err := t.store.refOf(ty.Elem, v)
	if err != nil {
		return err
	}
	ok := C.wasm_table_set(t.ptr, C.wasm_table_size_t(i), ref)
	runtime.KeepAlive(t.store)
	if !ok {
		return fmt.Errorf("orca: table index %d out of bounds (size %d)", i, size)
	}
	return nil
}

// Grow adds delta elements set to init; an error past the maximum or the store's limit.
func (t *Table) Grow(delta uint32, init any) error {
	ty, size, err := t.typeAndSize()
	if err != nil {
		return err
	}
	ref, err := t.store.refOf(ty.Elem, init)
	if err != nil {
		return err
	}
	ok := C.wasm_table_grow(t.ptr, C.wasm_table_size_t(delta), ref)
	runtime.KeepAlive(t.store)
	if !ok {
		return fmt.Errorf("orca: table of %d elements cannot grow by %d", size, delta)
	}
	return nil
}

// typeAndSize reads what Get, Set and Grow check against; ErrClosed once the store is closed.
func (t *Table) typeAndSize() (TableType, uint32, error) {
	ty, err := t.Type()
	if err != nil {
		return ty, 0, err
	}
	size, err := t.Size()
	return ty, size, err
}
