package orca_test

import (
	"context"
	"errors"
	"testing"
	"time"

	orca "github.com/orca-runtime/orca/go"
)

const spinWat = `(module
  (func (export "spin") (loop $l (br $l)))
  (func (export "one") (result i32) (i32.const 1)))`

// within runs call and fails the test if it has not returned after d (a call that ignores its
// context spins for ever; its goroutine is then left behind).
func within(t *testing.T, d time.Duration, call func() error) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- call() }()
	select {
	case err := <-done:
		return err
	case <-time.After(d):
		t.Fatalf("the call did not return within %v", d)
		return nil
	}
}

// A context cancelled while an infinite loop runs ends the call with the context's error. The
// guest calls env.started, which cancels, before it loops, so the cancel always comes while the
// call runs however slow the machine is. The engine is NewEngine's: interruptible by default.
func TestCallContextCancelEndsLoop(t *testing.T) {
	engine := orca.NewEngine()
	store := orca.NewStore(engine)
	t.Cleanup(func() { store.Close(); engine.Close() })
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	linker := orca.NewLinker(store)
	started := func([]any) ([]any, error) { cancel(); return nil, nil }
	if err := linker.DefineHostFunc("env", "started", noParams, started); err != nil {
		t.Fatal(err)
	}
	module := noErr(orca.NewModuleFromWat(store.Engine(), `(module (import "env" "started" (func $started)) `+
		`(func (export "spin") (call $started) (loop $l (br $l))) (func (export "one") (result i32) (i32.const 1)))`))(t)
	instance := noErr(linker.Instantiate(module))(t)
	err := within(t, 10*time.Second, func() error { return second(instance.Func("spin").CallContext(ctx)) })
	if !errors.Is(err, context.Canceled) || !errors.Is(err, orca.TrapInterrupted) {
		t.Fatalf("got %v", err)
	}
	deadline, cancelDeadline := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancelDeadline()
	err = within(t, 10*time.Second, func() error { return second(instance.Func("spin").CallContext(deadline)) })
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("with a deadline: %v", err)
	}
	// The store goes on working: the interrupt was consumed.
	if r, err := instance.Func("one").Call(); err != nil || r[0].(int32) != 1 {
		t.Fatalf("after: %v %v", r, err)
	}
}

// On an engine without interruption checks, a context that can end is refused before the call
// runs, instead of being ignored; a context that cannot end is a plain call.
func TestCallContextNeedsInterruptibleEngine(t *testing.T) {
	_, instance := instantiate(t, orca.Config{NoInterruption: true}, spinWat)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	err := within(t, 10*time.Second, func() error { return second(instance.Func("spin").CallContext(ctx)) })
	var e *orca.Error
	if !errors.As(err, &e) || !errors.Is(err, orca.ErrUnsupported) {
		t.Fatalf("CallContext on an engine made with NoInterruption: %v", err)
	}
	if r, err := instance.Func("one").CallContext(context.Background()); err != nil || r[0].(int32) != 1 {
		t.Fatalf("with a context that cannot end: %v %v", r, err)
	}
}
