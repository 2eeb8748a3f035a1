package orca_test

import (
	"bytes"
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
	module, err := orca.NewModuleFromWat(engine, `(module
	  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))`)
	if err != nil {
		panic(err)
	}
	store := orca.NewStore(engine)
	defer store.Close()
	instance, err := orca.NewLinker(store).Instantiate(module)
	if err != nil {
		panic(err)
	}
	results, err := instance.Func("add").Call(40, 2) // Go ints, as they fit an i32
	if err != nil {
		panic(err)
	}
	fmt.Println(results[0])
	// Output: 42
}

// A Go function of a type known only at run time, with []any in and out; its error comes back
// to the caller as the trap's cause.
func ExampleLinker_DefineHostFunc() {
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

// A context ends a call: the store is interrupted and the error matches the context's. Engines
// are interruptible by default.
func ExampleFunc_CallContext() {
	engine := orca.NewEngine()
	defer engine.Close()
	store := orca.NewStore(engine)
	defer store.Close()
	module, _ := orca.NewModuleFromWat(engine, `(module (func (export "spin") (loop $l (br $l))))`)
	instance, _ := orca.NewLinker(store).Instantiate(module)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	_, err := instance.Func("spin").CallContext(ctx)
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

// A typed Go function imported by wasm: the wasm type (i32) -> (i32) is read from the Go one,
// and a non-nil error traps the call, reaching the caller as the trap's cause.
func ExampleLinker_DefineFunc() {
	engine := orca.NewEngine()
	defer engine.Close()
	store := orca.NewStore(engine)
	defer store.Close()
	linker := orca.NewLinker(store)
	errTooBig := errors.New("too big")
	_ = linker.DefineFunc("env", "double", func(x int32) (int32, error) {
		if x > 1000 {
			return 0, errTooBig
		}
		return 2 * x, nil
	})
	module, _ := orca.NewModuleFromWat(engine, `(module
	  (import "env" "double" (func $double (param i32) (result i32)))
	  (func (export "quad") (param i32) (result i32) (call $double (call $double (local.get 0)))))`)
	instance, _ := linker.Instantiate(module)
	quad := instance.Func("quad")

	results, _ := quad.Call(5)
	fmt.Println(results[0])
	_, err := quad.Call(5000)
	fmt.Println(errors.Is(err, errTooBig), errors.Is(err, orca.TrapHostError))
	// Output:
	// 20
	// true true
}

// A host function that takes the *Caller: it reads the string the guest passes as pointer and
// length from the calling instance's memory, and writes its answer back there.
func ExampleWrapFunc() {
	engine := orca.NewEngine()
	defer engine.Close()
	store := orca.NewStore(engine)
	defer store.Close()
	upper, err := orca.WrapFunc(store, func(c *orca.Caller, ptr, n uint32) error {
		mem := c.Memory("memory")
		b, err := mem.Read(uint64(ptr), uint64(n))
		if err != nil {
			return err
		}
		fmt.Printf("the guest says %q\n", b)
		return mem.Write(uint64(ptr), bytes.ToUpper(b))
	})
	if err != nil {
		panic(err)
	}
	module, _ := orca.NewModuleFromWat(engine, `(module
	  (import "env" "upper" (func $upper (param i32 i32)))
	  (memory (export "memory") 1)
	  (data (i32.const 100) "hello")
	  (func (export "run") (call $upper (i32.const 100) (i32.const 5))))`)
	instance, err := orca.NewInstance(store, module, []orca.Extern{upper})
	if err != nil {
		panic(err)
	}
	if _, err := instance.Func("run").Call(); err != nil {
		panic(err)
	}
	b, _ := instance.Memory("memory").Read(100, 5)
	fmt.Println(string(b))
	// Output:
	// the guest says "hello"
	// HELLO
}

// One module, compiled once, instantiated in a store per goroutine: modules belong to the engine.
func ExampleNewModule() {
	engine := orca.NewEngine()
	defer engine.Close()
	module, _ := orca.NewModuleFromWat(engine, `(module (global $n (mut i32) (i32.const 0))
	  (func (export "next") (result i32) (global.set $n (i32.add (global.get $n) (i32.const 1))) (global.get $n)))`)
	defer module.Close()
	results := make(chan int32, 3)
	for i := 0; i < 3; i++ {
		go func() {
			store := orca.NewStore(engine)
			defer store.Close()
			instance, _ := orca.NewLinker(store).Instantiate(module)
			instance.Func("next").Call()
			r, _ := instance.Func("next").Call()
			results <- r[0].(int32)
		}()
	}
	fmt.Println(<-results, <-results, <-results) // each instance has its own global
	// Output: 2 2 2
}

// One long-lived store serving requests, an instance per request: closing each instance lets the
// store free it with its memory, so the store does not grow with the number of requests.
func ExampleInstance_Close() {
	engine := orca.NewEngine()
	defer engine.Close()
	module, err := orca.NewModuleFromWat(engine, `(module
	  (memory 1)
	  (func (export "handle") (param i32) (result i32)
	    (i32.store (i32.const 0) (i32.mul (local.get 0) (i32.const 2)))
	    (i32.load (i32.const 0))))`)
	if err != nil {
		panic(err)
	}
	store := orca.NewStore(engine)
	defer store.Close()
	total := int32(0)
	for request := range 1000 {
		instance, err := orca.NewInstance(store, module, nil)
		if err != nil {
			panic(err)
		}
		results, err := instance.Func("handle").Call(request)
		if err != nil {
			panic(err)
		}
		total += results[0].(int32)
		instance.Close()
	}
	store.Collect() // instantiation collects by itself as the store grows; this frees the rest now
	live, _ := store.InstanceCount()
	fmt.Println(total, live)
	// Output: 999000 0
}
