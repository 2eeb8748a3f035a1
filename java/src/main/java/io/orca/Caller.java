package io.orca;

import io.orca.internal.orcaJNI;
import java.util.function.LongUnaryOperator;

/** Who called a host function; usable during that call only (IllegalStateException after). */
public final class Caller {
    private final Store store;
    private long caller;

    Caller(Store store, long caller) {
        this.store = store;
        this.caller = caller;
    }

    public Store store() {
        return store;
    }

    /** The calling instance's exported memory, or null. */
    public Memory memory(String name) {
        long memory = export(name, orcaJNI::orca_extern_memory);
        return memory == 0 ? null : new Memory(store, memory);
    }

    /** The calling instance's exported function, or null. */
    public Func func(String name) {
        long func = export(name, orcaJNI::orca_extern_func);
        return func == 0 ? null : new Func(store, func);
    }

    private long export(String name, LongUnaryOperator cast) {
        if (caller == 0) {
            throw new IllegalStateException("a Caller is valid only during its host function's call");
        }
        return Instance.exportOf(orcaJNI.orca_caller_export(caller, name), cast);
    }

    void invalidate() {
        caller = 0;
    }
}
