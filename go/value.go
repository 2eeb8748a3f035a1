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
			if f.gone() {
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

// refValue converts a reference, owned (ours) or borrowed: a *Func kept by the store, or an
// externref's Go value.
func (s *Store) refValue(ref *C.wasm_ref_t, kind ValKind, ours bool) any {
	if ref == nil {
		if kind == KindFuncref {
			return (*Func)(nil)
		}
		return nil
	}
	if kind == KindFuncref {
		if !ours {
			ref = C.wasm_ref_copy(ref)
		}
		s.own(func() { C.wasm_ref_delete(ref) })
		return &Func{owned: owned{store: s}, ptr: C.wasm_ref_as_func(ref)}
	}
	v := externValue(ref)
	if ours {
		C.wasm_ref_delete(ref)
	}
	return v
}

// toRaw converts an argument of Call to a slot of the given kind: numbers as numberBits says,
// references as SetRef.
func (s *Store) toRaw(kind ValKind, v any, r *RawVal) error {
	switch kind {
	case KindI32, KindI64, KindF32, KindF64:
		bits, err := numberBits(kind, v)
		r.lo, r.hi = bits, 0
		return err
	case KindV128:
		x, ok := v.(V128)
		if !ok {
			return mismatch(v, kind)
		}
		r.SetV128(x)
		return nil
	}
	return r.SetRef(s, kind, v)
}

// numberBits is the slot bits of v as a number of the given kind. Exact conversions only: an i32
// takes any Go integer from math.MinInt32 to math.MaxUint32 (above math.MaxInt32 it is the uint32
// bit pattern, as wasm's i32 has no sign), an i64 any Go integer (a uint64 above math.MaxInt64 is
// its bit pattern), an f32 a float32 or a float64 that float32 holds exactly, an f64 a float64 or
// a float32 (bit-exact round trips; a NaN's payload included). Anything else is an error saying
// what did not fit, never a silent truncation.
func numberBits(kind ValKind, v any) (uint64, error) {
	switch kind {
	case KindI32:
		if x, ok := v.(int32); ok { // the common case first
			return uint64(uint32(x)), nil
		}
		n, big, ok := intOf(v)
		if !ok {
			return 0, mismatch(v, kind)
		}
		if big || n < math.MinInt32 || n > math.MaxUint32 {
			return 0, fmt.Errorf("orca: type mismatch: %v (%T) does not fit an i32", v, v)
		}
		return uint64(uint32(n)), nil
	case KindI64:
		if x, ok := v.(int64); ok {
			return uint64(x), nil
		}
		n, _, ok := intOf(v)
		if !ok {
			return 0, mismatch(v, kind)
		}
		return uint64(n), nil
	case KindF32:
		switch x := v.(type) {
		case float32:
			return uint64(math.Float32bits(x)), nil
		case float64:
			narrow := float32(x)
			if math.Float64bits(float64(narrow)) != math.Float64bits(x) {
				return 0, fmt.Errorf("orca: type mismatch: float64 %v is not exactly a float32", x)
			}
			return uint64(math.Float32bits(narrow)), nil
		}
	case KindF64:
		switch x := v.(type) {
		case float64:
			return math.Float64bits(x), nil
		case float32:
			wide := float64(x)
			if math.Float32bits(float32(wide)) != math.Float32bits(x) {
				return 0, fmt.Errorf("orca: type mismatch: float32 %v does not stay the same as a float64", x)
			}
			return math.Float64bits(wide), nil
		}
	}
	return 0, mismatch(v, kind)
}

// intOf reads any Go integer: n is its value, or for a uint64 or uint above math.MaxInt64 its bit
// pattern with big set; ok is false for a value that is not an integer.
func intOf(v any) (n int64, big, ok bool) {
	switch x := v.(type) {
	case int:
		return int64(x), false, true
	case int8:
		return int64(x), false, true
	case int16:
		return int64(x), false, true
	case int32:
		return int64(x), false, true
	case int64:
		return x, false, true
	case uint8:
		return int64(x), false, true
	case uint16:
		return int64(x), false, true
	case uint32:
		return int64(x), false, true
	case uint:
		return int64(x), uint64(x) > math.MaxInt64, true
	case uint64:
		return int64(x), x > math.MaxInt64, true
	}
	return 0, false, false
}

func mismatch(v any, kind ValKind) error {
	return fmt.Errorf("orca: type mismatch: %T is not %v", v, kind)
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

// toVal fills a wasm_val_t that C will own (references are copies). Numbers must be of the
// kind's own Go type: a global's value and a HostFunc's results are typed by the host itself.
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
		return mismatch(v, kind)
	}
	return nil
}
