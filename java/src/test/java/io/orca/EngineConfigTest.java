package io.orca;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The engine's module limits and compile strategy. */
class EngineConfigTest {
    private static final String MANY_LOCALS = """
            (module (func (export "f") (result i32) (local i32 i32 i32 i32 i32 i32 i32 i32) i32.const 3))""";

    @Test
    void aModuleOverALimitIsRefusedNamingIt() {
        try (Engine strict = new Engine(new Engine.Config().cache(false).limit(Engine.Limit.LOCALS, 4))) {
            assertEquals(4, strict.limit(Engine.Limit.LOCALS));
            OrcaException refused = assertThrows(OrcaException.class, () -> Module.fromWat(strict, MANY_LOCALS));
            assertEquals(OrcaException.Kind.UNSUPPORTED, refused.kind());
            assertTrue(refused.getMessage().contains("limit locals exceeded"), refused.getMessage());
        }
    }

    @Test
    void theSameModuleIsAcceptedWithTheLimitLifted() {
        Engine.Config lifted = new Engine.Config().limit(Engine.Limit.LOCALS, Engine.NO_LIMIT);
        try (Fixture wasm = Fixture.of(lifted, MANY_LOCALS)) {
            assertEquals(Engine.NO_LIMIT, wasm.engine.limit(Engine.Limit.LOCALS));
            assertEquals(3, wasm.func("f").callI32());
        }
    }

    @Test
    void limitsNotSetKeepTheirDefaults() {
        try (Engine engine = new Engine(new Engine.Config().cache(false))) {
            assertEquals(50_000, engine.limit(Engine.Limit.LOCALS));
            assertEquals(1L << 30, engine.limit(Engine.Limit.MODULE_BYTES));
            assertEquals(65_520, engine.limit(Engine.Limit.BR_TABLE_TARGETS));
        }
    }

    @Test
    void aBadLimitOrStrategyIsAnIllegalArgument() {
        Engine.Config config = new Engine.Config();
        assertThrows(IllegalArgumentException.class, () -> config.limit(Engine.Limit.LOCALS, -2));
        assertThrows(IllegalArgumentException.class, () -> config.limit(null, 4));
        assertThrows(IllegalArgumentException.class, () -> config.compile(null));
        assertThrows(IllegalArgumentException.class, () -> Engine.Limit.valueOf("LOCAL"));
    }

    @Test
    void lazyCompilationRunsAndTraps() {
        String wat = """
                (module
                  (func $fib (export "fib") (param i32) (result i32)
                    (if (result i32) (i32.lt_u (local.get 0) (i32.const 2)) (then (local.get 0))
                      (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                                     (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
                  (func (export "trap") unreachable))""";
        try (Fixture wasm = Fixture.of(new Engine.Config().compile(Engine.CompileStrategy.LAZY), wat)) {
            assertArrayEquals(new Object[] {6765}, wasm.func("fib").call(20));
            TrapException trap = assertThrows(TrapException.class, () -> wasm.func("trap").call());
            assertEquals(TrapException.Code.UNREACHABLE, trap.code());
        }
    }
}
