package orca

/*
#include "glue.h"
*/
import "C"

import (
	"context"
	"runtime"
	"runtime/cgo"
	"slices"
	"sync"
	"time"
	"unsafe"
	"weak"
)

// Store holds instances and everything they create. It belongs to one goroutine at a time, except
// Interrupt, which any goroutine may call.
type Store struct {
	mu  sync.Mutex // guards ptr and closed against Close while Interrupt runs on another goroutine
	ptr *C.wasm_store_t
	// closed is set by Close: from then on every use from Go returns ErrClosed. The C store
	// (ptr) is freed at once, or, when Close came from a host function, once the outermost call
	// has returned, since wasm frames still run on it until then.
	closed bool
	engine *Engine
	// refs are the C references (functions, memories, instances, ...) handed to Go, by the
	// number own gave them; they are deleted with the store, so a Go object never outlives what
	// it points at, or earlier by Instance.Close, so that the store can free the instance.
	refs    map[refID]func()
	nextRef refID
	// externs caches the foreign object made for a comparable Go value passed as externref.
	externs map[any]*C.wasm_foreign_t
	// pending is what a host function raised during the current call: an error or a panic.
	pending []hostFailure
	depth   int // calls from Go in progress (host functions may call back in)
	// deferred are references of instances closed during a call, deleted when it returns.
	deferred []refID
	// instances are the Go sides of the store's instances by the number their C instance carries
	// (orcago_instance_attach); a closed one leaves. Weak, since an Instance points at its store:
	// a strong map would make a cycle through the store, and the Go runtime never finalizes an
	// object with a finalizer that is in a cycle.
	instances    map[uintptr]weak.Pointer[Instance]
	lastInstance uintptr
	// ctx is the context of the CallContext in progress, for Caller.Context; nil outside one.
	ctx context.Context
	// scratchBufs are C arrays of raw slots, one per call depth, freed with the store.
	scratchBufs [][]RawVal
}

type hostFailure struct {
	message string
	err     error
	panic   any
	panics  bool
}

// Limits bounds what a store may hold; a negative field leaves that limit unchanged.
type Limits struct {
	MemoryBytes   int64
	TableElements int64
	Instances     int64
	Tables        int64
	Memories      int64
}

// NoLimit is the value of a Limits field that leaves the limit as it is.
const NoLimit = -1

// NewStore returns a new store of the engine. A store of a closed engine is closed from the
// start: its every use returns ErrClosed.
func NewStore(engine *Engine) *Store {
	s := &Store{engine: engine}
	if !engine.handle.acquire() {
		s.closed = true
		return s
	}
	s.ptr = C.wasm_store_new(engine.ptr)
	s.refs = map[refID]func(){}
	s.instances = map[uintptr]weak.Pointer[Instance]{}
	runtime.SetFinalizer(s, (*Store).Close)
	return s
}

// Engine is the engine the store was made from.
func (s *Store) Engine() *Engine { return s.engine }

// Close frees the store and everything in it; the Go objects that point into it (functions,
// memories, globals, tables, instances, linkers) return ErrClosed after. Called by a host
// function during a call, it takes effect for Go at once, the call ends with an error matching
// ErrClosed when the host function returns, and the C store is freed when the outermost call
// has returned. Safe twice.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	runtime.SetFinalizer(s, nil)
	if s.depth == 0 {
		s.free()
	}
	return nil
}

// free deletes the C store and what Go holds in it; s.mu is held.
func (s *Store) free() {
	// Newest first, as they were made: a reference made later may depend on an earlier one.
	ids := make([]refID, 0, len(s.refs))
	for id := range s.refs {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range slices.Backward(ids) {
		s.refs[id]()
	}
	s.refs = nil
	s.instances = nil
	s.externs = nil
	s.scratchBufs = nil
	C.wasm_store_delete(s.ptr)
	s.ptr = nil
	s.engine.handle.release()
}

// leave ends a call from Go; the outermost one deletes the references that Instance.Close
// deferred (a store closed meanwhile deletes everything in freeAfterCall).
func (s *Store) leave() {
	s.depth--
	if s.depth == 0 && len(s.deferred) > 0 {
		s.mu.Lock()
		defer s.mu.Unlock()
		if !s.closed {
			s.disown(s.deferred)
		}
		s.deferred = nil
	}
}

// freeAfterCall frees a store that a host function closed during a call, once the outermost
// call has returned and its trap has been read.
func (s *Store) freeAfterCall() {
	if !s.closed || s.depth != 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ptr != nil {
		s.free()
	}
}

// scratch is the C buffer of at least n raw slots for a call at the current depth.
func (s *Store) scratch(n int) []RawVal {
	for len(s.scratchBufs) <= s.depth {
		s.scratchBufs = append(s.scratchBufs, nil)
	}
	buf := s.scratchBufs[s.depth]
	if len(buf) < n {
		size := max(n, 16)
		// calloc returns memory aligned for any type, 16 bytes on x86-64 and arm64.
		p := C.calloc(C.size_t(size), C.size_t(unsafe.Sizeof(RawVal{})))
		s.own(func() { C.free(p) })
		buf = unsafe.Slice((*RawVal)(p), size)
		s.scratchBufs[s.depth] = buf
	}
	return buf[:n]
}

// refID numbers a C reference the store owns (see own).
type refID uint64

// own registers a C reference to delete when the store closes, or before by disown.
func (s *Store) own(del func()) refID {
	s.nextRef++
	s.refs[s.nextRef] = del
	return s.nextRef
}

// disown deletes the C references ids now; s.mu is held.
func (s *Store) disown(ids []refID) {
	for _, id := range ids {
		if del, ok := s.refs[id]; ok {
			delete(s.refs, id)
			del()
		}
	}
}

// Collect frees the instances of the store that nothing keeps (closed, not imported by a live
// instance, not reachable through a table or global) with their memories and tables, and
// returns how many it freed. Instantiation collects by itself when the store has doubled since
// the last collection; Collect frees at once, e.g. at the end of a request. It frees nothing
// when called from a host function, since wasm frames of the store are still running.
func (s *Store) Collect() (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return 0, ErrClosed
	}
	return int(C.orca_store_collect(s.ptr)), nil
}

