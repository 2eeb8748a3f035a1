package io.orca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Orca and the JVM share SIGSEGV and SIGFPE: wasm's out-of-bounds accesses fault in the guard
 * pages and Orca claims them; the JVM's implicit null checks and safepoint polls fault too and
 * must reach the JVM. Both happen here at once, on several threads, while the GC runs.
 */
class SignalTest {
    private static final String WAT = """
            (module
              (import "env" "allocate" (func $allocate (param i32) (result i32)))
              (memory 1)
              (func (export "load") (param i32) (result i32) local.get 0 i32.load)
              (func (export "div") (param i32 i32) (result i32) local.get 0 local.get 1 i32.div_u)
              (func $deep (export "deep") (param i32) (result i32) local.get 0 call $deep)
              (func (export "host") (param i32) (result i32) local.get 0 call $allocate))
            """;
    private static final int THREADS = 4;
    private static final int ROUNDS = 400;

    private static Object nothing;

    /** Fails by the JVM's own SIGSEGV (an implicit null check once the JIT compiled it). */
    private static int nullLength(int i) {
        Object value = (i & 1) == 0 ? nothing : "x";
        return value.hashCode() & 1;
    }

    private static int guestRounds(Engine engine, Module module) {
        int traps = 0;
        try (Store store = new Store(engine); Linker linker = new Linker(store)) {
            linker.defineFunc("env", "allocate", new ValType[] {ValType.I32}, new ValType[] {ValType.I32},
                    (caller, args) -> new byte[4096 + (int) args[0]].length);
            Instance instance = linker.instantiate(module);
            Func load = instance.func("load");
            Func div = instance.func("div");
            Func deep = instance.func("deep");
            Func host = instance.func("host");
            for (int round = 0; round < ROUNDS; ++round) {
                try {
                    load.callI32(65536 + round);
                } catch (TrapException e) {
                    traps += e.code() == TrapException.Code.MEMORY_OUT_OF_BOUNDS ? 1 : 0;
                }
                try {
                    div.callI32(round, 0);
                } catch (TrapException e) {
                    traps += e.code() == TrapException.Code.INTEGER_DIVIDE_BY_ZERO ? 1 : 0;
                }
                if (round % 20 == 0) {
                    try {
                        deep.callI32(round);
                    } catch (TrapException e) {
                        traps += e.code() == TrapException.Code.STACK_EXHAUSTED ? 1 : 0;
                    }
                }
                traps += host.callI32(round) == 4096 + round ? 0 : 1000;
                for (int i = 0; i < 50; ++i) {
                    try {
                        nullLength(i);
                    } catch (NullPointerException e) {
                        traps += 1;
                    }
                }
            }
        }
        return traps;
    }

    @Test
    void trapsOnManyThreadsWhileTheJvmCollects() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong collections = new AtomicLong();
        Thread collector = new Thread(() -> {
            List<byte[]> garbage = new ArrayList<>();
            while (!stop.get()) {
                for (int i = 0; i < 64; ++i) {
                    garbage.add(new byte[64 * 1024]);
                }
                garbage.clear();
                System.gc();
                collections.incrementAndGet();
            }
        });
        collector.start();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try (Engine engine = new Engine(new Engine.Config().cache(false));
                Module module = Module.fromWat(engine, WAT)) {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < THREADS; ++t) {
                results.add(pool.submit(() -> guestRounds(engine, module)));
            }
            // Per round: two traps, every 20th a third, and 25 NullPointerExceptions of the JVM.
            int expected = 2 * ROUNDS + ROUNDS / 20 + 25 * ROUNDS;
            for (Future<Integer> result : results) {
                assertEquals(expected, result.get(5, TimeUnit.MINUTES));
            }
        } finally {
            stop.set(true);
            collector.join();
            pool.shutdown();
        }
        System.out.println("SignalTest: " + THREADS + " threads x " + ROUNDS + " rounds, " + collections.get()
                + " forced GCs");
        assertTrue(collections.get() > 0);
    }
}
