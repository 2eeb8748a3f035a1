package orca_test

import (
	"errors"
	"testing"

	orca "github.com/orca-runtime/orca/go"
)

// A trap three calls deep, inlined or not: each frame names its function and the instruction
// that trapped or called, as offsets in the module and in the function's body.
func TestTrapFramesCarryOffsets(t *testing.T) {
	const wat = `(module
	  (func $inner (param i32) (result i32) (i32.div_u (i32.const 1) (local.get 0)))
	  (func $middle (param i32) (result i32) (call $inner (local.get 0)))
	  (func (export "outer") (param i32) (result i32) (call $middle (local.get 0))))`
	for _, level := range []int{0, 2} {
		_, instance := instantiate(t, orca.Config{OptLevel: &level}, wat)
		_, err := instance.Func("outer").Call(int32(0))
		var trap *orca.Trap
		if !errors.As(err, &trap) || trap.Code != orca.TrapIntegerDivideByZero {
			t.Fatalf("O%d: got %v, want a division trap", level, err)
		}
		if len(trap.Frames) != 3 {
			t.Fatalf("O%d: %d frames, want 3 (inlined callees included)", level, len(trap.Frames))
		}
		names := []string{"inner", "middle", ""}
		for i, f := range trap.Frames {
			if f.FuncIndex != uint32(i) || f.FuncName != names[i] {
				t.Errorf("O%d: frame %d is function %d %q, want %d %q", level, i, f.FuncIndex, f.FuncName, i, names[i])
			}
			// Each body starts with its locals count (one byte): the instruction is further in.
			if f.FuncOffset == 0 || f.ModuleOffset <= f.FuncOffset {
				t.Errorf("O%d: frame %d offsets module 0x%x, function 0x%x", level, i, f.ModuleOffset, f.FuncOffset)
			}
		}
		// inner: i32.const 1 (2 bytes), local.get 0 (2 bytes), then i32.div_u.
		if trap.Frames[0].FuncOffset != 5 {
			t.Errorf("O%d: the division is at function offset 0x%x, want 0x5", level, trap.Frames[0].FuncOffset)
		}
	}
}
