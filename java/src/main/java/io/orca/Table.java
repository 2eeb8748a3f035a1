package io.orca;

import io.orca.internal.orcaJNI;

/**
 * A table of a store. Elements are values as Func.call gives them: a Func or null in a funcref
 * table, any object or null in an externref table (element, setElement, growElements); get, set
 * and grow are their typed forms for funcref tables.
 */
public final class Table extends NativeObject {
    final Store store;

    Table(Store store, long handle) {
        super("table", handle, orcaJNI::delete_wasm_table_t, null, store);
        this.store = store;
    }

    /**
     * A new table of the store of `min` null elements that may grow to `max` (-1: no maximum);
     * OrcaException (UNINSTANTIABLE) when the store's limits refuse it.
     */
    public static Table create(Store store, ValType elementType, int min, int max) {
        if (elementType != ValType.FUNCREF && elementType != ValType.EXTERNREF) {
            throw new IllegalArgumentException("a table holds funcref or externref, not " + elementType);
        }
        long handle = Native.tableNew(store.handle(), elementType.kind, min, max);
        if (handle == 0) {
            throw new OrcaException(OrcaException.Kind.UNINSTANTIABLE, "the store refused a table of " + min
                    + " elements (limits?)");
        }
        return new Table(store, handle);
    }

    public ValType elementType() {
        return ValType.of(orcaJNI.orca_table_elem_kind(handle()));
    }

    public long size() {
        return orcaJNI.wasm_table_size(handle());
    }

    /** The minimum size of the table's type. */
    public long minimum() {
        return orcaJNI.orca_table_limit(handle(), false);
    }

    /** The maximum size of the table's type, or -1 when it has none. */
    public long maximum() {
        return orcaJNI.orca_table_limit(handle(), true);
    }

    /** The element at `index` (Func or null, or the externref's object); IndexOutOfBoundsException past the size. */
    public Object element(int index) {
        ValType[] type = {elementType()};
        checkIndex(index);
        long[] slot = {Native.tableGet(store.handle(), handle(), index, type[0].kind), 0};
        return Values.unpack(store, type, slot)[0];
    }

    /** Sets the element at `index`; IllegalArgumentException for a value of another type or store. */
    public void setElement(int index, Object value) {
        ValType[] type = {elementType()};
        checkIndex(index);
        long raw = pack(type, value, "table element");
        if (!Native.tableSet(store.handle(), handle(), index, type[0].kind, raw)) {
            throw new OrcaException(OrcaException.Kind.UNLINKABLE, "the table refused the element");
        }
    }

    /** Grows by `delta` elements set to `init`; false when the maximum or the store's limit refuses. */
    public boolean growElements(int delta, Object init) {
        ValType[] type = {elementType()};
        long raw = pack(type, init, "table initial value");
        return Native.tableGrow(store.handle(), handle(), delta, type[0].kind, raw);
    }

    /** The function at `index` of a funcref table, or null; IndexOutOfBoundsException past the size. */
    public Func get(int index) {
        checkFuncref();
        return (Func) element(index);
    }

    public void set(int index, Func func) {
        checkFuncref();
        setElement(index, func);
    }

    /** Grows a funcref table by `delta` elements set to `init`; false when a limit refuses. */
    public boolean grow(int delta, Func init) {
        checkFuncref();
        return growElements(delta, init);
    }

    private long pack(ValType[] type, Object value, String what) {
        long[] slot = new long[2];
        Values.pack(store, type, new Object[] {value}, slot, what);
        return slot[0];
    }

    private void checkIndex(int index) {
        if (index < 0 || index >= size()) {
            throw new IndexOutOfBoundsException("index " + index + " of a table of " + size() + " elements");
        }
    }

    private void checkFuncref() {
        if (elementType() != ValType.FUNCREF) {
            throw new OrcaException(OrcaException.Kind.UNSUPPORTED, "get, set and grow take funcref tables; use "
                    + "element, setElement and growElements for a table of " + elementType());
        }
    }
}
