package io.orca;

/**
 * Java values to and from raw slots: two longs per slot (the low 8 bytes, then the high 8 of a
 * v128, little-endian as on x86-64). A value of the wrong Java type is an IllegalArgumentException;
 * externref takes any object.
 */
final class Values {
    private Values() {
    }

    static void pack(Store store, ValType[] types, Object[] values, long[] slots, String what) {
        if (values.length != types.length) {
            throw new IllegalArgumentException(what + ": expected " + types.length + " values, got " + values.length);
        }
        for (int i = 0; i < types.length; ++i) {
            Object value = values[i];
            int at = 2 * i;
            slots[at + 1] = 0;
            switch (types[i]) {
                case I32 -> slots[at] = expect(value, Integer.class, types[i], what, i);
                case I64 -> slots[at] = expect(value, Long.class, types[i], what, i);
                case F32 -> slots[at] = Float.floatToRawIntBits(expect(value, Float.class, types[i], what, i)) & 0xffffffffL;
                case F64 -> slots[at] = Double.doubleToRawLongBits(expect(value, Double.class, types[i], what, i));
                case V128 -> {
                    byte[] bytes = expect(value, byte[].class, types[i], what, i);
                    if (bytes.length != 16) {
                        throw new IllegalArgumentException(what + " " + i + ": a v128 is a byte[16], not byte["
                                + bytes.length + "]");
                    }
                    slots[at] = littleEndian(bytes, 0);
                    slots[at + 1] = littleEndian(bytes, 8);
                }
                case FUNCREF -> {
                    if (value != null && !(value instanceof Func)) {
                        throw mismatch(value, types[i], what, i);
                    }
                    if (value != null && ((Func) value).store != store) {
                        throw new IllegalArgumentException(what + " " + i + ": a function of another store");
                    }
                    slots[at] = value == null ? 0 : Native.funcToRaw(store.handle(), ((Func) value).handle());
                }
                case EXTERNREF -> slots[at] = Native.externToRaw(store.handle(), value);
            }
        }
    }

    static Object[] unpack(Store store, ValType[] types, long[] slots) {
        Object[] values = new Object[types.length];
        for (int i = 0; i < types.length; ++i) {
            long low = slots[2 * i];
            values[i] = switch (types[i]) {
                case I32 -> (int) low;
                case I64 -> low;
                case F32 -> Float.intBitsToFloat((int) low);
                case F64 -> Double.longBitsToDouble(low);
                case V128 -> {
                    byte[] bytes = new byte[16];
                    putLittleEndian(bytes, 0, low);
                    putLittleEndian(bytes, 8, slots[2 * i + 1]);
                    yield bytes;
                }
                case FUNCREF -> {
                    long func = Native.funcFromRaw(store.handle(), low);
                    yield func == 0 ? null : new Func(store, func);
                }
                case EXTERNREF -> Native.externFromRaw(store.handle(), low);
            };
        }
        return values;
    }

    private static <T> T expect(Object value, Class<T> type, ValType valType, String what, int index) {
        if (!type.isInstance(value)) {
            throw mismatch(value, valType, what, index);
        }
        return type.cast(value);
    }

    private static IllegalArgumentException mismatch(Object value, ValType type, String what, int index) {
        return new IllegalArgumentException(what + " " + index + ": expected " + type + ", got "
                + (value == null ? "null" : value.getClass().getSimpleName()));
    }

    private static long littleEndian(byte[] bytes, int from) {
        long value = 0;
        for (int i = 7; i >= 0; --i) {
            value = value << 8 | (bytes[from + i] & 0xffL);
        }
        return value;
    }

    private static void putLittleEndian(byte[] bytes, int from, long value) {
        for (int i = 0; i < 8; ++i) {
            bytes[from + i] = (byte) (value >>> (8 * i));
        }
    }
}
