package io.orca;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class MemoryGlobalTableTest {
    private static final String WAT = """
            (module
              (memory (export "memory") 1 3)
              (global (export "counter") (mut i32) (i32.const 1))
              (global (export "pi") f64 (f64.const 3.25))
              (global (export "vec") (mut v128) (v128.const i64x2 1 2))
              (table (export "table") 2 4 funcref)
              (elem (i32.const 0) $seven)
              (func $seven (export "seven") (result i32) i32.const 7)
              (func (export "load") (param i32) (result i32) local.get 0 i32.load)
              (func (export "store") (param i32 i32) local.get 0 local.get 1 i32.store)
              (func (export "grow") (param i32) (result i32) local.get 0 memory.grow)
              (func (export "getCounter") (result i32) global.get 0))
            """;

    @Test
    void bufferViewsAndCopies() {
        try (Fixture wasm = Fixture.of(WAT)) {
            Memory memory = wasm.instance.memory();
            assertEquals(1, memory.size());
            assertEquals(Memory.PAGE_SIZE, memory.dataSize());
            ByteBuffer view = memory.buffer();
            view.putInt(8, 0x01020304);
            assertEquals(0x01020304, wasm.func("load").call(8)[0]);
            wasm.func("store").call(12, 99);
            assertEquals(99, view.getInt(12));
            memory.write(100, new byte[] {5, 6, 7});
            assertArrayEquals(new byte[] {5, 6, 7}, memory.read(100, 3));
            assertThrows(IndexOutOfBoundsException.class, () -> memory.read(Memory.PAGE_SIZE - 2, 3));
            assertThrows(IndexOutOfBoundsException.class, () -> memory.write(-1, new byte[1]));
            assertThrows(IndexOutOfBoundsException.class, () -> memory.write(Memory.PAGE_SIZE, new byte[1]));
        }
    }

    @Test
    void growMakesANewView() {
        try (Fixture wasm = Fixture.of(WAT)) {
            Memory memory = wasm.instance.memory();
            ByteBuffer before = memory.buffer();
            assertTrue(memory.grow(1));
            assertEquals(2 * Memory.PAGE_SIZE, memory.buffer().capacity());
            assertEquals(Memory.PAGE_SIZE, before.capacity());
            assertEquals(2, wasm.func("grow").call(1)[0]); // the guest grows it too
            assertEquals(3 * Memory.PAGE_SIZE, memory.buffer().capacity());
            assertFalse(memory.grow(1)); // the maximum is 3
            memory.buffer().putInt(3 * Memory.PAGE_SIZE - 4, 42);
            assertEquals(42, wasm.func("load").call(3 * Memory.PAGE_SIZE - 4)[0]);
        }
    }

    @Test
    void hostMemory() {
        try (Fixture wasm = Fixture.of(WAT); Memory memory = Memory.create(wasm.store, 1, -1)) {
            assertEquals(1, memory.size());
            assertTrue(memory.grow(2));
            assertEquals(3, memory.size());
        }
    }

    @Test
    void globals() {
        try (Fixture wasm = Fixture.of(WAT)) {
            Global counter = wasm.instance.global("counter");
            assertEquals(ValType.I32, counter.type());
            assertTrue(counter.isMutable());
            counter.set(41);
            assertEquals(41, counter.get());
            assertEquals(41, wasm.func("getCounter").call()[0]);
            Global pi = wasm.instance.global("pi");
            assertEquals(3.25, pi.get());
            assertThrows(IllegalStateException.class, () -> pi.set(1.0));
            assertThrows(IllegalArgumentException.class, () -> counter.set(1L));
            Global vec = wasm.instance.global("vec");
            byte[] bytes = (byte[]) vec.get();
            assertEquals(1, bytes[0]);
            assertEquals(2, bytes[8]);
            bytes[15] = 9;
            vec.set(bytes);
            assertArrayEquals(bytes, (byte[]) vec.get());
        }
    }

    @Test
    void tables() {
        try (Fixture wasm = Fixture.of(WAT)) {
            Table table = wasm.instance.table("table");
            assertEquals(ValType.FUNCREF, table.elementType());
            assertEquals(2, table.size());
            assertEquals(7, table.get(0).call()[0]);
            assertNull(table.get(1));
            Func seven = wasm.func("seven");
            table.set(1, seven);
            assertEquals(7, table.get(1).call()[0]);
            assertTrue(table.grow(2, null));
            assertEquals(4, table.size());
            assertFalse(table.grow(1, null));
            assertThrows(IndexOutOfBoundsException.class, () -> table.get(4));
            assertThrows(IndexOutOfBoundsException.class, () -> table.set(-1, null));
            table.set(1, null);
            assertNull(table.get(1));
            assertSame(null, table.get(3));
        }
    }
}
