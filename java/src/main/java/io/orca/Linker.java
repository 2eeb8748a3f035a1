package io.orca;

import io.orca.internal.orcaJNI;
import java.lang.ref.Reference;

/**
 * Definitions by module and name in one store, and instantiation that resolves a module's imports
 * by name. A missing or mismatched import is a LinkException naming it.
 */
public final class Linker extends NativeObject {
    final Store store;
    private long wasiEnv;

    public Linker(Store store) {
        super("linker", orcaJNI.orca_linker_new(store.handle()), orcaJNI::delete_orca_linker_t, null, store);
        this.store = store;
    }

    /** Whether a second definition of a name replaces the first (else it is a LinkException). */
    public void allowShadowing(boolean allow) {
        orcaJNI.orca_linker_allow_shadowing(handle(), allow);
    }

    /** Defines a function, memory, global or table of this linker's store. */
    public void define(String module, String name, Object item) {
        long linker = handle();
        if (item instanceof Func func) {
            orcaJNI.orca_linker_define_func_item(linker, module, name, func.handle());
        } else if (item instanceof Memory memory) {
            orcaJNI.orca_linker_define_memory(linker, module, name, memory.handle());
        } else if (item instanceof Global global) {
            orcaJNI.orca_linker_define_global(linker, module, name, global.handle());
        } else if (item instanceof Table table) {
            orcaJNI.orca_linker_define_table(linker, module, name, table.handle());
        } else {
            throw new IllegalArgumentException("a linker defines a Func, Memory, Global or Table, not "
                    + (item == null ? "null" : item.getClass().getName()));
        }
    }

    /** Defines a host function (Func.host) and returns it. */
    public Func defineFunc(String module, String name, ValType[] params, ValType[] results, HostFunction function) {
        Func func = Func.host(store, params, results, function);
        define(module, name, func);
        return func;
    }

    /** Defines every export of the instance under the module name. */
    public void defineInstance(String module, Instance instance) {
        orcaJNI.orca_linker_define_instance(handle(), module, instance.handle());
    }

    /** Defines every WASI preview1 function for a guest configured so; once per linker. */
    public void defineWasi(WasiConfig config) {
        long linker = handle();
        long wasi = orcaJNI.wasi_config_new();
        try {
            orcaJNI.orca_wasi_config_args(wasi, WasiConfig.words(config.args));
            if (config.inheritEnv) {
                orcaJNI.wasi_config_inherit_env(wasi);
            } else {
                orcaJNI.orca_wasi_config_env(wasi, WasiConfig.words(config.env));
            }
            for (String[] preopen : config.preopens) {
                orcaJNI.wasi_config_preopen_dir(wasi, preopen[0], preopen[1]);
            }
            if (config.inheritStdin) {
                orcaJNI.wasi_config_inherit_stdin(wasi);
            } else if (config.stdin != null) {
                orcaJNI.wasi_config_set_stdin_bytes(wasi, config.stdin);
            }
            if (config.inheritStdout) {
                orcaJNI.wasi_config_inherit_stdout(wasi);
            } else {
                orcaJNI.wasi_config_capture_stdout(wasi);
            }
            if (config.inheritStderr) {
                orcaJNI.wasi_config_inherit_stderr(wasi);
            } else {
                orcaJNI.wasi_config_capture_stderr(wasi);
            }
        } catch (RuntimeException e) {
            orcaJNI.delete_wasi_config_t(wasi);
            throw e;
        }
        wasiEnv = orcaJNI.orca_linker_define_wasi(linker, wasi); // takes the configuration
    }

    /** What the WASI guest wrote to stdout so far (captured), or empty. */
    public byte[] stdout() {
        handle();
        return wasiEnv == 0 ? new byte[0] : orcaJNI.wasi_env_stdout(wasiEnv);
    }

    /** What the WASI guest wrote to stderr so far (captured), or empty. */
    public byte[] stderr() {
        handle();
        return wasiEnv == 0 ? new byte[0] : orcaJNI.wasi_env_stderr(wasiEnv);
    }

    /** Instantiates the module (running its start function); LinkException names a bad import. */
    public Instance instantiate(Module module) {
        try {
            return new Instance(store, Calls.run(store, () -> orcaJNI.orca_linker_instantiate(handle(), module.handle())));
        } finally {
            // Neither may be freed by the Cleaner while the start function runs (see Calls.call).
            Reference.reachabilityFence(this);
            Reference.reachabilityFence(module);
        }
    }
}
