package io.orca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class TrapTest {
    private static final String WAT = """
            (module
              (memory 1)
              (table 2 funcref)
              (elem (i32.const 0) $unreachable)
              (type $i32_to_i32 (func (param i32) (result i32)))
              (func $unreachable (export "unreachable") unreachable)
              (func $outer (export "outer") call $unreachable)
              (func (export "div") (param i32 i32) (result i32) local.get 0 local.get 1 i32.div_s)
              (func (export "load") (param i32) (result i32) local.get 0 i32.load)
              (func (export "trunc") (param f64) (result i32) local.get 0 i32.trunc_f64_s)
              (func $deep (export "deep") (param i32) (result i32) local.get 0 i32.const 1 i32.add call $deep)
              (func (export "indirect") (param i32) (result i32) i32.const 0 local.get 0 call_indirect (type $i32_to_i32)))
            """;

    private static TrapException trap(Fixture wasm, String name, Object... args) {
        return assertThrows(TrapException.class, () -> wasm.func(name).call(args));
    }

    @Test
    void everyTrapHasItsCodeAndMessage() {
        try (Fixture wasm = Fixture.of(WAT)) {
            assertEquals(TrapException.Code.UNREACHABLE, trap(wasm, "unreachable").code());
            TrapException divide = trap(wasm, "div", 1, 0);
            assertEquals(TrapException.Code.INTEGER_DIVIDE_BY_ZERO, divide.code());
            assertEquals("integer divide by zero", divide.getMessage());
            assertEquals(OrcaException.Kind.TRAP, divide.kind());
            assertEquals(TrapException.Code.INTEGER_OVERFLOW, trap(wasm, "div", Integer.MIN_VALUE, -1).code());
            assertEquals(TrapException.Code.MEMORY_OUT_OF_BOUNDS, trap(wasm, "load", 65535).code());
            assertEquals(TrapException.Code.INVALID_CONVERSION, trap(wasm, "trunc", Double.NaN).code());
            assertEquals(TrapException.Code.INDIRECT_CALL_TYPE_MISMATCH, trap(wasm, "indirect", 0).code());
            assertEquals(TrapException.Code.UNINITIALIZED_ELEMENT, trap(wasm, "indirect", 1).code());
            assertEquals(TrapException.Code.UNDEFINED_ELEMENT, trap(wasm, "indirect", 5).code());
            // The store stays usable after each trap.
            assertEquals(3, wasm.func("div").call(9, 3)[0]);
        }
    }

    @Test
    void stackExhaustionIsACleanTrapOnAJavaThread() {
        try (Fixture wasm = Fixture.of(WAT)) {
            TrapException deep = trap(wasm, "deep", 0);
            assertEquals(TrapException.Code.STACK_EXHAUSTED, deep.code());
            assertEquals(OrcaException.Kind.EXHAUSTION, deep.kind());
        }
    }

    @Test
    void framesNameTheFunctionsInnermostFirst() {
        try (Fixture wasm = Fixture.of(WAT)) {
            List<TrapException.Frame> frames = trap(wasm, "outer").frames();
            assertFalse(frames.isEmpty());
            assertEquals(0, frames.get(0).funcIndex());
            assertEquals("unreachable", frames.get(0).funcName());
            assertEquals(1, frames.get(1).funcIndex());
            assertEquals("outer", frames.get(1).funcName());
        }
    }
}
