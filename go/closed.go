package orca

import (
	"errors"
	"sync"
)

// ErrClosed is the error of every use of a closed object: an Engine, Store, Module or Linker
// after its Close, and a Func, Memory, Global, Table, Instance or WasiEnv after its store's Close.
// errors.Is(err, orca.ErrClosed) finds it, also as the Cause of a call's *Trap when a host
// function closed the store during the call.
var ErrClosed = errors.New("orca: used after Close")

// sharedHandle guards a C object that goroutines share (an engine, a module) against Close while
// another goroutine uses it: Close marks it closed at once, and the C object is freed when the
// last use in progress has ended, so no use ever reaches freed memory.
type sharedHandle struct {
	mu     sync.Mutex
	closed bool
	uses   int
	free   func() // deletes the C object; called once
}

// acquire starts a use; false once the object is closed.
func (h *sharedHandle) acquire() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return false
	}
	h.uses++
	return true
}

// retain starts a use that a live dependent object vouches for: a module compiled in a live
// store holds the store's engine even when the engine's Close was called meanwhile.
func (h *sharedHandle) retain() {
	h.mu.Lock()
	h.uses++
	h.mu.Unlock()
}

// release ends a use; the last one after Close frees the object.
func (h *sharedHandle) release() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.uses--
	h.freeIfUnused()
}

// close marks the object closed and frees it unless a use is in progress. Safe twice.
func (h *sharedHandle) close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed = true
	h.freeIfUnused()
}

func (h *sharedHandle) freeIfUnused() {
	if h.closed && h.uses == 0 && h.free != nil {
		h.free()
		h.free = nil
	}
}
