package io.orca;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class AddTest {
    @Test
    void addFromTheJarsNativeLibrary() {
        try (Engine engine = new Engine();
                Store store = new Store(engine);
                Module module = Module.fromWat(engine,
                        "(module (func (export \"add\") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))");
                Instance instance = Instance.create(store, module)) {
            assertEquals(42, instance.func("add").callI32(40, 2));
            assertEquals(42, instance.func("add").call(40, 2)[0]);
        }
    }
}
