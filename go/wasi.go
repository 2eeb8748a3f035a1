package orca

/*
#include "glue.h"
*/
import "C"

import (
	"runtime"
	"unsafe"
)

// EnvVar is one variable of a WASI guest's environment.
type EnvVar struct{ Name, Value string }

// Preopen grants a guest a host directory under a guest path ("/", "/data", ".").
type Preopen struct{ HostPath, GuestPath string }

// WasiConfig describes a WASI preview1 guest: its arguments, environment, directories and
// standard streams. Standard input is empty unless Stdin or InheritStdin is set; output and error
// are discarded unless inherited or captured.
type WasiConfig struct {
	Args          []string // argv, program name first
	Env           []EnvVar
	InheritEnv    bool // the host process's environment instead of Env
	Preopens      []Preopen
	Stdin         []byte
	InheritStdin  bool
	InheritStdout bool
	CaptureStdout bool // read back with WasiEnv.Stdout
	InheritStderr bool
	CaptureStderr bool // read back with WasiEnv.Stderr
}

// WasiEnv is the state of one WASI guest; it lives as long as its store.
type WasiEnv struct {
	store *Store
	ptr   *C.wasi_env_t
}

func cstringArray(ss []string) ([]*C.char, func()) {
	out := make([]*C.char, len(ss))
	for i, s := range ss {
		out[i] = C.CString(s)
	}
	return out, func() {
		for _, p := range out {
			C.free(unsafe.Pointer(p))
		}
	}
}

func firstOrNil(p []*C.char) **C.char {
	if len(p) == 0 {
		return nil
	}
	return &p[0]
}

// DefineWasi defines the "wasi_snapshot_preview1" functions in the linker for a new guest. A
// guest's proc_exit ends the call with a *Trap of code TrapExit whose Cause is an *ExitError.
func (l *Linker) DefineWasi(cfg *WasiConfig) (*WasiEnv, error) {
	if err := l.usable(); err != nil {
		return nil, err
	}
	c := C.wasi_config_new()
	args, freeArgs := cstringArray(cfg.Args)
	defer freeArgs()
	C.wasi_config_set_argv(c, C.size_t(len(args)), firstOrNil(args))
	if cfg.InheritEnv {
		C.wasi_config_inherit_env(c)
	} else {
		names := make([]string, len(cfg.Env))
		values := make([]string, len(cfg.Env))
		for i, kv := range cfg.Env {
			names[i], values[i] = kv.Name, kv.Value
		}
		cn, freeN := cstringArray(names)
		defer freeN()
		cv, freeV := cstringArray(values)
		defer freeV()
		C.wasi_config_set_env(c, C.size_t(len(cn)), firstOrNil(cn), firstOrNil(cv))
	}
	for _, p := range cfg.Preopens {
		host, guest, free := cstrings(p.HostPath, p.GuestPath)
		C.wasi_config_preopen_dir(c, host, guest)
		free()
	}
	switch {
	case cfg.InheritStdin:
		C.wasi_config_inherit_stdin(c)
	case cfg.Stdin != nil:
		v := byteVec(cfg.Stdin)
		C.wasi_config_set_stdin_bytes(c, &v)
		C.wasm_byte_vec_delete(&v)
	}
	if cfg.InheritStdout {
		C.wasi_config_inherit_stdout(c)
	} else if cfg.CaptureStdout {
		C.wasi_config_capture_stdout(c)
	}
	if cfg.InheritStderr {
		C.wasi_config_inherit_stderr(c)
	} else if cfg.CaptureStderr {
		C.wasi_config_capture_stderr(c)
	}
	var env *C.wasi_env_t
	err := takeError(C.orca_linker_define_wasi(l.ptr, c, &env))
	runtime.KeepAlive(l.store)
	if err != nil {
		return nil, err
	}
	return &WasiEnv{store: l.store, ptr: env}, nil
}

// Stdout is what the guest wrote to a captured standard output so far.
func (w *WasiEnv) Stdout() ([]byte, error) {
	if w.store.closed {
		return nil, ErrClosed
	}
	var v C.wasm_byte_vec_t
	C.wasi_env_stdout(w.ptr, &v)
	return w.take(&v), nil
}

// Stderr is what the guest wrote to a captured standard error so far.
func (w *WasiEnv) Stderr() ([]byte, error) {
	if w.store.closed {
		return nil, ErrClosed
	}
	var v C.wasm_byte_vec_t
	C.wasi_env_stderr(w.ptr, &v)
	return w.take(&v), nil
}

// take copies and deletes a captured stream.
func (w *WasiEnv) take(v *C.wasm_byte_vec_t) []byte {
	runtime.KeepAlive(w.store)
	defer C.wasm_byte_vec_delete(v)
	return C.GoBytes(unsafe.Pointer(v.data), C.int(v.size))
}
