package io.orca;

import java.lang.ref.Reference;
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

    /**
     * Calls the function. It stays reachable until the call returns: its handle is freed by the
     * Cleaner once the Func is unreachable, and a temporary (instance.func("f").call()) is
     * unreachable for the JIT as soon as its handle was read, while the native call still uses it.
     */
    static void call(Store store, Func func, long[] slots) {
        try {
            run(store, () -> {
                Native.call(func.handle(), slots);
                return 0;
            });
        } finally {
            Reference.reachabilityFence(func);
        }
    }
}
