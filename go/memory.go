package orca

/*
#include "glue.h"
*/
import "C"

import (
	"fmt"
	"runtime"
	"unsafe"
)

// Memory is a linear memory.
type Memory struct {
	owned
	ptr *C.wasm_memory_t
}

// NewMemory makes a memory in the store.
func NewMemory(store *Store, ty MemoryType) (*Memory, error) {
	if store.closed {
		return nil, ErrClosed
	}
	limits := C.wasm_limits_t{min: C.uint32_t(ty.Min), max: C.uint32_t(ty.Max)}
	ct := C.wasm_memorytype_new(&limits)
	defer C.wasm_memorytype_delete(ct)
	ptr := C.wasm_memory_new(store.ptr, ct)
	runtime.KeepAlive(store)
	if ptr == nil {
		return nil, fmt.Errorf("orca: cannot make a memory of %+v", ty)
	}
	store.own(func() { C.wasm_memory_delete(ptr) })
	return &Memory{owned: owned{store: store}, ptr: ptr}, nil
}

func (m *Memory) externPtr() *C.wasm_extern_t { return C.wasm_memory_as_extern(m.ptr) }

// Data is the memory's bytes as a slice over the memory itself: writes go straight to wasm. The
// slice stays valid until the memory grows (its length is then stale) or the store closes: Go
// cannot take a slice back, so a slice kept past Close points at unmapped memory (Read and Write
// check instead).
func (m *Memory) Data() ([]byte, error) {
	if m.gone() {
		return nil, ErrClosed
	}
	size := C.wasm_memory_data_size(m.ptr)
	data := C.wasm_memory_data(m.ptr)
	runtime.KeepAlive(m.store)
	if size == 0 {
		return nil, nil
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(data)), int(size)), nil
}

// Read copies length bytes at offset; an error past the end.
func (m *Memory) Read(offset, length uint64) ([]byte, error) {
	data, err := m.Data()
	if err != nil {
		return nil, err
	}
	if offset+length > uint64(len(data)) || offset+length < offset {
		return nil, fmt.Errorf("orca: memory read of %d bytes at %d is out of bounds (size %d)", length, offset, len(data))
	}
	return append([]byte(nil), data[offset:offset+length]...), nil
}

// Write copies b at offset; an error past the end.
func (m *Memory) Write(offset uint64, b []byte) error {
	data, err := m.Data()
	if err != nil {
		return err
	}
	if offset+uint64(len(b)) > uint64(len(data)) {
		return fmt.Errorf("orca: memory write of %d bytes at %d is out of bounds (size %d)", len(b), offset, len(data))
	}
	copy(data[offset:], b)
	return nil
}

// Size is the size in pages of 64 KiB.
func (m *Memory) Size() (uint32, error) {
	if m.gone() {
		return 0, ErrClosed
	}
	n := C.wasm_memory_size(m.ptr)
	runtime.KeepAlive(m.store)
	return uint32(n), nil
}

// DataSize is the size in bytes.
func (m *Memory) DataSize() (uint64, error) {
	if m.gone() {
		return 0, ErrClosed
	}
	n := C.wasm_memory_data_size(m.ptr)
	runtime.KeepAlive(m.store)
	return uint64(n), nil
}

// Grow adds delta pages; an error past the maximum or the store's limit.
func (m *Memory) Grow(delta uint32) error {
	old, err := m.Size()
	if err != nil {
		return err
	}
	ok := C.wasm_memory_grow(m.ptr, C.wasm_memory_pages_t(delta))
	runtime.KeepAlive(m.store)
	if !ok {
		return fmt.Errorf("orca: memory of %d pages cannot grow by %d", old, delta)
	}
	return nil
}

// Type is the memory's limits.
func (m *Memory) Type() (MemoryType, error) {
	if m.gone() {
		return MemoryType{}, ErrClosed
	}
	ct := C.wasm_memory_type(m.ptr)
	defer C.wasm_memorytype_delete(ct)
	l := C.wasm_memorytype_limits(ct)
	runtime.KeepAlive(m.store)
	return MemoryType{Min: uint32(l.min), Max: uint32(l.max)}, nil
}
