package orca

/*
#include "glue.h"
*/
import "C"

import (
	"runtime"
)

// Config holds the engine switches that change generated code.
type Config struct {
	// OptLevel is LLVM's optimisation level, 0 to 3; nil leaves Orca's default (2).
	OptLevel *int
	// BoundsChecks compares every memory access with the size instead of relying on guard pages.
	BoundsChecks bool
	// ConsumeFuel compiles fuel metering: stores start without fuel (Store.SetFuel).
	ConsumeFuel bool
	// NoInterruption compiles no interruption checks. Engines are interruptible by default, so
	// that Store.Interrupt, Store.SetDeadline and Func.CallContext can stop running code; the
	// checks cost a little in call-heavy and loop-heavy code (docs/benchmarks.md). Without
	// them those three fail with ErrUnsupported instead.
	NoInterruption bool
	// Features turns WebAssembly features on or off; absent ones keep Orca's default (the
	// WebAssembly 2.0 features on). Turning on one Orca does not implement is an ErrUnsupported.
	Features map[Feature]bool
	// CacheDir keeps compiled code in that directory (created if missing) and loads it when the
	// same module is compiled again with the same configuration; "" for the user's cache
	// directory (DefaultCacheDir), or none when there is no home directory.
	CacheDir string
	// NoCache compiles without the cache: nothing is read or written.
	NoCache bool
	// CacheMaxBytes caps the cache directory (least recently used entries are removed); 0 for
	// Orca's default, 512 MiB.
	CacheMaxBytes uint64
}

// Feature is a WebAssembly proposal that an engine may accept or refuse.
type Feature uint8

const (
	FeatureMutableGlobals       Feature = C.ORCA_FEATURE_MUTABLE_GLOBALS
	FeatureSaturatingFloatToInt Feature = C.ORCA_FEATURE_SATURATING_FLOAT_TO_INT
	FeatureSignExtension        Feature = C.ORCA_FEATURE_SIGN_EXTENSION
	FeatureMultiValue           Feature = C.ORCA_FEATURE_MULTI_VALUE
	FeatureBulkMemory           Feature = C.ORCA_FEATURE_BULK_MEMORY
	FeatureReferenceTypes       Feature = C.ORCA_FEATURE_REFERENCE_TYPES
	FeatureSIMD                 Feature = C.ORCA_FEATURE_SIMD
	FeatureThreads              Feature = C.ORCA_FEATURE_THREADS    // not implemented
	FeatureMemory64             Feature = C.ORCA_FEATURE_MEMORY64   // not implemented
	FeatureTailCall             Feature = C.ORCA_FEATURE_TAIL_CALL  // not implemented
	FeatureExceptions           Feature = C.ORCA_FEATURE_EXCEPTIONS // not implemented
	FeatureGC                   Feature = C.ORCA_FEATURE_GC         // not implemented
)

// Engine compiles modules; it may be shared by goroutines.
type Engine struct {
	ptr *C.wasm_engine_t
	// handle keeps the C engine alive while stores and modules made from it are open, whatever
	// the order in which they are closed.
	handle        sharedHandle
	interruptible bool
}

// NewEngine returns an engine with the default configuration: optimising, interruptible, and
// caching compiled code in the user's cache directory (Config.CacheDir).
func NewEngine() *Engine {
	e, _ := NewEngineWithConfig(Config{}) // the default configuration cannot fail
	return e
}

// NewEngineWithConfig returns an engine with the given switches; an *Error (ErrUnsupported) for
// a feature Orca does not implement.
func NewEngineWithConfig(cfg Config) (*Engine, error) {
	c := C.wasm_config_new()
	for f, on := range cfg.Features {
		if err := takeError(C.orca_config_feature_set(c, C.orca_feature_t(f), C.bool(on))); err != nil {
			C.wasm_config_delete(c)
			return nil, err
		}
	}
	configureCache(c, cfg)
	if cfg.OptLevel != nil {
		C.orca_config_opt_level_set(c, C.uint8_t(*cfg.OptLevel))
	}
	C.orca_config_bounds_checks_set(c, C.bool(cfg.BoundsChecks))
	C.orca_config_consume_fuel_set(c, C.bool(cfg.ConsumeFuel))
	C.orca_config_interruptible_set(c, C.bool(!cfg.NoInterruption))
	ptr := C.wasm_engine_new_with_config(c)
	e := &Engine{ptr: ptr, interruptible: !cfg.NoInterruption}
	e.handle.free = func() { C.wasm_engine_delete(ptr) }
	runtime.SetFinalizer(e, (*Engine).Close)
	return e, nil
}

// Close releases the engine once every store and module made from it is closed; a store made
// from a closed engine is closed from the start. Safe twice.
func (e *Engine) Close() error {
	e.handle.close()
	runtime.SetFinalizer(e, nil)
	return nil
}
