package orca_test

import (
	"context"
	"errors"
	"math"
	"strings"
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

// Call takes any Go integer whose value the parameter holds exactly (an i32 from MinInt32 to
// MaxUint32, the upper half as uint32 bit patterns; an i64 any integer, a uint64 as its bits),
// and floats that convert exactly; anything else is an error naming the argument.
func TestCallConvertsExactNumbers(t *testing.T) {
	_, instance := instantiate(t, orca.Config{}, `(module
	  (func (export "i32") (param i32) (result i32) (local.get 0))
	  (func (export "i64") (param i64) (result i64) (local.get 0))
	  (func (export "f32") (param f32) (result f32) (local.get 0))
	  (func (export "f64") (param f64) (result f64) (local.get 0)))`)
	accepted := []struct {
		fn   string
		arg  any
		want any
	}{
		{"i32", 7, int32(7)}, {"i32", int8(-8), int32(-8)}, {"i32", int16(-300), int32(-300)},
		{"i32", int64(math.MinInt32), int32(math.MinInt32)}, {"i32", uint8(255), int32(255)},
		{"i32", uint16(65535), int32(65535)}, {"i32", uint32(math.MaxUint32), int32(-1)},
		{"i32", uint(1 << 31), int32(math.MinInt32)}, {"i32", uint64(5), int32(5)},
		{"i64", 7, int64(7)}, {"i64", int32(-1), int64(-1)}, {"i64", uint64(math.MaxUint64), int64(-1)},
		{"i64", uint(3), int64(3)}, {"i64", uint32(math.MaxUint32), int64(math.MaxUint32)},
		{"f32", 0.5, float32(0.5)}, {"f32", float32(1.25), float32(1.25)},
		{"f64", float32(0.1), float64(float32(0.1))}, {"f64", 0.1, 0.1},
	}
	for _, c := range accepted {
		r, err := instance.Func(c.fn).Call(c.arg)
		if err != nil || r[0] != c.want {
			t.Errorf("%s(%T %v): %v %v, expected %v", c.fn, c.arg, c.arg, r, err, c.want)
		}
	}
	refused := []struct {
		fn  string
		arg any
		why string
	}{
		{"i32", int64(math.MaxUint32 + 1), "does not fit an i32"}, {"i32", math.MinInt32 - 1, "does not fit an i32"},
		{"i32", uint64(math.MaxUint64), "does not fit an i32"}, {"i32", 1.0, "float64 is not i32"},
		{"i64", float32(1), "float32 is not i64"}, {"f32", 0.1, "not exactly a float32"},
		{"f32", 1, "int is not f32"}, {"f64", "1", "string is not f64"},
	}
	for _, c := range refused {
		_, err := instance.Func(c.fn).Call(c.arg)
		if err == nil || !strings.Contains(err.Error(), c.why) || !strings.Contains(err.Error(), "argument 0") {
			t.Errorf("%s(%T %v): %v, expected an error with %q naming argument 0", c.fn, c.arg, c.arg, err, c.why)
		}
	}
}
