package io.orca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WasiTest {
    /** Echoes its stdin and its argument count to stdout, "err" to stderr, then exits with status 3. */
    private static final String GUEST = """
            (module
              (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
              (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
              (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes (param i32 i32) (result i32)))
              (import "wasi_snapshot_preview1" "environ_sizes_get" (func $env_sizes (param i32 i32) (result i32)))
              (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
              (memory (export "memory") 1)
              (data (i32.const 200) "err")
              (func (export "_start")
                ;; read up to 64 bytes of stdin to 100; iovec at 0, count at 8
                (i32.store (i32.const 0) (i32.const 100))
                (i32.store (i32.const 4) (i32.const 64))
                (drop (call $fd_read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 8)))
                (i32.store (i32.const 4) (i32.load (i32.const 8)))
                (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
                ;; the argument count as one digit, then the variable count
                (drop (call $args_sizes (i32.const 16) (i32.const 20)))
                (drop (call $env_sizes (i32.const 24) (i32.const 28)))
                (i32.store8 (i32.const 100) (i32.add (i32.const 48) (i32.load (i32.const 16))))
                (i32.store8 (i32.const 101) (i32.add (i32.const 48) (i32.load (i32.const 24))))
                (i32.store (i32.const 4) (i32.const 2))
                (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
                (i32.store (i32.const 0) (i32.const 200))
                (i32.store (i32.const 4) (i32.const 3))
                (drop (call $fd_write (i32.const 2) (i32.const 0) (i32.const 1) (i32.const 8)))
                (call $exit (i32.const 3))))
            """;

    @Test
    void argsEnvStdinCapturedOutputAndExitStatus() {
        try (Engine engine = new Engine(new Engine.Config().cache(false));
                Store store = new Store(engine);
                Linker linker = new Linker(store)) {
            linker.defineWasi(new WasiConfig().args("app", "--flag").env("A", "1").env("B", "2")
                    .stdin("input;".getBytes(StandardCharsets.UTF_8)));
            Instance instance = linker.instantiate(Module.fromWat(engine, GUEST));
            ExitException exit = assertThrows(ExitException.class, () -> instance.func("_start").call());
            assertEquals(3, exit.status());
            assertEquals(OrcaException.Kind.EXIT, exit.kind());
            assertEquals("input;22", new String(linker.stdout(), StandardCharsets.UTF_8));
            assertEquals("err", new String(linker.stderr(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void withoutWasiTheImportsAreMissing() {
        try (Engine engine = new Engine(new Engine.Config().cache(false));
                Store store = new Store(engine);
                Linker linker = new Linker(store)) {
            assertThrows(LinkException.class, () -> linker.instantiate(Module.fromWat(engine, GUEST)));
            assertEquals(0, linker.stdout().length);
            assertThrows(IllegalArgumentException.class, () -> linker.defineWasi(new WasiConfig().args("a\0b")));
        }
    }
}
