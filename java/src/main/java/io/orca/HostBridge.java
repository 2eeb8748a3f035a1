package io.orca;

import java.lang.ref.WeakReference;

/**
 * What the native host-call stub runs (java/src/main/native/orca_jni_host.c): it unpacks the
 * slots, runs the user's function and packs its results. A Throwable is kept for the thread's
 * current call (Calls) and its message becomes the trap's.
 */
final class HostBridge {
    private static final ThreadLocal<Throwable> FAILURE = new ThreadLocal<>();

    /* Weak: the native side holds this bridge until the store is deleted, so a strong reference
     * would keep an unclosed Store from ever becoming unreachable. During a call it is reachable. */
    private final WeakReference<Store> store;
    private final ValType[] params;
    private final ValType[] results;
    private final HostFunction function;

    HostBridge(Store store, ValType[] params, ValType[] results, HostFunction function) {
        this.store = new WeakReference<>(store);
        this.params = params.clone();
        this.results = results.clone();
        this.function = function;
    }

    /**
     * Called from native code after invoke failed: a copy of the native trap behind what the
     * function threw (an OrcaException of a nested call it let escape), or 0. Passing that trap on
     * keeps the guest's code and message, as the C API does for a trap a host returns.
     */
    static long passedTrap() {
        return FAILURE.get() instanceof OrcaException escaped ? escaped.copyOfTrap() : 0;
    }

    static Throwable takeFailure() {
        Throwable failure = FAILURE.get();
        FAILURE.remove();
        return failure;
    }

    /** Called from native code; null on success, else the trap's message. */
    String invoke(long callerHandle, long[] slots) {
        Store store = this.store.get();
        Caller caller = new Caller(store, callerHandle);
        try {
            Object result = function.call(caller, Values.unpack(store, params, slots));
            Object[] values;
            if (results.length == 0) {
                values = new Object[0];
            } else if (results.length == 1) {
                values = new Object[] {result};
            } else if (result instanceof Object[] many) {
                values = many;
            } else {
                throw new IllegalArgumentException("a host function with " + results.length
                        + " results must return an Object[]");
            }
            Values.pack(store, results, values, slots, "host function result");
            return null;
        } catch (Throwable t) {
            FAILURE.set(t);
            String message = t.getMessage();
            return t.getClass().getName() + (message == null ? "" : ": " + message);
        } finally {
            caller.invalidate();
        }
    }
}
