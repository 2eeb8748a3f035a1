package io.orca;

import io.orca.internal.orcaJNI;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

/**
 * Compiles modules; shareable across threads. Stores and modules of an engine keep its native
 * part alive, so closing the engine early never frees what they still use.
 */
public final class Engine extends NativeObject {
    /** WebAssembly proposals, in the order of orca.h's orca_feature_enum. */
    public enum Feature {
        MUTABLE_GLOBALS, SATURATING_FLOAT_TO_INT, SIGN_EXTENSION, MULTI_VALUE, BULK_MEMORY, REFERENCE_TYPES, SIMD,
        THREADS, MEMORY64, TAIL_CALL, EXCEPTIONS, GC
    }

    /** When an engine compiles a module's functions (Config.compile). */
    public enum CompileStrategy {
        /** The whole module, optimised, when it is created (the default). */
        EAGER,
        /** Each function when it is first called, fast and less optimised: a large module starts at once. */
        LAZY
    }

    /**
     * What a module may declare, in the order of orca.h's orca_limit_enum (Config.limit). A module
     * over a limit is refused with OrcaException (kind UNSUPPORTED) naming the limit.
     */
    public enum Limit {
        /** The binary's size in bytes. */
        MODULE_BYTES,
        TYPES,
        /** Imported and defined. */
        FUNCTIONS,
        IMPORTS,
        EXPORTS,
        /** Imported and defined. */
        GLOBALS,
        /** Imported and defined. */
        TABLES,
        DATA_SEGMENTS,
        /** Of one function type. */
        PARAMS,
        /** Of one function type. */
        RESULTS,
        /** Of one body, local declarations included. */
        FUNCTION_BODY_BYTES,
        /** Of one function, parameters included. */
        LOCALS,
        /** Blocks, loops and ifs open at once. */
        NESTING_DEPTH,
        /** Of one br_table, the default included. */
        BR_TABLE_TARGETS
    }

    /** As a limit's value: none. */
    public static final long NO_LIMIT = -1;

    /** How an engine compiles. Defaults: no fuel, interruptible, the user's module cache on, -O2. */
    public static final class Config {
        private boolean consumeFuel;
        private boolean interruptible = true;
        private boolean cache = true;
        private Path cacheDir;
        private int optLevel = 2;
        private boolean boundsChecks;
        private final Map<Feature, Boolean> features = new EnumMap<>(Feature.class);
        private CompileStrategy compile = CompileStrategy.EAGER;
        private final Map<Limit, Long> limits = new EnumMap<>(Limit.class);

        /** Meter fuel: a store then starts with none (Store.setFuel), and running out traps. */
        public Config consumeFuel(boolean enable) {
            consumeFuel = enable;
            return this;
        }

        /** Compile the checks that Store.interrupt and deadlines need (on by default). */
        public Config interruptible(boolean enable) {
            interruptible = enable;
            return this;
        }

        /** Keep compiled code in the user's cache directory (on by default). */
        public Config cache(boolean enable) {
            cache = enable;
            return this;
        }

        /** Keep compiled code in this directory instead (turns the cache on). */
        public Config cacheDir(Path directory) {
            cacheDir = directory;
            cache = true;
            return this;
        }

        /** 0..3 (2 by default). */
        public Config optLevel(int level) {
            if (level < 0 || level > 3) {
                throw new IllegalArgumentException("optLevel must be 0..3, not " + level);
            }
            optLevel = level;
            return this;
        }

        /** Compare every memory access with the size instead of relying on guard pages. */
        public Config boundsChecks(boolean enable) {
            boundsChecks = enable;
            return this;
        }

        /** When functions are compiled (EAGER by default). */
        public Config compile(CompileStrategy strategy) {
            if (strategy == null) {
                throw new IllegalArgumentException("the compile strategy is EAGER or LAZY, not null");
            }
            compile = strategy;
            return this;
        }

        /**
         * Bounds what a module may declare: `value` from 0, or NO_LIMIT. Limits not set keep Orca's
         * defaults (Engine.limit shows them).
         */
        public Config limit(Limit limit, long value) {
            if (limit == null) {
                throw new IllegalArgumentException("a limit is one of Engine.Limit, not null");
            }
            if (value < 0 && value != NO_LIMIT) {
                throw new IllegalArgumentException("the limit " + limit + " is from 0, or NO_LIMIT, not " + value);
            }
            limits.put(limit, value);
            return this;
        }

        /** Turns a proposal on or off; Engine's constructor fails for one Orca does not implement. */
        public Config feature(Feature feature, boolean enable) {
            features.put(feature, enable);
            return this;
        }
    }

    public Engine() {
        this(new Config());
    }

    /** Whether code checks for interruption (Config.interruptible), so that stores can be interrupted. */
    final boolean interruptible;
    /* Every limit the engine compiles under, read from the configuration before the engine took it. */
    private final Map<Limit, Long> limits;

    public Engine(Config config) {
        this(config, new EnumMap<>(Limit.class));
    }

    private Engine(Config config, Map<Limit, Long> limits) {
        super("engine", create(config, limits), orcaJNI::delete_wasm_engine_t, null, null);
        interruptible = config.interruptible;
        this.limits = limits;
    }

    /** The engine's value of a module limit: the one Config.limit set, else Orca's default; NO_LIMIT for none. */
    public long limit(Limit limit) {
        return limits.get(limit);
    }

    /* Makes the engine, and fills `limits` with the configuration's. */
    private static long create(Config config, Map<Limit, Long> limits) {
        Native.init();
        long handle = orcaJNI.wasm_config_new();
        try {
            orcaJNI.orca_config_compile_strategy_set(handle, (short) config.compile.ordinal());
            for (Map.Entry<Limit, Long> entry : config.limits.entrySet()) {
                orcaJNI.orca_config_limit_set(handle, (short) entry.getKey().ordinal(), entry.getValue());
            }
            for (Limit limit : Limit.values()) {
                limits.put(limit, orcaJNI.orca_config_limit_get(handle, (short) limit.ordinal()));
            }
            orcaJNI.orca_config_consume_fuel_set(handle, config.consumeFuel);
            orcaJNI.orca_config_interruptible_set(handle, config.interruptible);
            orcaJNI.orca_config_bounds_checks_set(handle, config.boundsChecks);
            orcaJNI.orca_config_opt_level_set(handle, (short) config.optLevel);
            if (config.cacheDir != null) {
                orcaJNI.orca_config_cache_dir_set(handle, config.cacheDir.toString());
            } else if (config.cache) {
                orcaJNI.orca_config_cache_default(handle);
            }
            for (Map.Entry<Feature, Boolean> entry : config.features.entrySet()) {
                orcaJNI.orca_config_feature_set(handle, (short) entry.getKey().ordinal(), entry.getValue());
            }
        } catch (RuntimeException e) {
            orcaJNI.delete_wasm_config_t(handle);
            throw e;
        }
        return orcaJNI.wasm_engine_new_with_config(handle); // takes the configuration
    }

    /** Orca's version ("0.1.0"). */
    public static String version() {
        Native.init();
        return orcaJNI.orca_version();
    }
}
