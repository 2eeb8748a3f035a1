package io.orca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** Instance.close and Store.collect: a long-lived store with an instance per request stays bounded. */
class InstanceCloseTest {
    private static final String REQUEST = """
            (module (memory (export "memory") 1)
              (func (export "handle") (param i32) (result i32)
                (i32.store (i32.const 0) (local.get 0))
                (i32.add (i32.load (i32.const 0)) (i32.const 1))))""";

    private static Engine engine() {
        return new Engine(new Engine.Config().cache(false));
    }

    @Test
    void aRequestPerInstanceLeavesTheStoreBounded() {
        try (Engine engine = engine(); Store store = new Store(engine); Module request = Module.fromWat(engine, REQUEST)) {
            long highest = 0;
            for (int i = 0; i < 20_000; i++) {
                try (Instance instance = Instance.create(store, request)) {
                    assertEquals(i + 1, instance.func("handle").callI32(i));
                    instance.memory().read(0, 4);
                }
                highest = Math.max(highest, store.instanceCount());
            }
            store.collect();
            assertEquals(0, store.instanceCount());
            // Instantiation collects by itself once the store has doubled: it never held them all.
            assertTrue(highest < 100, "the store held " + highest + " instances at once");
        }
    }

    @Test
    void exportsOfAClosedInstanceThrow() {
        try (Engine engine = engine(); Store store = new Store(engine); Module request = Module.fromWat(engine, REQUEST)) {
            Instance instance = Instance.create(store, request);
            Func handle = instance.func("handle");
            Memory memory = instance.memory();
            assertTrue(handle == instance.func("handle"), "one object per export");
            handle.callI32(41);
            byte[] copy = memory.read(0, 4);
            instance.close();
            instance.close();
            assertTrue(handle.isClosed() && memory.isClosed());
            assertEquals(1, store.collect());
            assertThrows(IllegalStateException.class, () -> handle.callI32(1));
            assertThrows(IllegalStateException.class, () -> memory.read(0, 4));
            assertThrows(IllegalStateException.class, () -> instance.func("handle"));
            assertEquals(41, copy[0]);
        }
    }

    @Test
    void aBufferViewKeepsItsMemoryMapped() {
        try (Engine engine = engine(); Store store = new Store(engine); Module request = Module.fromWat(engine, REQUEST)) {
            Instance instance = Instance.create(store, request);
            instance.func("handle").callI32(41);
            ByteBuffer view = instance.memory().buffer();
            instance.close();
            assertEquals(0, store.collect());
            assertEquals(1, store.instanceCount());
            assertEquals(41, view.getInt(0));
        }
    }

    @Test
    void anInstanceKeptThroughAnImporterStaysUsable() {
        try (Engine engine = engine(); Store store = new Store(engine)) {
            Instance counter = Instance.create(store, Module.fromWat(engine, """
                    (module (global $n (mut i32) (i32.const 0))
                      (func (export "next") (result i32)
                        (global.set $n (i32.add (global.get $n) (i32.const 1))) (global.get $n)))"""));
            Instance user;
            try (Linker linker = new Linker(store)) {
                linker.define("counter", "next", counter.func("next"));
                user = linker.instantiate(Module.fromWat(engine, """
                        (module (import "counter" "next" (func $next (result i32)))
                          (func (export "twice") (result i32) (drop (call $next)) (call $next)))"""));
            }
            counter.close();
            assertEquals(0, store.collect());
            assertEquals(2, store.instanceCount());
            assertEquals(2, user.func("twice").callI32());
            assertEquals(4, user.func("twice").callI32());
            user.close();
            assertEquals(2, store.collect());
        }
    }

    @Test
    void aHostFunctionMayCloseItsOwnInstance() {
        try (Engine engine = engine(); Store store = new Store(engine); Linker linker = new Linker(store)) {
            Instance[] self = new Instance[1];
            long[] collectedDuringCall = {-1};
            linker.defineFunc("host", "done", new ValType[0], new ValType[0], (caller, args) -> {
                self[0].close();
                collectedDuringCall[0] = store.collect();
                return null;
            });
            self[0] = linker.instantiate(Module.fromWat(engine, """
                    (module (import "host" "done" (func $done))
                      (func (export "run") (result i32) (call $done) (i32.const 7)))"""));
            Func run = self[0].func("run");
            assertEquals(7, run.callI32());
            assertEquals(0, collectedDuringCall[0]);
            assertTrue(run.isClosed());
            assertThrows(IllegalStateException.class, run::callI32);
            linker.close();
            assertEquals(1, store.collect());
        }
    }
}
