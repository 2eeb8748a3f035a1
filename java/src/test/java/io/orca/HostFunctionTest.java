package io.orca;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HostFunctionTest {
    private static final ValType[] I32 = {ValType.I32};
    private static final ValType[] I32_I32 = {ValType.I32, ValType.I32};
    private static final ValType[] NONE = {};

    private static final String GUEST = """
            (module
              (import "env" "add" (func $add (param i32 i32) (result i32)))
              (import "env" "log" (func $log (param i32 i32)))
              (import "env" "fail" (func $fail))
              (import "env" "pair" (func $pair (result i32 i32)))
              (memory (export "memory") 1)
              (data (i32.const 16) "hello from wasm")
              (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 call $add)
              (func (export "log") i32.const 16 i32.const 15 call $log)
              (func $failing (export "fail") call $fail)
              (func (export "pair") (result i32) call $pair i32.sub)
              (func (export "twice") (param i32) (result i32) local.get 0 i32.const 2 i32.mul))
            """;

    private Engine engine;
    private Store store;
    private Linker linker;
    private final AtomicReference<String> logged = new AtomicReference<>();
    private RuntimeException toThrow = new IllegalStateException("the host says no");

    @BeforeEach
    void setUp() {
        engine = new Engine(new Engine.Config().cache(false));
        store = new Store(engine);
        linker = new Linker(store);
        linker.defineFunc("env", "add", I32_I32, I32, (caller, args) -> (int) args[0] + (int) args[1]);
        linker.defineFunc("env", "log", I32_I32, NONE, (caller, args) -> {
            byte[] bytes = caller.memory("memory").read((int) args[0], (int) args[1]);
            logged.set(new String(bytes, StandardCharsets.UTF_8));
            return null;
        });
        linker.defineFunc("env", "fail", NONE, NONE, (caller, args) -> {
            throw toThrow;
        });
        linker.defineFunc("env", "pair", NONE, I32_I32, (caller, args) -> new Object[] {10, 3});
    }

    @AfterEach
    void tearDown() {
        linker.close();
        store.close();
        engine.close();
    }

    private Instance guest() {
        return linker.instantiate(Module.fromWat(engine, GUEST));
    }

    @Test
    void hostFunctionsGetArgumentsAndReturnResults() {
        Instance instance = guest();
        assertEquals(42, instance.func("add").callI32(40, 2));
        assertEquals(7, instance.func("pair").call()[0]);
    }

    @Test
    void callerGivesTheCallingInstancesMemory() {
        guest().func("log").call();
        assertEquals("hello from wasm", logged.get());
    }

    @Test
    void anExceptionComesBackAsTheTrapsCause() {
        Instance instance = guest();
        TrapException trap = assertThrows(TrapException.class, () -> instance.func("fail").call());
        assertEquals(TrapException.Code.HOST_ERROR, trap.code());
        assertSame(toThrow, trap.getCause());
        assertTrue(trap.getMessage().contains("the host says no"), trap.getMessage());
        assertEquals("failing", trap.frames().get(0).funcName());
        // Many throws in a row: no reference or cause leaks from one call into the next.
        for (int i = 0; i < 2000; ++i) {
            toThrow = new IllegalArgumentException("throw " + i);
            assertSame(toThrow, assertThrows(TrapException.class, () -> instance.func("fail").call()).getCause());
        }
        assertEquals(3, instance.func("add").callI32(1, 2));
    }

    @Test
    void wrongResultsFromJavaAreHostErrors() {
        try (Linker other = new Linker(store)) {
            other.defineFunc("env", "add", I32_I32, I32, (caller, args) -> "a string");
            other.defineFunc("env", "log", I32_I32, NONE, (caller, args) -> null);
            other.defineFunc("env", "fail", NONE, NONE, (caller, args) -> null);
            other.defineFunc("env", "pair", NONE, I32_I32, (caller, args) -> 5);
            Instance instance = other.instantiate(Module.fromWat(engine, GUEST));
            TrapException add = assertThrows(TrapException.class, () -> instance.func("add").call(1, 2));
            assertEquals(TrapException.Code.HOST_ERROR, add.code());
            assertInstanceOf(IllegalArgumentException.class, add.getCause());
            TrapException pair = assertThrows(TrapException.class, () -> instance.func("pair").call());
            assertInstanceOf(IllegalArgumentException.class, pair.getCause());
        }
    }

    @Test
    void nestedCallsPassTrapsOut() {
        Instance inner = guest();
        try (Linker outer = new Linker(store)) {
            outer.defineFunc("env", "callFail", NONE, NONE, (caller, args) -> inner.func("fail").call());
            outer.defineFunc("env", "callTwice", I32, I32, (caller, args) -> inner.func("twice").call(args)[0]);
            Instance instance = outer.instantiate(Module.fromWat(engine, """
                    (module
                      (import "env" "callFail" (func $f))
                      (import "env" "callTwice" (func $t (param i32) (result i32)))
                      (func (export "run") call $f)
                      (func (export "twice") (param i32) (result i32) local.get 0 call $t))
                    """));
            assertEquals(42, instance.func("twice").callI32(21));
            TrapException trap = assertThrows(TrapException.class, () -> instance.func("run").call());
            assertEquals(TrapException.Code.HOST_ERROR, trap.code());
            TrapException innerTrap = assertInstanceOf(TrapException.class, trap.getCause());
            assertSame(toThrow, innerTrap.getCause());
        }
    }

    @Test
    void aGuestTrapThatAHostLetsEscapeKeepsItsCode() {
        Instance inner = Instance.create(store, Module.fromWat(engine,
                "(module (func (export \"boom\") unreachable))"));
        try (Linker outer = new Linker(store)) {
            outer.defineFunc("env", "callBoom", NONE, NONE, (caller, args) -> inner.func("boom").call());
            Instance instance = outer.instantiate(Module.fromWat(engine, """
                    (module (import "env" "callBoom" (func $b)) (func (export "run") call $b))
                    """));
            TrapException trap = assertThrows(TrapException.class, () -> instance.func("run").call());
            assertEquals(TrapException.Code.UNREACHABLE, trap.code());
            assertTrue(trap.getMessage().contains("unreachable"), trap.getMessage());
            TrapException innerTrap = assertInstanceOf(TrapException.class, trap.getCause());
            assertEquals(TrapException.Code.UNREACHABLE, innerTrap.code());
        }
    }

    @Test
    void aCallerIsValidDuringItsCallOnly() {
        AtomicReference<Caller> kept = new AtomicReference<>();
        try (Linker other = new Linker(store)) {
            other.defineFunc("env", "f", NONE, NONE, (caller, args) -> {
                kept.set(caller);
                return null;
            });
            Func run = other.instantiate(Module.fromWat(engine,
                    "(module (import \"env\" \"f\" (func $f)) (func (export \"run\") call $f))")).func("run");
            run.call();
            assertThrows(IllegalStateException.class, () -> kept.get().memory("memory"));
        }
    }

    @Test
    void hostFuncsCanBeCalledFromJavaAndPassedAsFuncrefs() {
        Func host = Func.host(store, I32, I32, (caller, args) -> (int) args[0] * 3);
        assertEquals(12, host.call(4)[0]);
        assertArrayEquals(I32, host.paramTypes());
        Instance instance = Instance.create(store, Module.fromWat(engine, """
                (module
                  (type $t (func (param i32) (result i32)))
                  (func (export "apply") (param funcref i32) (result i32)
                    (table.set $tab (i32.const 0) (local.get 0))
                    (call_indirect (type $t) (local.get 1) (i32.const 0)))
                  (table $tab 1 funcref))
                """));
        assertEquals(30, instance.func("apply").call(host, 10)[0]);
    }
}
