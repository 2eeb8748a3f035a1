package io.orca;

import java.util.function.LongSupplier;

/**
 * Runs guest code for the Java layer: the Throwable a Java host function threw becomes the cause
 * of the TrapException that its trap turned into (HostBridge keeps it per thread until then), and
 * the store is marked as running on this thread so that Thread.interrupt() stops it
 * (InterruptWatch).
 */
final class Calls {
    private Calls() {
    }

    static long run(Store store, LongSupplier guest) {
        HostBridge.takeFailure();
        store.enter();
        try {
            return guest.getAsLong();
        } catch (OrcaException e) {
            Throwable failure = HostBridge.takeFailure();
            // A host function's exception, or the trap of a nested call it passed on, is the cause.
            if (failure != null && e.getCause() == null) {
                e.initCause(failure);
            }
            throw e;
        } finally {
            store.leave();
        }
    }

    static void call(Store store, long func, long[] slots) {
        run(store, () -> {
            Native.call(func, slots);
            return 0;
        });
    }
}
