package io.orca;

import io.orca.internal.orcaJNI;

/** A table of a store; funcref elements are Func or null. */
public final class Table extends NativeObject {
    final Store store;

    Table(Store store, long handle) {
        super("table", handle, orcaJNI::delete_wasm_table_t, null, store);
        this.store = store;
    }

    public ValType elementType() {
        return ValType.of(orcaJNI.orca_table_elem_kind(handle()));
    }

    public long size() {
        return orcaJNI.wasm_table_size(handle());
    }

    /** The function at `index`, or null; IndexOutOfBoundsException past the size. */
    public Func get(int index) {
        checkFuncref();
        checkIndex(index);
        long func = Native.tableGet(handle(), index);
        return func == 0 ? null : new Func(store, func);
    }

    public void set(int index, Func func) {
        checkFuncref();
        checkIndex(index);
        if (!Native.tableSet(handle(), index, func == null ? 0 : func.handle())) {
            throw new OrcaException(OrcaException.Kind.UNLINKABLE, "the function is not of this table's store");
        }
    }

    /** Grows by `delta` elements set to `init`; false when the maximum or the store's limit refuses. */
    public boolean grow(int delta, Func init) {
        checkFuncref();
        return Native.tableGrow(handle(), delta, init == null ? 0 : init.handle());
    }

    private void checkIndex(int index) {
        if (index < 0 || index >= size()) {
            throw new IndexOutOfBoundsException("index " + index + " of a table of " + size() + " elements");
        }
    }

    private void checkFuncref() {
        if (elementType() != ValType.FUNCREF) {
            throw new OrcaException(OrcaException.Kind.UNSUPPORTED, "only funcref tables are supported for now");
        }
    }
}