// InstanceCount is the number of instances in the store: the live ones and those that no
// collection has freed yet.
func (s *Store) InstanceCount() (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return 0, ErrClosed
	}
	return int(C.orca_store_instance_count(s.ptr)), nil
}

// SetFuel gives the store fuel; an error when the engine does not meter fuel.
func (s *Store) SetFuel(fuel uint64) error {
	if s.closed {
		return ErrClosed
	}
	err := takeError(C.orca_store_fuel_set(s.ptr, C.uint64_t(fuel)))
	runtime.KeepAlive(s)
	return err
}

// Fuel is the fuel left.
func (s *Store) Fuel() (uint64, error) {
	if s.closed {
		return 0, ErrClosed
	}
	var fuel C.uint64_t
	err := takeError(C.orca_store_fuel_get(s.ptr, &fuel))
	runtime.KeepAlive(s)
	return uint64(fuel), err
}

// Interrupt asks code running in the store to trap with TrapInterrupted at its next check (loop
// head or call). The request stays pending until a check consumes it. Any goroutine may call it;
// an ErrUnsupported when the engine was made with NoInterruption.
func (s *Store) Interrupt() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return ErrClosed
	}
	return takeError(C.orca_store_interrupt(s.ptr))
}

// clearInterrupt withdraws a pending interrupt request that no check consumed.
func (s *Store) clearInterrupt() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.closed {
		C.orca_store_interrupt_clear(s.ptr)
	}
}

// SetDeadline interrupts the store d from now, as Interrupt would; a new deadline replaces the
// previous one and 0 clears it. An ErrUnsupported when the engine was made with NoInterruption.
func (s *Store) SetDeadline(d time.Duration) error {
	if s.closed {
		return ErrClosed
	}
	if d < 0 {
		d = 1
	}
	err := takeError(C.orca_store_deadline_set(s.ptr, C.uint64_t(d.Nanoseconds())))
	runtime.KeepAlive(s)
	return err
}

// SetLimits bounds what the store may hold.
func (s *Store) SetLimits(l Limits) error {
	if s.closed {
		return ErrClosed
	}
	C.orca_store_limits_set(s.ptr, C.int64_t(l.MemoryBytes), C.int64_t(l.TableElements),
		C.int64_t(l.Instances), C.int64_t(l.Tables), C.int64_t(l.Memories))
	runtime.KeepAlive(s)
	return nil
}

// foreign returns a foreign object standing for the Go value v (the same one for equal
// comparable values).
func (s *Store) foreign(v any) *C.wasm_foreign_t {
	comparable := isComparable(v)
	if comparable {
		if f, ok := s.externs[v]; ok {
			return f
		}
	}
	f := C.orcago_foreign_new(s.ptr, C.uintptr_t(cgo.NewHandle(v)))
	s.own(func() { C.wasm_foreign_delete(f) })
	if comparable {
		if s.externs == nil {
			s.externs = map[any]*C.wasm_foreign_t{}
		}
		s.externs[v] = f
	}
	return f
}

func isComparable(v any) (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	_ = v == v
	return true
}

// externValue is the Go value behind an externref (nil for null).
func externValue(ref *C.wasm_ref_t) any {
	if ref == nil {
		return nil
	}
	if h := C.orcago_ref_handle(ref); h != 0 {
		return cgo.Handle(h).Value()
	}
	return &Foreign{ptr: unsafe.Pointer(ref)}
}

// Foreign is an externref that Go did not make (a reference from another embedder).
type Foreign struct{ ptr unsafe.Pointer }
