package io.orca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Globals and tables made in Java, the limits of memory and table types, externref tables, Func.same. */
class ExternsFromJavaTest {
    private static final String IMPORTS = """
            (module
              (import "host" "g" (global $g i64))
              (import "host" "mg" (global $mg (mut f32)))
              (import "host" "tab" (table $t 2 funcref))
              (memory (export "memory") 1 3)
              (table (export "ext") 1 externref)
              (func $seven (export "seven") (result i32) i32.const 7)
              (func (export "g") (result i64) global.get $g)
              (func (export "mg") (result f32) global.get $mg)
              (func (export "set_mg") (param f32) local.get 0 global.set $mg)
              (func (export "call0") (result i32) i32.const 0 call_indirect $t (result i32))
              (func (export "get_ext") (param i32) (result externref) local.get 0 table.get 1))
            """;

    @Test
    void globalsAndTablesMadeInJavaAreImported() {
        try (Engine engine = new Engine(new Engine.Config().cache(false));
             Store store = new Store(engine);
             Linker linker = new Linker(store)) {
            Global constant = Global.create(store, ValType.I64, false, -5L);
            Global variable = Global.create(store, ValType.F32, true, 1.5f);
            Table table = Table.create(store, ValType.FUNCREF, 2, -1);
            linker.define("host", "g", constant);
            linker.define("host", "mg", variable);
            linker.define("host", "tab", table);
            Instance instance = linker.instantiate(Module.fromWat(engine, IMPORTS));
            assertEquals(-5L, instance.func("g").call()[0]);
            assertEquals(1.5f, instance.func("mg").call()[0]);
            instance.func("set_mg").call(2.5f);
            assertEquals(2.5f, variable.get()); // the guest wrote the Java-made global
            assertFalse(constant.isMutable());
            assertThrows(IllegalStateException.class, () -> constant.set(1L));
            assertThrows(IllegalArgumentException.class, () -> Global.create(store, ValType.I32, false, 1L));
            assertEquals(ValType.FUNCREF, table.elementType());
            assertEquals(2, table.minimum());
            assertEquals(-1, table.maximum());
            table.set(0, instance.func("seven"));
            assertEquals(7, instance.func("call0").callI32());
            assertTrue(table.get(0).same(instance.func("seven")));
            assertFalse(table.get(0).same(instance.func("g")));
            assertFalse(table.get(0).same(null));
            assertThrows(IllegalArgumentException.class, () -> Table.create(store, ValType.I32, 1, 1));
        }
    }

    @Test
    void limitsOfMemoryAndTableTypes() {
        try (Fixture wasm = Fixture.of("""
                (module (memory (export "m") 2 5) (table (export "t") 3 7 funcref))
                """)) {
            Memory memory = wasm.instance.memory("m");
            assertEquals(2, memory.minimum());
            assertEquals(5, memory.maximum());
            Table table = wasm.instance.table("t");
            assertEquals(3, table.minimum());
            assertEquals(7, table.maximum());
            try (Memory free = Memory.create(wasm.store, 1, -1)) {
                assertEquals(-1, free.maximum());
            }
        }
    }

    @Test
    void externrefTablesHoldJavaObjects() {
        try (Fixture wasm = Fixture.of("""
                (module (table (export "ext") 1 4 externref)
                  (func (export "get_ext") (param i32) (result externref) local.get 0 table.get 0))
                """)) {
            Table table = wasm.instance.table("ext");
            Object first = new Object();
            Object second = new StringBuilder("two");
            assertNull(table.element(0));
            table.setElement(0, first);
            assertSame(first, table.element(0));
            assertSame(first, wasm.func("get_ext").call(0)[0]);
            assertTrue(table.growElements(2, second));
            assertSame(second, wasm.func("get_ext").call(2)[0]);
            assertFalse(table.growElements(2, null)); // the maximum is 4
            assertThrows(IndexOutOfBoundsException.class, () -> table.element(3));
            assertThrows(OrcaException.class, () -> table.get(0)); // get is for funcref tables
        }
    }
}
