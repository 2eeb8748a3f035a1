package orca_test

import (
	"testing"

	orca "github.com/orca-runtime/orca/go"
)

// instantiate compiles wat in a new store (closed with the test) and instantiates it.
func instantiate(t testing.TB, cfg orca.Config, wat string) (*orca.Store, *orca.Instance) {
	t.Helper()
	engine, err := orca.NewEngineWithConfig(cfg)
	if err != nil {
		panic(err)
	}
	store := orca.NewStore(engine)
	t.Cleanup(func() { store.Close(); engine.Close() })
	module, err := orca.NewModuleFromWat(store.Engine(), wat)
	if err != nil {
		t.Fatal(err)
	}
	instance, err := orca.NewLinker(store).Instantiate(module)
	if err != nil {
		t.Fatal(err)
	}
	return store, instance
}

// noErr is v, failing the test when err is set: noErr(mem.Size())(t).
func noErr[T any](v T, err error) func(testing.TB) T {
	return func(t testing.TB) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}
