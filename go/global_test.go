package orca_test

import (
	"errors"
	"testing"

	orca "github.com/orca-runtime/orca/go"
)

func TestGlobalGetSet(t *testing.T) {
	store, instance := instantiate(t, orca.Config{}, `(module
	  (global (export "c") f32 (f32.const 1.5))
	  (global (export "v") (mut i64) (i64.const 1))
	  (global (export "r") (mut externref) (ref.null extern)))`)
	c := instance.Global("c")
	if v, ty := noErr(c.Get())(t), noErr(c.Type())(t); v.(float32) != 1.5 || ty != (orca.GlobalType{Kind: orca.KindF32}) {
		t.Fatalf("const: %v %+v", v, ty)
	}
	if err := c.Set(float32(2)); !errors.Is(err, orca.ErrImmutable) {
		t.Fatalf("set const: %v", err)
	}
	v := instance.Global("v")
	if err := v.Set(int32(3)); err == nil {
		t.Fatal("an i32 was accepted for an i64 global")
	}
	if err := v.Set(int64(-3)); err != nil || noErr(v.Get())(t).(int64) != -3 {
		t.Fatalf("set: %v", err)
	}
	// An externref may carry any Go value, comparable or not.
	r := instance.Global("r")
	payload := []string{"not", "comparable"}
	if err := r.Set(payload); err != nil {
		t.Fatal(err)
	}
	if got := noErr(r.Get())(t).([]string); &got[0] != &payload[0] {
		t.Fatal("a different value came back")
	}
	g, err := orca.NewGlobal(store, orca.GlobalType{Kind: orca.KindI32, Mutable: true}, int32(9))
	if err != nil || noErr(g.Get())(t).(int32) != 9 {
		t.Fatalf("NewGlobal: %v", err)
	}
}
