package io.orca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineStoreTest {
    private static final String LOOP = """
            (module
              (memory (export "memory") 1)
              (func (export "spin") (loop $again br $again))
              (func (export "count") (param i32) (result i32)
                (local $i i32)
                (loop $again
                  (local.set $i (i32.add (local.get $i) (i32.const 1)))
                  (br_if $again (i32.lt_u (local.get $i) (local.get 0))))
                (local.get $i))
              (func (export "grow") (param i32) (result i32) local.get 0 memory.grow)
              (func (export "load") (param i32) (result i32) local.get 0 i32.load offset=0))
            """;

    @Test
    void fuelIsMeteredAndRunsOut() {
        try (Fixture wasm = Fixture.of(new Engine.Config().consumeFuel(true), LOOP)) {
            wasm.store.setFuel(1_000_000);
            assertEquals(1000, wasm.func("count").call(1000)[0]);
            long left = wasm.store.fuel();
            assertTrue(left < 1_000_000 && left > 0, "fuel left: " + left);
            TrapException out = assertThrows(TrapException.class, () -> wasm.func("spin").call());
            assertEquals(TrapException.Code.OUT_OF_FUEL, out.code());
        }
    }

    @Test
    void fuelWithoutMeteringIsUnsupported() {
        try (Fixture wasm = Fixture.of(LOOP)) {
            OrcaException error = assertThrows(OrcaException.class, () -> wasm.store.setFuel(10));
            assertEquals(OrcaException.Kind.UNSUPPORTED, error.kind());
        }
    }

    @Test
    void deadlineInterruptsALoop() {
        try (Fixture wasm = Fixture.of(LOOP)) {
            wasm.store.setDeadline(Duration.ofMillis(50));
            TrapException stopped = assertThrows(TrapException.class, () -> wasm.func("spin").call());
            assertEquals(TrapException.Code.INTERRUPTED, stopped.code());
        }
    }

    @Test
    void interruptFromAnotherThread() throws Exception {
        try (Fixture wasm = Fixture.of(LOOP)) {
            Thread interrupter = new Thread(() -> {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                wasm.store.interrupt();
            });
            interrupter.start();
            TrapException stopped = assertThrows(TrapException.class, () -> wasm.func("spin").call());
            assertEquals(TrapException.Code.INTERRUPTED, stopped.code());
            interrupter.join();
            wasm.store.interrupt();
            wasm.store.clearInterrupt();
            assertEquals(3, wasm.func("count").call(3)[0]);
        }
    }

    @Test
    void threadInterruptStopsTheGuestOfThatThread() throws Exception {
        try (Fixture wasm = Fixture.of(LOOP)) {
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            AtomicBoolean stillInterrupted = new AtomicBoolean();
            AtomicInteger afterwards = new AtomicInteger();
            Thread guest = new Thread(() -> {
                try {
                    wasm.func("spin").call();
                } catch (Throwable t) {
                    thrown.set(t);
                }
                // Like an interruptible channel, the flag stays set; once cleared, calls run again.
                stillInterrupted.set(Thread.interrupted());
                afterwards.set(wasm.func("count").callI32(5));
            });
            guest.start();
            Thread.sleep(100);
            guest.interrupt();
            guest.join(10_000);
            TrapException trap = assertInstanceOf(TrapException.class, thrown.get());
            assertEquals(TrapException.Code.INTERRUPTED, trap.code());
            assertTrue(stillInterrupted.get());
            assertEquals(5, afterwards.get());
        }
    }

    @Test
    void notInterruptibleRefusesInterrupts() {
        try (Fixture wasm = Fixture.of(new Engine.Config().interruptible(false), LOOP)) {
            OrcaException error = assertThrows(OrcaException.class, wasm.store::interrupt);
            assertEquals(OrcaException.Kind.UNSUPPORTED, error.kind());
        }
    }

    @Test
    void cacheDirectoryReceivesCompiledCode(@TempDir Path dir) throws Exception {
        try (Fixture wasm = Fixture.of(new Engine.Config().optLevel(0).cacheDir(dir), LOOP);
                Stream<Path> files = Files.list(dir)) {
            assertTrue(files.findAny().isPresent(), "the cache directory stayed empty");
        }
    }

    @Test
    void boundsChecksStillTrap() {
        try (Fixture wasm = Fixture.of(new Engine.Config().boundsChecks(true), LOOP)) {
            assertEquals(TrapException.Code.MEMORY_OUT_OF_BOUNDS,
                    assertThrows(TrapException.class, () -> wasm.func("load").call(65533)).code());
        }
    }

    @Test
    void featuresTurnOffAndUnimplementedOnesAreRefused() {
        try (Engine engine = new Engine(new Engine.Config().feature(Engine.Feature.SIMD, false))) {
            OrcaException invalid = assertThrows(OrcaException.class, () -> Module.fromWat(engine,
                    "(module (func (param v128)))"));
            assertEquals(OrcaException.Kind.INVALID, invalid.kind());
        }
        OrcaException refused = assertThrows(OrcaException.class,
                () -> new Engine(new Engine.Config().feature(Engine.Feature.GC, true)));
        assertEquals(OrcaException.Kind.UNSUPPORTED, refused.kind());
        assertThrows(IllegalArgumentException.class, () -> new Engine.Config().optLevel(4));
    }

    @Test
    void limitsStopMemoryGrowth() {
        try (Fixture wasm = Fixture.of(LOOP)) {
            wasm.store.setLimits(2 * Memory.PAGE_SIZE, -1, -1, -1, -1);
            assertEquals(1, wasm.func("grow").call(1)[0]);
            assertEquals(-1, wasm.func("grow").call(1)[0]);
            assertFalse(wasm.instance.memory().grow(1));
            assertEquals(2, wasm.instance.memory().size());
        }
    }

    @Test
    void versionIsTheProjects() {
        assertEquals("0.1.0", Engine.version());
    }
}
