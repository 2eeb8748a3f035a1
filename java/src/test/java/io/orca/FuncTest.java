package io.orca;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FuncTest {
    private static final String WAT = """
            (module
              (func (export "i32") (param i32) (result i32) local.get 0)
              (func (export "i64") (param i64) (result i64) local.get 0)
              (func (export "f32") (param f32) (result f32) local.get 0)
              (func (export "f64") (param f64) (result f64) local.get 0)
              (func (export "v128") (param v128) (result v128) local.get 0)
              (func (export "swap") (param i32 i64) (result i64 i32) local.get 1 local.get 0)
              (func (export "self") (result funcref) ref.func 0)
              (func (export "isnull") (param funcref) (result i32) local.get 0 ref.is_null)
              (func (export "sum3") (param f64 f64 f64) (result f64) local.get 0 local.get 1 f64.add local.get 2 f64.add)
              (func (export "mul") (param i64 i64) (result i64) local.get 0 local.get 1 i64.mul)
              (func (export "none")))
            """;

    @Test
    void everyValueTypeRoundTrips() {
        try (Fixture wasm = Fixture.of(WAT)) {
            assertEquals(-7, wasm.func("i32").call(-7)[0]);
            assertEquals(Long.MIN_VALUE, wasm.func("i64").call(Long.MIN_VALUE)[0]);
            assertEquals(1.5f, wasm.func("f32").call(1.5f)[0]);
            assertEquals(Math.PI, wasm.func("f64").call(Math.PI)[0]);
            byte[] v128 = new byte[16];
            for (int i = 0; i < 16; ++i) {
                v128[i] = (byte) (i * 17);
            }
            assertArrayEquals(v128, (byte[]) wasm.func("v128").call((Object) v128)[0]);
            assertArrayEquals(new Object[] {9L, 4}, wasm.func("swap").call(4, 9L));
            assertArrayEquals(new Object[0], wasm.func("none").call());
        }
    }

    @Test
    void funcrefsAreFuncsOrNull() {
        try (Fixture wasm = Fixture.of(WAT)) {
            Func self = (Func) wasm.func("self").call()[0];
            assertEquals(11, self.call(11)[0]);
            assertEquals(1, wasm.func("isnull").call((Object) null)[0]);
            assertEquals(0, wasm.func("isnull").call(self)[0]);
        }
    }

    @Test
    void typedFastPaths() {
        try (Fixture wasm = Fixture.of(WAT)) {
            assertEquals(5, wasm.func("i32").callI32(5));
            assertEquals(6L * 7L, wasm.func("mul").callI64(6L, 7L));
            assertEquals(6.0, wasm.func("sum3").callF64(1.0, 2.0, 3.0));
            IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class,
                    () -> wasm.func("i64").callI32(1));
            assertTrue(wrong.getMessage().contains("[I64] -> [I64]"), wrong.getMessage());
        }
    }

    @Test
    void wrongArgumentCountsAndTypesAreIllegalArguments() {
        try (Fixture wasm = Fixture.of(WAT)) {
            Func i32 = wasm.func("i32");
            IllegalArgumentException count = assertThrows(IllegalArgumentException.class, () -> i32.call(1, 2));
            assertEquals("argument: expected 1 values, got 2", count.getMessage());
            IllegalArgumentException type = assertThrows(IllegalArgumentException.class, () -> i32.call(1L));
            assertEquals("argument 0: expected I32, got Long", type.getMessage());
            assertThrows(IllegalArgumentException.class, () -> i32.call((Object) null));
            assertThrows(IllegalArgumentException.class, () -> wasm.func("v128").call((Object) new byte[15]));
            assertThrows(IllegalArgumentException.class, () -> wasm.func("isnull").call("not a function"));
        }
    }

    @Test
    void typesAndMissingExports() {
        try (Fixture wasm = Fixture.of(WAT)) {
            assertArrayEquals(new ValType[] {ValType.I32, ValType.I64}, wasm.func("swap").paramTypes());
            assertArrayEquals(new ValType[] {ValType.I64, ValType.I32}, wasm.func("swap").resultTypes());
            assertNull(wasm.instance.func("nothing"));
            assertNull(wasm.instance.memory("i32"));
        }
    }
}
