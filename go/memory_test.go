package orca_test

import (
	"testing"

	orca "github.com/orca-runtime/orca/go"
)

func TestMemoryViewAndGrow(t *testing.T) {
	_, instance := instantiate(t, orca.Config{}, `(module (memory (export "m") 1 2)
	  (func (export "load") (param i32) (result i32) (i32.load (local.get 0))))`)
	mem := instance.Memory("m")
	if ty := noErr(mem.Type())(t); ty != (orca.MemoryType{Min: 1, Max: 2}) {
		t.Fatalf("type %+v", ty)
	}
	view := noErr(mem.Data())(t)
	view[8], view[9] = 0x34, 0x12
	if r, err := instance.Func("load").Call(int32(8)); err != nil || r[0].(int32) != 0x1234 {
		t.Fatalf("load: %v %v", r, err)
	}
	if _, err := mem.Read(65535, 2); err == nil {
		t.Fatal("read past the end accepted")
	}
	if err := mem.Grow(1); err != nil {
		t.Fatal(err)
	}
	if bytes, pages := len(noErr(mem.Data())(t)), noErr(mem.Size())(t); bytes != 2*65536 || pages != 2 {
		t.Fatalf("after grow: %d bytes, %d pages", bytes, pages)
	}
	if err := mem.Write(65536*2-1, []byte{1}); err != nil {
		t.Fatal(err)
	}
	if err := mem.Grow(1); err == nil {
		t.Fatal("grew past the maximum")
	}
}
