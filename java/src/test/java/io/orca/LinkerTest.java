package io.orca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LinkerTest {
    private static final ValType[] I32 = {ValType.I32};
    private static final ValType[] NONE = {};

    @Test
    void missingImportIsALinkException() {
        try (Engine engine = new Engine(new Engine.Config().cache(false));
                Store store = new Store(engine);
                Linker linker = new Linker(store);
                Module module = Module.fromWat(engine, "(module (import \"env\" \"log\" (func (param i32))))")) {
            LinkException error = assertThrows(LinkException.class, () -> linker.instantiate(module));
            assertEquals(OrcaException.Kind.UNLINKABLE, error.kind());
            assertTrue(error.getMessage().contains("\"env\" \"log\""), error.getMessage());
            linker.defineFunc("env", "log", I32, I32, (caller, args) -> 0);
            assertThrows(LinkException.class, () -> linker.instantiate(module)); // wrong type
        }
    }

    @Test
    void definesFunctionsMemoriesGlobalsTablesAndInstances() {
        try (Engine engine = new Engine(new Engine.Config().cache(false));
                Store store = new Store(engine);
                Linker linker = new Linker(store)) {
            Instance lib = Instance.create(store, Module.fromWat(engine, """
                    (module
                      (memory (export "mem") 1)
                      (global (export "base") i32 (i32.const 100))
                      (table (export "tab") 1 funcref)
                      (func (export "double") (param i32) (result i32) local.get 0 i32.const 2 i32.mul))
                    """));
            linker.defineInstance("lib", lib);
            linker.define("alias", "mem", lib.memory("mem"));
            linker.define("alias", "base", lib.global("base"));
            linker.define("alias", "tab", lib.table("tab"));
            linker.define("alias", "double", lib.func("double"));
            assertThrows(IllegalArgumentException.class, () -> linker.define("alias", "x", "not an extern"));
            Instance app = linker.instantiate(Module.fromWat(engine, """
                    (module
                      (import "lib" "double" (func $double (param i32) (result i32)))
                      (import "alias" "base" (global $base i32))
                      (import "alias" "mem" (memory 1))
                      (import "alias" "tab" (table 1 funcref))
                      (func (export "run") (result i32) global.get $base call $double))
                    """));
            assertEquals(200, app.func("run").call()[0]);
            assertThrows(LinkException.class, () -> linker.define("alias", "mem", lib.memory("mem")));
            linker.allowShadowing(true);
            linker.define("alias", "mem", lib.memory("mem"));
        }
    }

    @Test
    void startFunctionTrapsWhileInstantiating() {
        try (Engine engine = new Engine(new Engine.Config().cache(false));
                Store store = new Store(engine);
                Linker linker = new Linker(store)) {
            Module module = Module.fromWat(engine, "(module (func $s unreachable) (start $s))");
            TrapException trap = assertThrows(TrapException.class, () -> linker.instantiate(module));
            assertEquals(TrapException.Code.UNREACHABLE, trap.code());
            linker.defineFunc("env", "nothing", NONE, NONE, (caller, args) -> null);
        }
    }
}
