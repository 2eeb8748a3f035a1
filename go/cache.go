package orca

/*
#include "glue.h"
*/
import "C"

import (
	"runtime"
	"unsafe"
)

// CacheStats says what an engine's module cache did so far.
type CacheStats struct {
	Hits          uint64 // modules loaded from the cache instead of compiled
	Misses        uint64 // modules compiled (no usable entry)
	Rejected      uint64 // entries refused (damaged, stale) and replaced
	WriteFailures uint64 // entries that could not be written (the directory is not writable)
	Evicted       uint64 // entries removed to keep the directory under its cap
}

// CacheStats returns what the engine's module cache did so far (all zero without a cache);
// ErrClosed after Close.
func (e *Engine) CacheStats() (CacheStats, error) {
	if !e.handle.acquire() {
		return CacheStats{}, ErrClosed
	}
	defer e.handle.release()
	var hits, misses, rejected, writeFailures, evicted C.uint64_t
	C.orca_engine_cache_stats(e.ptr, &hits, &misses, &rejected, &writeFailures, &evicted)
	runtime.KeepAlive(e)
	return CacheStats{uint64(hits), uint64(misses), uint64(rejected), uint64(writeFailures), uint64(evicted)}, nil
}

// DefaultCacheDir is the directory engines cache compiled code in unless Config says otherwise:
// $ORCA_CACHE_DIR, else $XDG_CACHE_HOME/orca, else $HOME/.cache/orca; "" when none is set.
func DefaultCacheDir() string {
	var dir C.wasm_byte_vec_t
	if !C.orca_cache_default_dir(&dir) {
		return ""
	}
	defer C.wasm_byte_vec_delete(&dir)
	return C.GoStringN((*C.char)(unsafe.Pointer(dir.data)), C.int(dir.size))
}

// configureCache turns the cache on in c as cfg says: the user's directory unless CacheDir names
// another or NoCache is set. Without a home directory the engine works without a cache.
func configureCache(c *C.wasm_config_t, cfg Config) {
	if cfg.NoCache {
		return
	}
	if cfg.CacheMaxBytes != 0 {
		C.orca_config_cache_max_bytes_set(c, C.uint64_t(cfg.CacheMaxBytes))
	}
	if cfg.CacheDir == "" {
		C.orca_config_cache_default(c)
		return
	}
	dir := C.CString(cfg.CacheDir)
	C.orca_config_cache_dir_set(c, dir)
	C.free(unsafe.Pointer(dir))
}
