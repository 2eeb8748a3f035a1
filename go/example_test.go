package orca_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	orca "github.com/orca-runtime/orca/go"
)

// Compile a module, instantiate it and call an export.
func Example() {
	engine := orca.NewEngine()
	defer engine.Close()
	store := orca.NewStore(engine)
	defer store.Close()

	module, err := orca.NewModuleFromWat(store.Engine(), `(module
	  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))`)
	if err != nil {
		panic(err)
	}
	instance, err := orca.NewLinker(store).Instantiate(module)
	if err != nil {
		panic(err)
	}
	results, err := instance.Func("add").Call(int32(40), int32(2))
	if err != nil {
		panic(err)
	}
	fmt.Println(results[0])
	// Output: 42
}

// A Go function imported by wasm; its error comes back to the caller as the trap's cause.
func ExampleLinker_DefineFunc() {
	store := orca.NewStore(orca.NewEngine())
	defer store.Close()
	linker := orca.NewLinker(store)
	errTooBig := errors.New("too big")
	double := orca.FuncType{Params: []orca.ValKind{orca.KindI32}, Results: []orca.ValKind{orca.KindI32}}
	_ = linker.DefineHostFunc("env", "double", double, func(args []any) ([]any, error) {
		x := args[0].(int32)
		if x > 1000 {
			return nil, errTooBig
		}
		return []any{2 * x}, nil
	})
	module, _ := orca.NewModuleFromWat(store.Engine(), `(module
	  (import "env" "double" (func $double (param i32) (result i32)))
	  (func (export "quad") (param i32) (result i32) (call $double (call $double (local.get 0)))))`)
	instance, _ := linker.Instantiate(module)
	quad := instance.Func("quad")

	results, _ := quad.Call(int32(5))
	fmt.Println(results[0])
	_, err := quad.Call(int32(5000))
	fmt.Println(errors.Is(err, errTooBig), errors.Is(err, orca.TrapHostError))
	// Output:
	// 20
	// true true
}

// Traps are errors: test their code with errors.Is, read them with errors.As.
func ExampleTrap() {
	store := orca.NewStore(orca.NewEngine())
	defer store.Close()
	module, _ := orca.NewModuleFromWat(store.Engine(), `(module
	  (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1))))`)
	instance, _ := orca.NewLinker(store).Instantiate(module)
	_, err := instance.Func("div").Call(int32(1), int32(0))
	var trap *orca.Trap
	if errors.As(err, &trap) {
		fmt.Println(trap.Message, errors.Is(err, orca.TrapIntegerDivideByZero), trap.Frames[0].FuncIndex)
	}
	// Output: integer divide by zero true 0
}

// Memory is a []byte view of the guest's linear memory.
func ExampleMemory() {
	store := orca.NewStore(orca.NewEngine())
	defer store.Close()
	module, _ := orca.NewModuleFromWat(store.Engine(), `(module (memory (export "mem") 1)
	  (func (export "sum") (param i32 i32) (result i32)
	    (i32.add (i32.load8_u (local.get 0)) (i32.load8_u (local.get 1)))))`)
	instance, _ := orca.NewLinker(store).Instantiate(module)
	mem := instance.Memory("mem")
	data, err := mem.Data() // an error (ErrClosed) once the store is closed
	if err != nil {
		panic(err)
	}
	copy(data[100:], []byte{7, 35})
	results, _ := instance.Func("sum").Call(int32(100), int32(101))
	pages, _ := mem.Size()
	fmt.Println(results[0], pages, len(data))
	// Output: 42 1 65536
}

// A context ends a call: the store is interrupted and the error matches the context's.
func ExampleFunc_CallContext() {
	engine, err := orca.NewEngineWithConfig(orca.Config{})
	if err != nil {
		panic(err)
	}
	store := orca.NewStore(engine)
	defer store.Close()
	module, _ := orca.NewModuleFromWat(store.Engine(), `(module (func (export "spin") (loop $l (br $l))))`)
	instance, _ := orca.NewLinker(store).Instantiate(module)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	_, err = instance.Func("spin").CallContext(ctx)
	fmt.Println(errors.Is(err, context.DeadlineExceeded), errors.Is(err, orca.TrapInterrupted))
	// Output: true true
}

// Fuel bounds how much a call may run.
func ExampleStore_SetFuel() {
	engine, err := orca.NewEngineWithConfig(orca.Config{ConsumeFuel: true})
	if err != nil {
		panic(err)
	}
	store := orca.NewStore(engine)
	defer store.Close()
	module, _ := orca.NewModuleFromWat(store.Engine(), `(module (func (export "spin") (loop $l (br $l))))`)
	instance, _ := orca.NewLinker(store).Instantiate(module)
	_ = store.SetFuel(10_000)
	_, err = instance.Func("spin").Call()
	fmt.Println(errors.Is(err, orca.TrapOutOfFuel))
	// Output: true
}

// A WASI guest with arguments, its standard output captured and its exit status read.
func ExampleLinker_DefineWasi() {
	store := orca.NewStore(orca.NewEngine())
	defer store.Close()
	linker := orca.NewLinker(store)
	env, _ := linker.DefineWasi(&orca.WasiConfig{Args: []string{"hello"}, CaptureStdout: true})
	module, _ := orca.NewModuleFromWat(store.Engine(), `(module
	  (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
	  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
	  (memory (export "memory") 1)
	  (data (i32.const 16) "hi from wasi\n")
	  (func (export "_start")
	    (i32.store (i32.const 0) (i32.const 16)) (i32.store (i32.const 4) (i32.const 13))
	    (drop (call $write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
	    (call $exit (i32.const 3))))`)
	instance, _ := linker.Instantiate(module)
	_, err := instance.Func("_start").Call()
	var exit *orca.ExitError
	stdout, _ := env.Stdout()
	fmt.Print(string(stdout))
	fmt.Println(errors.As(err, &exit), exit.Status)
	// Output:
	// hi from wasi
	// true 3
}

// After Close, every object of the store answers ErrClosed instead of touching freed memory.
func ExampleErrClosed() {
	store := orca.NewStore(orca.NewEngine())
	module, _ := orca.NewModuleFromWat(store.Engine(), `(module (memory (export "mem") 1))`)
	instance, _ := orca.NewLinker(store).Instantiate(module)
	mem := instance.Memory("mem")
	store.Close()
	_, err := mem.Data()
	fmt.Println(errors.Is(err, orca.ErrClosed))
	// Output: true
}
