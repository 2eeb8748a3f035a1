package io.orca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CloseTest {
    private static final String WAT = """
            (module
              (memory (export "memory") 1)
              (global (export "g") (mut i32) (i32.const 0))
              (table (export "t") 1 funcref)
              (func (export "f") (result i32) i32.const 1))
            """;

    @Test
    void everyObjectThrowsAfterClose() {
        Fixture wasm = Fixture.of(WAT);
        Func func = wasm.func("f");
        Memory memory = wasm.instance.memory();
        Global global = wasm.instance.global("g");
        Table table = wasm.instance.table("t");
        Linker linker = new Linker(wasm.store);
        func.close();
        func.close(); // twice is fine
        assertTrue(func.isClosed());
        assertThrows(IllegalStateException.class, func::call);
        // Closing the store makes its objects unusable, whether or not they were closed.
        wasm.store.close();
        assertTrue(memory.isClosed());
        assertThrows(IllegalStateException.class, memory::buffer);
        assertThrows(IllegalStateException.class, () -> memory.read(0, 1));
        assertThrows(IllegalStateException.class, global::get);
        assertThrows(IllegalStateException.class, table::size);
        assertThrows(IllegalStateException.class, () -> wasm.instance.func("f"));
        assertThrows(IllegalStateException.class, () -> linker.instantiate(wasm.module));
        assertThrows(IllegalStateException.class, () -> wasm.store.setFuel(1));
        assertThrows(IllegalStateException.class, () -> new Linker(wasm.store));
        memory.close();
        linker.close();
        wasm.close();
        assertThrows(IllegalStateException.class, () -> new Store(wasm.engine));
        assertThrows(IllegalStateException.class, () -> Module.fromWat(wasm.engine, "(module)"));
        assertThrows(IllegalStateException.class, wasm.module::serialize);
    }

    @Test
    void aStoreCannotBeClosedByItsOwnHostFunction() {
        try (Engine engine = new Engine(new Engine.Config().cache(false)); Store store = new Store(engine)) {
            Linker linker = new Linker(store);
            linker.defineFunc("env", "close", new ValType[0], new ValType[0], (caller, args) -> {
                caller.store().close();
                return null;
            });
            Func run = linker.instantiate(Module.fromWat(engine,
                    "(module (import \"env\" \"close\" (func $c)) (func (export \"run\") call $c))")).func("run");
            TrapException trap = assertThrows(TrapException.class, run::call);
            assertInstanceOf(IllegalStateException.class, trap.getCause());
            assertEquals(TrapException.Code.HOST_ERROR, trap.code());
            assertFalse(store.isClosed());
            assertEquals(1, Instance.create(store, Module.fromWat(engine,
                    "(module (func (export \"one\") (result i32) i32.const 1))")).func("one").call()[0]);
        }
    }

    @Test
    void aFunctionOfAnotherStoreIsAnIllegalArgument() {
        try (Engine engine = new Engine(new Engine.Config().cache(false));
                Store one = new Store(engine);
                Store other = new Store(engine)) {
            Func host = Func.host(one, new ValType[0], new ValType[0], (caller, args) -> null);
            Func isNull = Instance.create(other, Module.fromWat(engine,
                    "(module (func (export \"f\") (param funcref) (result i32) local.get 0 ref.is_null))")).func("f");
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> isNull.call(host));
            assertEquals("argument 0: a function of another store", error.getMessage());
        }
    }

    @Test
    void closingTheEngineFirstKeepsItForItsStoreAndModules() {
        Engine engine = new Engine(new Engine.Config().cache(false));
        Store store = new Store(engine);
        Module module = Module.fromWat(engine, WAT);
        Instance instance = Instance.create(store, module);
        Func func = instance.func("f");
        engine.close();
        // What belongs to the closed engine is unusable, yet the native engine stays for it.
        assertTrue(module.isClosed());
        assertThrows(IllegalStateException.class, module::serialize);
        assertThrows(IllegalStateException.class, func::call);
        module.close();
        store.close(); // deletes the store, then the engine it kept
        assertTrue(store.isClosed());
    }

    @Test
    void theCleanerReleasesUnclosedObjects() throws Exception {
        Engine engine = new Engine(new Engine.Config().cache(false));
        Module module = Module.fromWat(engine, WAT);
        WeakReference<Store> last = null;
        for (int i = 0; i < 200; ++i) {
            Store store = new Store(engine);
            last = new WeakReference<>(store);
            Instance instance = Instance.create(store, module);
            instance.func("f").call();
            instance.memory().buffer().put(0, (byte) 1);
            new Linker(store).defineFunc("env", "h", new ValType[0], new ValType[0], (caller, args) -> null);
        }
        List<byte[]> pressure = new ArrayList<>();
        for (int i = 0; i < 50; ++i) {
            pressure.add(new byte[1 << 20]);
            System.gc();
        }
        assertEquals(50, pressure.size());
        Thread.sleep(100);
        // A store with host functions becomes unreachable (their bridges hold it weakly), is
        // cleaned with its instances, and the engine still works.
        assertNull(last.get());
        try (Store store = new Store(engine)) {
            assertEquals(1, Instance.create(store, module).func("f").call()[0]);
        }
    }
}
