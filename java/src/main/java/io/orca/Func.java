package io.orca;

import io.orca.internal.orcaJNI;
import java.util.Arrays;

/** A function of a store: exported by an instance, or a host function (Func.host). */
public final class Func extends NativeObject {
    final Store store;
    private ValType[] params;
    private ValType[] results;

    Func(Store store, long handle) {
        super("function", handle, orcaJNI::delete_wasm_func_t, null, store);
        this.store = store;
    }

    /** A host function of the store with these types, running `function` (see HostFunction). */
    public static Func host(Store store, ValType[] params, ValType[] results, HostFunction function) {
        HostBridge bridge = new HostBridge(store, params, results, function);
        Func func = new Func(store, Native.newHostFunc(store.handle(), ValType.kinds(params), ValType.kinds(results),
                bridge));
        func.params = params.clone();
        func.results = results.clone();
        return func;
    }

    /**
     * Whether both objects stand for the same function (a table element, a funcref result and the
     * export holding one function are different Func objects).
     */
    public boolean same(Func other) {
        return other != null && orcaJNI.wasm_func_same(handle(), other.handle());
    }

    public ValType[] paramTypes() {
        return params().clone();
    }

    public ValType[] resultTypes() {
        return results().clone();
    }

    /* The types, read once; shared, so never handed out. */
    private ValType[] params() {
        if (params == null) {
            params = ValType.of(orcaJNI.orca_func_kinds(handle(), false));
        }
        return params;
    }

    private ValType[] results() {
        if (results == null) {
            results = ValType.of(orcaJNI.orca_func_kinds(handle(), true));
        }
        return results;
    }

    /**
     * Calls with Integer, Long, Float, Double, byte[16] (v128) or Func/null (funcref) arguments of
     * the function's types; IllegalArgumentException for a wrong count or type, TrapException
     * for a trap.
     */
    public Object[] call(Object... args) {
        ValType[] in = params();
        ValType[] out = results();
        long[] slots = new long[2 * Math.max(in.length, out.length)];
        Values.pack(store, in, args, slots, "argument");
        Calls.call(store, this, slots);
        return Values.unpack(store, out, slots);
    }

    /** A function of i32 parameters and one i32 result, called without boxing. */
    public int callI32(int... args) {
        long[] slots = typedSlots(ValType.I32, args.length);
        for (int i = 0; i < args.length; ++i) {
            slots[2 * i] = args[i];
        }
        Calls.call(store, this, slots);
        return (int) slots[0];
    }

    /** A function of i64 parameters and one i64 result, called without boxing. */
    public long callI64(long... args) {
        long[] slots = typedSlots(ValType.I64, args.length);
        for (int i = 0; i < args.length; ++i) {
            slots[2 * i] = args[i];
        }
        Calls.call(store, this, slots);
        return slots[0];
    }

    /** A function of f64 parameters and one f64 result, called without boxing. */
    public double callF64(double... args) {
        long[] slots = typedSlots(ValType.F64, args.length);
        for (int i = 0; i < args.length; ++i) {
            slots[2 * i] = Double.doubleToRawLongBits(args[i]);
        }
        Calls.call(store, this, slots);
        return Double.longBitsToDouble(slots[0]);
    }

    private long[] typedSlots(ValType type, int count) {
        ValType[] in = params();
        ValType[] out = results();
        boolean matches = in.length == count && out.length == 1 && out[0] == type;
        for (int i = 0; matches && i < count; ++i) {
            matches = in[i] == type;
        }
        if (!matches) {
            ValType[] want = new ValType[count];
            Arrays.fill(want, type);
            throw new IllegalArgumentException("the function's type is " + Arrays.toString(in) + " -> "
                    + Arrays.toString(out) + ", not " + Arrays.toString(want) + " -> [" + type + "]");
        }
        return new long[2 * Math.max(count, 1)];
    }
}
