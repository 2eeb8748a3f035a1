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

    /** How an engine compiles. Defaults: no fuel, interruptible, the user's module cache on, -O2. */
    public static final class Config {
        private boolean consumeFuel;
        private boolean interruptible = true;
        private boolean cache = true;
        private Path cacheDir;
        private int optLevel = 2;
        private boolean boundsChecks;
        private final Map<Feature, Boolean> features = new EnumMap<>(Feature.class);

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

    public Engine(Config config) {
        super("engine", create(config), orcaJNI::delete_wasm_engine_t, null, null);
        interruptible = config.interruptible;
    }

    private static long create(Config config) {
        Native.init();
        long handle = orcaJNI.wasm_config_new();
        try {
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
