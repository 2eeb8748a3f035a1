package io.orca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Four threads each run 5,000 cycles of instantiate, call (through a Java host function), trap
 * (a host exception, a division by zero and an out-of-bounds access, which is a signal) and close,
 * while another thread forces garbage collections. Nothing may crash, every result is checked,
 * and the resident memory stays within 10% of what it was after a warm-up of 5,000 cycles per
 * thread (the JIT's compilations and the allocator's arenas grow memory by a few MB until then). Tagged "stress": run it with `mvn -Pstress test` (java/build.sh leaves it out); the profile
 * fixes the heap's size, so that what is measured is native memory, not the heap growing.
 */
@Tag("stress")
class StressTest {
    private static final int THREADS = 4;
    /* Measured cycles per thread, after the warm-up's (which let the JIT and the allocator settle). */
    private static final int MEASURED = Integer.getInteger("orca.stress.cycles", 5_000);
    private static final int WARM_UP = 5_000;
    private static final int CYCLES = WARM_UP + MEASURED;
    private static final long PAGE = 4096;

    private static final String WAT = """
            (module
              (import "env" "twice" (func $twice (param i32) (result i32)))
              (import "env" "fail" (func $fail))
              (memory 1)
              (func (export "run") (param i32) (result i32) local.get 0 call $twice i32.const 1 i32.add)
              (func (export "div") (param i32 i32) (result i32) local.get 0 local.get 1 i32.div_s)
              (func (export "load") (param i32) (result i32) local.get 0 i32.load)
              (func (export "fail") call $fail))
            """;

    private static long residentBytes() {
        try {
            String[] fields = Files.readString(Path.of("/proc/self/statm")).trim().split(" ");
            return Long.parseLong(fields[1]) * PAGE;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void cycle(Engine engine, Module module, int i) {
        RuntimeException thrown = new IllegalStateException("cycle " + i);
        try (Store store = new Store(engine); Linker linker = new Linker(store)) {
            ValType[] i32 = {ValType.I32};
            linker.defineFunc("env", "twice", i32, i32, (caller, args) -> 2 * (int) args[0]);
            linker.defineFunc("env", "fail", new ValType[0], new ValType[0], (caller, args) -> {
                throw thrown;
            });
            Instance instance = linker.instantiate(module);
            assertEquals(2 * i + 1, instance.func("run").callI32(i));
            assertEquals(TrapException.Code.INTEGER_DIVIDE_BY_ZERO,
                    assertThrows(TrapException.class, () -> instance.func("div").callI32(i, 0)).code());
            assertEquals(TrapException.Code.MEMORY_OUT_OF_BOUNDS,
                    assertThrows(TrapException.class, () -> instance.func("load").callI32(70_000)).code());
            assertSame(thrown, assertThrows(TrapException.class, () -> instance.func("fail").call()).getCause());
        }
    }

    /**
     * Runs the cycles on the threads; after the warm-up's cycles all threads wait while
     * `afterWarmUp` runs, so that the same threads (and their allocator arenas) go on. The first
     * failure is rethrown.
     */
    private static void runThreads(Engine engine, Module module, Runnable afterWarmUp) throws InterruptedException {
        CyclicBarrier warmedUp = new CyclicBarrier(THREADS, afterWarmUp);
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < THREADS; ++t) {
            Thread thread = new Thread(() -> {
                try {
                    for (int i = 0; i < CYCLES; ++i) {
                        if (i == WARM_UP) {
                            warmedUp.await();
                        }
                        cycle(engine, module, i);
                    }
                } catch (Throwable e) {
                    failures.add(e);
                    warmedUp.reset(); // the others must not wait for this thread
                }
            }, "stress-" + t);
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        if (!failures.isEmpty()) {
            throw new AssertionError(failures.size() + " threads failed", failures.get(0));
        }
    }

    @Test
    void cyclesOnFourThreadsWithForcedCollectionsKeepMemoryFlat() throws InterruptedException {
        AtomicBoolean done = new AtomicBoolean();
        AtomicLong collections = new AtomicLong();
        AtomicLong peak = new AtomicLong();
        AtomicBoolean measuring = new AtomicBoolean();
        Thread collector = new Thread(() -> {
            while (!done.get()) {
                System.gc();
                collections.incrementAndGet();
                if (measuring.get()) {
                    peak.accumulateAndGet(residentBytes(), Math::max);
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "stress-gc");
        collector.start();
        try (Engine engine = new Engine(new Engine.Config().cache(false));
             Module module = Module.fromWat(engine, WAT)) {
            long started = System.nanoTime();
            AtomicLong warm = new AtomicLong();
            runThreads(engine, module, () -> {
                System.gc();
                warm.set(residentBytes());
                measuring.set(true);
            });
            System.gc();
            long end = residentBytes();
            peak.accumulateAndGet(end, Math::max);
            done.set(true);
            collector.join();
            System.out.printf("stress: %d threads x %d cycles (after the warm-up) in %.1f s, %d forced collections; resident %d KiB "
                    + "after the warm-up, %d KiB at the end, %d KiB at most (%+.1f%%)%n", THREADS, MEASURED,
                    (System.nanoTime() - started) / 1e9, collections.get(), warm.get() / 1024, end / 1024,
                    peak.get() / 1024, 100.0 * (peak.get() - warm.get()) / warm.get());
            assertTrue(collections.get() > 0, "the collector thread ran");
            assertTrue(peak.get() <= warm.get() * 1.10, "resident memory grew from " + warm.get() + " to " + peak.get()
                    + " bytes after the warm-up (more than 10%)");
        } finally {
            done.set(true);
            collector.join();
        }
    }
}
