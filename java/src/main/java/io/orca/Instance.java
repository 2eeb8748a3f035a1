package io.orca;

import io.orca.internal.orcaJNI;
import java.util.function.LongUnaryOperator;

/** An instantiated module; its exports by name. It lives in (and closes with) its store. */
public final class Instance extends NativeObject {
    final Store store;

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
        long func = export(name, orcaJNI::orca_extern_func);
        return func == 0 ? null : new Func(store, func);
    }

    /** The exported memory, or null. */
    public Memory memory(String name) {
        long memory = export(name, orcaJNI::orca_extern_memory);
        return memory == 0 ? null : new Memory(store, memory);
    }

    /** The memory exported as "memory", or null. */
    public Memory memory() {
        return memory("memory");
    }

    /** The exported global, or null. */
    public Global global(String name) {
        long global = export(name, orcaJNI::orca_extern_global);
        return global == 0 ? null : new Global(store, global);
    }

    /** The exported table, or null. */
    public Table table(String name) {
        long table = export(name, orcaJNI::orca_extern_table);
        return table == 0 ? null : new Table(store, table);
    }

    private long export(String name, LongUnaryOperator cast) {
        return exportOf(orcaJNI.orca_instance_export(handle(), name), cast);
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
