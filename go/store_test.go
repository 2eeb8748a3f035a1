package orca_test

import (
	"context"
	"errors"
	"testing"

	orca "github.com/orca-runtime/orca/go"
)

func TestStoreSwitchesOff(t *testing.T) {
	engine, err := orca.NewEngineWithConfig(orca.Config{NoInterruption: true})
	if err != nil {
		t.Fatal(err)
	}
	defer engine.Close()
	store := orca.NewStore(engine)
	if err := store.SetFuel(1); !errors.Is(err, orca.ErrUnsupported) {
		t.Fatalf("fuel without metering: %v", err)
	}
	if err := store.Interrupt(); !errors.Is(err, orca.ErrUnsupported) {
		t.Fatalf("interrupt without checks: %v", err)
	}
	store.Close()
	if err := store.Interrupt(); err == nil {
		t.Fatal("interrupting a closed store succeeded")
	}
}

func TestCallContextAlreadyDone(t *testing.T) {
	_, instance := instantiate(t, orca.Config{}, `(module (func (export "f") (result i32) (i32.const 1)))`)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := instance.Func("f").CallContext(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v", err)
	}
	if r, err := instance.Func("f").CallContext(context.Background()); err != nil || r[0].(int32) != 1 {
		t.Fatalf("got %v %v", r, err)
	}
}

func TestStoreLimits(t *testing.T) {
	store, instance := instantiate(t, orca.Config{}, `(module (memory (export "m") 1))`)
	if err := store.SetLimits(orca.Limits{MemoryBytes: 65536, TableElements: orca.NoLimit, Instances: orca.NoLimit,
		Tables: orca.NoLimit, Memories: orca.NoLimit}); err != nil {
		t.Fatal(err)
	}
	if err := instance.Memory("m").Grow(1); err == nil {
		t.Fatal("grew past the store's limit")
	}
}
