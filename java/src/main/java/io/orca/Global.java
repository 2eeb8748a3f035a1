package io.orca;

import io.orca.internal.orcaJNI;

/** A global of a store. */
public final class Global extends NativeObject {
    final Store store;

    Global(Store store, long handle) {
        super("global", handle, orcaJNI::delete_wasm_global_t, null, store);
        this.store = store;
    }

    /**
     * A new global of the store holding `value` (as Func.call takes values; not v128); IllegalArgumentException
     * for a value of another type, OrcaException (UNSUPPORTED) for v128.
     */
    public static Global create(Store store, ValType type, boolean mutable, Object value) {
        if (type == ValType.V128) {
            throw new OrcaException(OrcaException.Kind.UNSUPPORTED, "a v128 global cannot be made from Java yet");
        }
        long[] slot = new long[2];
        Values.pack(store, new ValType[] {type}, new Object[] {value}, slot, "global value");
        long handle = Native.globalNew(store.handle(), type.kind, mutable, slot[0]);
        if (handle == 0) {
            throw new OrcaException(OrcaException.Kind.UNINSTANTIABLE, "the store refused a global");
        }
        return new Global(store, handle);
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
