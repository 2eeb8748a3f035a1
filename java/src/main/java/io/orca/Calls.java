package io.orca;

import java.util.function.LongSupplier;

/**
 * Runs guest code so that the Throwable a Java host function threw becomes the cause of the
 * TrapException that its trap turned into (HostBridge keeps it per thread until then).
 */
final class Calls {
    private Calls() {
    }

    static long withHostCause(LongSupplier run) {
        HostBridge.takeFailure();
        try {
            return run.getAsLong();
        } catch (OrcaException e) {
            Throwable failure = HostBridge.takeFailure();
            if (failure != null && e instanceof TrapException trap && trap.code() == TrapException.Code.HOST_ERROR
                    && e.getCause() == null) {
                e.initCause(failure);
            }
            throw e;
        }
    }

    static void call(long func, long[] slots) {
        withHostCause(() -> {
            Native.call(func, slots);
            return 0;
        });
    }
}
