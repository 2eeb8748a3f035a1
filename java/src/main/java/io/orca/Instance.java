package io.orca;

import io.orca.internal.orcaJNI;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongFunction;
import java.util.function.LongUnaryOperator;

/**
 * An instantiated module; its exports by name. It lives in (and closes with) its store; closing
 * it lets a long-lived store free it (see {@link #close()}).
 */
public final class Instance extends NativeObject {
    final Store store;
    /* The exports handed out, one per name, which close() closes with the instance; guarded by `this`. */
    private final Map<String, NativeObject> exports = new HashMap<>();

    Instance(Store store, long handle) {
        super("instance", handle, orcaJNI::delete_wasm_instance_t, null, store);
        this.store = store;
    }

    /** Instantiates a module that has no imports. */
    public static Instance create(Store store, Module module) {
        try (Linker linker = new Linker(store)) {
            return linker.instantiate(module);
        }
    }

    /** The exported function, or null when there is no function of that name. */
    public Func func(String name) {
        return export(name, Func.class, orcaJNI::orca_extern_func, func -> new Func(store, func));
    }

    /** The exported memory, or null. */
    public Memory memory(String name) {
        return export(name, Memory.class, orcaJNI::orca_extern_memory, memory -> new Memory(store, memory));
    }

    /** The memory exported as "memory", or null. */
    public Memory memory() {
        return memory("memory");
    }

    /** The exported global, or null. */
    public Global global(String name) {
        return export(name, Global.class, orcaJNI::orca_extern_global, global -> new Global(store, global));
    }

    /** The exported table, or null. */
    public Table table(String name) {
        return export(name, Table.class, orcaJNI::orca_extern_table, table -> new Table(store, table));
    }

    /**
     * The export of that name and kind: the object handed out before unless it was closed, else a
     * new one whose handle `cast` makes of the extern (0 for another kind). Exports belong to the
     * store, not to this object: when the Cleaner releases an instance that was not closed, the
     * exports taken from it stay usable (each keeps the instance in the store).
     */
    private synchronized <T extends NativeObject> T export(String name, Class<T> kind, LongUnaryOperator cast,
            LongFunction<T> wrap) {
        long instance = handle();
        NativeObject known = exports.get(name);
        if (kind.isInstance(known) && !known.isClosed()) {
            return kind.cast(known);
        }
        long handle = exportOf(orcaJNI.orca_instance_export(instance, name), cast);
        if (handle == 0) {
            return null;
        }
        T made = wrap.apply(handle);
        exports.put(name, made);
        return made;
    }

    /**
     * Lets the store free the instance: its exports taken from it (functions, memories, globals,
     * tables) throw IllegalStateException from then on, and the store frees it with its memories
     * and tables at its next collection ({@link Store#collect()}, or the one instantiation makes
     * by itself) unless something else keeps it: an instance that imports what it defined, a
     * linker that defines its exports, a table or global holding one of its functions, or an
     * object Java got otherwise (a funcref from a call or a table, a Caller's export) that is
     * neither closed nor cleaned yet. A {@link Memory#buffer()} view keeps its memory mapped
     * while it is reachable. A host function may close its own instance: the handles go when the
     * outermost call returns. Safe twice.
     */
    @Override
    public void close() {
        synchronized (this) {
            exports.values().forEach(store::closeWhenIdle);
            exports.clear();
        }
        store.closeWhenIdle(this);
    }

    /** The handle of its kind that `cast` makes of an extern (0 for another kind); the extern is freed. */
    static long exportOf(long item, LongUnaryOperator cast) {
        if (item == 0) {
            return 0;
        }
        try {
            return cast.applyAsLong(item);
        } finally {
            orcaJNI.delete_wasm_extern_t(item);
        }
    }
}
