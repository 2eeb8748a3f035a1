package orca

/*
#include "glue.h"
*/
import "C"

import (
	"context"
	"errors"
)

// Caller is what a host function made by WrapFunc learns about its call when its first parameter
// is a *Caller: the context of the CallContext that led to it, and the exports of the instance
// whose code called it, most often its memory (a string passed as a pointer and a length). It is
// valid only during that call: afterwards Export returns an error and Memory and Func nil.
type Caller struct {
	store    *Store
	ptr      *C.orca_caller_t // nil once the call has returned
	instance *Instance        // the calling instance, once looked up
	looked   bool
	// transient: instance was made for this call (callingInstance) and is closed when it ends.
	transient bool
}

var errCallerEnded = errors.New("orca: Caller used after its host call returned")

// Context is the context.Context of the Func.CallContext that led to this call, or
// context.Background() when it came from Call, CallRaw or an instantiation.
func (c *Caller) Context() context.Context {
	if c.store.ctx != nil {
		return c.store.ctx
	}
	return context.Background()
}

// end makes the Caller unusable once its host call has returned.
func (c *Caller) end() {
	c.ptr = nil
	if c.transient {
		c.instance.Close()
	}
}

// Store is the store the call runs in.
func (c *Caller) Store() *Store { return c.store }

// callingInstance is the instance whose code made the call; nil when the host called the
// function itself (Func.Call on a host function).
func (c *Caller) callingInstance() (*Instance, error) {
	if c.store.closed {
		return nil, ErrClosed
	}
	if c.ptr == nil {
		return nil, errCallerEnded
	}
	if !c.looked {
		// Go instances carry their number in the store, so that their export cache serves every
		// call; an instance Go has not seen (one made by C code), whose Go side was collected or
		// that Go closed while something else kept it running gets a Go side for this call only:
		// it is closed when the call returns, so that it keeps nothing alive.
		var fresh *C.wasm_instance_t
		if n := uintptr(C.orcago_caller_instance(c.ptr, &fresh)); n > 0 {
			c.instance = c.store.instances[n].Value()
		}
		if c.instance != nil {
			C.wasm_instance_delete(fresh)
		} else if fresh != nil {
			c.instance = c.store.wrapInstance(fresh)
			c.transient = true
		}
		c.looked = true
	}
	return c.instance, nil
}

// Export is the calling instance's export called name; nil when it has none of that name or no
// instance made the call. ErrClosed once the store is closed.
func (c *Caller) Export(name string) (Extern, error) {
	i, err := c.callingInstance()
	if i == nil || err != nil {
		return nil, err
	}
	return i.Export(name)
}

// Memory is the calling instance's exported memory called name, or nil.
func (c *Caller) Memory(name string) *Memory {
	e, _ := c.Export(name)
	m, _ := e.(*Memory)
	return m
}

// Func is the calling instance's exported function called name, or nil: a host function calls
// back into its guest with it.
func (c *Caller) Func(name string) *Func {
	e, _ := c.Export(name)
	f, _ := e.(*Func)
	return f
}
