package orca

/*
#include "glue.h"
*/
import "C"

import (
	"runtime"
	"sync"
)

// Config holds the engine switches that change generated code.
type Config struct {
	// OptLevel is LLVM's optimisation level, 0 to 3; nil leaves Orca's default (2).
	OptLevel *int
	// BoundsChecks compares every memory access with the size instead of relying on guard pages.
	BoundsChecks bool
	// ConsumeFuel compiles fuel metering: stores start without fuel (Store.SetFuel).
	ConsumeFuel bool
	// Interruptible compiles interruption checks, needed by Store.Interrupt and by calls with a
	// context.Context.
	Interruptible bool
}

// Engine compiles modules; it may be shared by goroutines.
type Engine struct {
	mu  sync.Mutex
	ptr *C.wasm_engine_t
}

// NewEngine returns an engine with the default configuration.
func NewEngine() *Engine { return NewEngineWithConfig(Config{}) }

// NewEngineWithConfig returns an engine with the given switches.
func NewEngineWithConfig(cfg Config) *Engine {
	c := C.wasm_config_new()
	if cfg.OptLevel != nil {
		C.orca_config_opt_level_set(c, C.uint8_t(*cfg.OptLevel))
	}
	C.orca_config_bounds_checks_set(c, C.bool(cfg.BoundsChecks))
	C.orca_config_consume_fuel_set(c, C.bool(cfg.ConsumeFuel))
	C.orca_config_interruptible_set(c, C.bool(cfg.Interruptible))
	e := &Engine{ptr: C.wasm_engine_new_with_config(c)}
	runtime.SetFinalizer(e, (*Engine).Close)
	return e
}

// Close releases the engine once every store and module made from it is closed. Safe twice.
func (e *Engine) Close() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.ptr != nil {
		C.wasm_engine_delete(e.ptr)
		e.ptr = nil
	}
	runtime.SetFinalizer(e, nil)
	return nil
}
