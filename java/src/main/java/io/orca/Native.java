package io.orca;

import java.nio.ByteBuffer;

/**
 * The hand-written JNI functions (java/src/main/native); SWIG's io.orca.internal.orcaJNI has the
 * rest. Loading this class loads the library, so every class that calls natives touches it first.
 */
final class Native {
    static {
        NativeLoader.load();
    }

    private Native() {
    }

    /** Makes sure the library is loaded (before any call of io.orca.internal.orcaJNI). */
    static void init() {
    }

    /** Calls with two longs per slot; the results replace the slots from slot 0. */
    static native void call(long func, long[] slots);

    static native long funcToRaw(long store, long func);

    static native long funcFromRaw(long store, long raw);

    /** A Java object as a raw externref slot: a foreign object that lives as long as the store. */
    static native long externToRaw(long store, Object value);

    static native Object externFromRaw(long store, long raw);

    static native void globalGet(long global, long[] slot);

    static native boolean globalSet(long global, long low, long high);

    /** Table elements are raw slots of the element kind (Values converts them). */
    static native long tableGet(long store, long table, int index, byte kind);

    static native boolean tableSet(long store, long table, int index, byte kind, long raw);

    static native boolean tableGrow(long store, long table, int delta, byte kind, long raw);

    /** A new table with null elements (max -1: none); 0 when the store refuses it. */
    static native long tableNew(long store, byte kind, int min, long max);

    /** A new global holding a raw slot's value (not v128); 0 when the store refuses it. */
    static native long globalNew(long store, byte kind, boolean mutable, long raw);

    static native ByteBuffer memoryBuffer(long memory);

    static native long newHostFunc(long store, byte[] params, byte[] results, HostBridge bridge);
}
