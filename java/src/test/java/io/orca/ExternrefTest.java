package io.orca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import org.junit.jupiter.api.Test;

class ExternrefTest {
    @Test
    void anyJavaObjectTravelsThroughWasmAndComesBackTheSame() {
        try (Engine engine = new Engine(new Engine.Config().cache(false));
                Store store = new Store(engine);
                Linker linker = new Linker(store)) {
            linker.defineFunc("env", "size", new ValType[] {ValType.EXTERNREF}, new ValType[] {ValType.I32},
                    (caller, args) -> ((List<?>) args[0]).size());
            Instance instance = linker.instantiate(Module.fromWat(engine, """
                    (module
                      (import "env" "size" (func $size (param externref) (result i32)))
                      (global (export "kept") (mut externref) (ref.null extern))
                      (func (export "id") (param externref) (result externref) local.get 0)
                      (func (export "size") (param externref) (result i32) local.get 0 call $size)
                      (func (export "isnull") (param externref) (result i32) local.get 0 ref.is_null))
                    """));
            List<String> value = List.of("a", "b", "c");
            assertSame(value, instance.func("id").call(value)[0]);
            assertEquals(3, instance.func("size").call(value)[0]);
            assertNull(instance.func("id").call((Object) null)[0]);
            assertEquals(1, instance.func("isnull").call((Object) null)[0]);
            assertEquals(0, instance.func("isnull").call("text")[0]);
            Global kept = instance.global("kept");
            Object marker = new Object();
            kept.set(marker);
            assertSame(marker, kept.get());
        }
    }
}
