package io.orca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ModuleTest {
    private static final String WAT = """
            (module
              (import "env" "log" (func (param i32)))
              (import "env" "mem" (memory 1))
              (global (export "g") i32 (i32.const 7))
              (func (export "seven") (result i32) global.get 0))
            """;

    @Test
    void importsAndExports() {
        try (Engine engine = new Engine(new Engine.Config().cache(false));
                Module module = Module.fromWat(engine, WAT)) {
            assertEquals(List.of(new Module.Import("env", "log", Module.ExternKind.FUNC),
                    new Module.Import("env", "mem", Module.ExternKind.MEMORY)), module.imports());
            assertEquals(List.of(new Module.Export("g", Module.ExternKind.GLOBAL),
                    new Module.Export("seven", Module.ExternKind.FUNC)), module.exports());
        }
    }

    @Test
    void malformedAndInvalidModulesSayWhy() {
        try (Engine engine = new Engine(new Engine.Config().cache(false))) {
            OrcaException garbage = assertThrows(OrcaException.class,
                    () -> Module.fromBinary(engine, new byte[] {1, 2, 3, 4}));
            assertEquals(OrcaException.Kind.MALFORMED, garbage.kind());
            OrcaException text = assertThrows(OrcaException.class, () -> Module.fromWat(engine, "(module (func"));
            assertEquals(OrcaException.Kind.MALFORMED, text.kind());
            OrcaException invalid = assertThrows(OrcaException.class,
                    () -> Module.fromWat(engine, "(module (func (result i32) i64.const 1))"));
            assertEquals(OrcaException.Kind.INVALID, invalid.kind());
            assertTrue(invalid.getMessage().startsWith("type mismatch"), invalid.getMessage());
            assertThrows(OrcaException.class, () -> Module.validate(engine, Module.wat2wasm(
                    "(module (func (result i32) i64.const 1))")));
            Module.validate(engine, Module.wat2wasm("(module)"));
            assertThrows(NullPointerException.class, () -> Module.fromBinary(engine, null));
        }
    }

    @Test
    void serializeAndDeserialize() {
        try (Engine engine = new Engine(new Engine.Config().cache(false));
                Store store = new Store(engine)) {
            byte[] artifact;
            try (Module module = Module.fromWat(engine, "(module (func (export \"f\") (result i32) i32.const 5))")) {
                artifact = module.serialize();
            }
            try (Module again = Module.deserialize(engine, artifact)) {
                assertEquals(5, Instance.create(store, again).func("f").call()[0]);
            }
            artifact[artifact.length / 2] ^= 0x55;
            OrcaException damaged = assertThrows(OrcaException.class, () -> Module.deserialize(engine, artifact));
            assertEquals(OrcaException.Kind.MALFORMED, damaged.kind());
            assertEquals(OrcaException.Kind.MALFORMED, assertThrows(OrcaException.class,
                    () -> Module.deserialize(engine, new byte[] {0, 'w', 'a', 's', 'm'})).kind());
        }
    }
}
