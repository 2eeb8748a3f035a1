package orca

/*
#include "glue.h"
*/
import "C"

import (
	"fmt"
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
	// Compile says when functions are compiled: CompileEager (the default) compiles and
	// optimises the whole module in NewModule; CompileLazy compiles each function, quickly and
	// less optimised, when it is first called (faster start for large programs).
	Compile CompileStrategy
	// Limits bound what a module may declare, against modules crafted to make the compiler slow
	// or hungry; absent ones keep Orca's defaults (docs/security.md, "Denial of service by the
	// compiler"). A module over a limit is refused with ErrUnsupported, naming the limit.
	Limits map[Limit]uint64
}

// CompileStrategy says when an engine compiles a module's functions (Config.Compile).
type CompileStrategy uint8

const (
	CompileEager CompileStrategy = C.ORCA_COMPILE_EAGER
	CompileLazy  CompileStrategy = C.ORCA_COMPILE_LAZY
)

// Limit is one of an engine's limits on what a module declares (Config.Limits).
type Limit uint8

const (
	LimitModuleBytes       Limit = C.ORCA_LIMIT_MODULE_BYTES        // the binary's size
	LimitTypes             Limit = C.ORCA_LIMIT_TYPES               // function types
	LimitFunctions         Limit = C.ORCA_LIMIT_FUNCTIONS           // imported and defined
	LimitImports           Limit = C.ORCA_LIMIT_IMPORTS             // imports
	LimitExports           Limit = C.ORCA_LIMIT_EXPORTS             // exports
	LimitGlobals           Limit = C.ORCA_LIMIT_GLOBALS             // imported and defined
	LimitTables            Limit = C.ORCA_LIMIT_TABLES              // imported and defined
	LimitDataSegments      Limit = C.ORCA_LIMIT_DATA_SEGMENTS       // data segments
	LimitParams            Limit = C.ORCA_LIMIT_PARAMS              // of one function type
	LimitResults           Limit = C.ORCA_LIMIT_RESULTS             // of one function type
	LimitFunctionBodyBytes Limit = C.ORCA_LIMIT_FUNCTION_BODY_BYTES // one body, locals included
	LimitLocals            Limit = C.ORCA_LIMIT_LOCALS              // of one function, parameters included
	LimitNestingDepth      Limit = C.ORCA_LIMIT_NESTING_DEPTH       // blocks, loops and ifs open at once
	LimitBrTableTargets    Limit = C.ORCA_LIMIT_BR_TABLE_TARGETS    // of one br_table, default included
)

// NoLimitValue as a Config.Limits value lifts that limit.
const NoLimitValue = ^uint64(0)

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
// a feature Orca does not implement, an unknown limit or compile strategy.
func NewEngineWithConfig(cfg Config) (*Engine, error) {
	if cfg.Compile != CompileEager && cfg.Compile != CompileLazy {
		return nil, &Error{Kind: ErrUnsupported, Message: fmt.Sprintf("unknown compile strategy %d", cfg.Compile)}
	}
	c := C.wasm_config_new()
	for f, on := range cfg.Features {
		if err := takeError(C.orca_config_feature_set(c, C.orca_feature_t(f), C.bool(on))); err != nil {
			C.wasm_config_delete(c)
			return nil, err
		}
	}
	for l, value := range cfg.Limits {
		if err := takeError(C.orca_config_limit_set(c, C.orca_limit_t(l), C.uint64_t(value))); err != nil {
			C.wasm_config_delete(c)
			return nil, err
		}
	}
	C.orca_config_compile_strategy_set(c, C.orca_compile_strategy_t(cfg.Compile))
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
