package io.orca;

import io.orca.internal.orcaJNI;

/** A global of a store. */
public final class Global extends NativeObject {
    final Store store;

    Global(Store store, long handle) {
        super("global", handle, orcaJNI::delete_wasm_global_t, null, store);
        this.store = store;
    }

    public ValType type() {
        return ValType.of(orcaJNI.orca_global_kind(handle()));
    }

    public boolean isMutable() {
        return orcaJNI.orca_global_mutable(handle());
    }

    /** The value, as Func.call gives values. */
    public Object get() {
        long[] slot = new long[2];
        Native.globalGet(handle(), slot);
        return Values.unpack(store, new ValType[] {type()}, slot)[0];
    }

    /** Sets a mutable global; IllegalStateException for a const one. */
    public void set(Object value) {
        long[] slot = new long[2];
        Values.pack(store, new ValType[] {type()}, new Object[] {value}, slot, "global value");
        if (!Native.globalSet(handle(), slot[0], slot[1])) {
            throw new IllegalStateException("the global is immutable");
        }
    }
}
