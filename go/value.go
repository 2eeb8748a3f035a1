package orca

/*
#include "glue.h"
*/
import "C"

import (
	"fmt"
	"math"
	"runtime"
	"unsafe"
)

// RawVal is one 16-byte slot of the raw call path (Func.CallRaw): its type is the one the
// function's signature gives it. A slice of RawVal from make is suitably aligned.
type RawVal struct{ lo, hi uint64 }

func (r RawVal) I32() int32        { return int32(uint32(r.lo)) }
func (r RawVal) I64() int64        { return int64(r.lo) }
func (r RawVal) F32() float32      { return math.Float32frombits(uint32(r.lo)) }
func (r RawVal) F64() float64      { return math.Float64frombits(r.lo) }
func (r *RawVal) SetI32(v int32)   { r.lo, r.hi = uint64(uint32(v)), 0 }
func (r *RawVal) SetI64(v int64)   { r.lo, r.hi = uint64(v), 0 }
func (r *RawVal) SetF32(v float32) { r.lo, r.hi = uint64(math.Float32bits(v)), 0 }
func (r *RawVal) SetF64(v float64) { r.lo, r.hi = math.Float64bits(v), 0 }
func (r RawVal) V128() (v V128)    { *(*RawVal)(unsafe.Pointer(&v)) = r; return }
func (r *RawVal) SetV128(v V128)   { *r = *(*RawVal)(unsafe.Pointer(&v)) }

// Ref reads a funcref (*Func or nil) or externref (the Go value or nil) slot.
func (r RawVal) Ref(s *Store, kind ValKind) (any, error) {
	if s.closed {
		return nil, ErrClosed
	}
	ref := C.orca_ref_from_raw(s.ptr, *(*unsafe.Pointer)(unsafe.Pointer(&r.lo)), C.wasm_valkind_t(kind))
	runtime.KeepAlive(s)
	return s.refValue(ref, kind, true), nil
}

// SetRef writes a funcref (*Func or nil) or externref (any Go value or nil) slot.
func (r *RawVal) SetRef(s *Store, kind ValKind, v any) error {
	if s.closed {
		return ErrClosed
	}
	ref, err := s.refOf(kind, v)
	if err != nil {
		return err
	}
	var out unsafe.Pointer
	ok := C.orca_ref_to_raw(s.ptr, ref, C.wasm_valkind_t(kind), &out)
	runtime.KeepAlive(s)
	if !ok {
		return fmt.Errorf("orca: type mismatch: %T is not a %v of this store", v, kind)
	}
	r.lo, r.hi = uint64(uintptr(out)), 0
	return nil
}

// refOf is the borrowed reference standing for v (nil for a nil value); ErrClosed for a function
// whose store is closed.
func (s *Store) refOf(kind ValKind, v any) (*C.wasm_ref_t, error) {
	if kind == KindFuncref {
		switch f := v.(type) {
		case nil:
			return nil, nil
		case *Func:
			if f == nil {
				return nil, nil
			}
			if f.store.closed {
				return nil, ErrClosed
			}
			return C.wasm_func_as_ref(f.ptr), nil
		default:
			return nil, fmt.Errorf("orca: type mismatch: %T is not a funcref", v)
		}
	}
	if v == nil {
		return nil, nil
	}
	return C.wasm_foreign_as_ref(s.foreign(v)), nil
}

// refValue converts an owned reference: a *Func kept by the store, or an externref's Go value.
func (s *Store) refValue(ref *C.wasm_ref_t, kind ValKind, owned bool) any {
	if ref == nil {
		if kind == KindFuncref {
			return (*Func)(nil)
		}
		return nil
	}
	if kind == KindFuncref {
		if !owned {
			ref = C.wasm_ref_copy(ref)
		}
		s.own(func() { C.wasm_ref_delete(ref) })
		return &Func{store: s, ptr: C.wasm_ref_as_func(ref)}
	}
	v := externValue(ref)
	if owned {
		C.wasm_ref_delete(ref)
	}
	return v
}

// toRaw converts a Go value of the given kind to a slot.
func (s *Store) toRaw(kind ValKind, v any, r *RawVal) error {
	ok := true
	switch kind {
	case KindI32:
		x, k := v.(int32)
		r.SetI32(x)
		ok = k
	case KindI64:
		x, k := v.(int64)
		r.SetI64(x)
		ok = k
	case KindF32:
		x, k := v.(float32)
		r.SetF32(x)
		ok = k
	case KindF64:
		x, k := v.(float64)
		r.SetF64(x)
		ok = k
	case KindV128:
		x, k := v.(V128)
		r.SetV128(x)
		ok = k
	default:
		return r.SetRef(s, kind, v)
	}
	if !ok {
		return fmt.Errorf("orca: type mismatch: %T is not %v", v, kind)
	}
	return nil
}

func (s *Store) fromRaw(kind ValKind, r RawVal) (any, error) {
	switch kind {
	case KindI32:
		return r.I32(), nil
	case KindI64:
		return r.I64(), nil
	case KindF32:
		return r.F32(), nil
	case KindF64:
		return r.F64(), nil
	case KindV128:
		return r.V128(), nil
	}
	return r.Ref(s, kind)
}

// fromVal converts a borrowed wasm_val_t.
func (s *Store) fromVal(v *C.wasm_val_t) any {
	p := unsafe.Pointer(&v.of)
	switch ValKind(v.kind) {
	case KindI32:
		return *(*int32)(p)
	case KindI64:
		return *(*int64)(p)
	case KindF32:
		return *(*float32)(p)
	case KindF64:
		return *(*float64)(p)
	}
	return s.refValue(*(**C.wasm_ref_t)(p), ValKind(v.kind), false)
}

// toVal fills a wasm_val_t that C will own (references are copies).
func (s *Store) toVal(kind ValKind, v any, out *C.wasm_val_t) error {
	out.kind = C.wasm_valkind_t(kind)
	p := unsafe.Pointer(&out.of)
	ok := true
	switch kind {
	case KindI32:
		*(*int32)(p), ok = v.(int32)
	case KindI64:
		*(*int64)(p), ok = v.(int64)
	case KindF32:
		*(*float32)(p), ok = v.(float32)
	case KindF64:
		*(*float64)(p), ok = v.(float64)
	case KindFuncref, KindExternref:
		ref, err := s.refOf(kind, v)
		if err != nil {
			return err
		}
		if ref != nil {
			ref = C.wasm_ref_copy(ref)
		}
		*(**C.wasm_ref_t)(p) = ref
	default:
		return fmt.Errorf("orca: a %v cannot cross this path", kind)
	}
	if !ok {
		return fmt.Errorf("orca: type mismatch: %T is not %v", v, kind)
	}
	return nil
}
