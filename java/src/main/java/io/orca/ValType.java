package io.orca;

/** A wasm value type, with wasm.h's wasm_valkind_t numbers. */
public enum ValType {
    I32(0), I64(1), F32(2), F64(3), V128(4), EXTERNREF(128), FUNCREF(129);

    final byte kind;

    ValType(int kind) {
        this.kind = (byte) kind;
    }

    static ValType of(int kind) {
        for (ValType type : values()) {
            if ((type.kind & 0xff) == (kind & 0xff)) {
                return type;
            }
        }
        throw new OrcaException(OrcaException.Kind.UNSUPPORTED, "unknown value kind " + (kind & 0xff));
    }

    static ValType[] of(byte[] kinds) {
        ValType[] types = new ValType[kinds.length];
        for (int i = 0; i < kinds.length; ++i) {
            types[i] = of(kinds[i]);
        }
        return types;
    }

    static byte[] kinds(ValType[] types) {
        byte[] kinds = new byte[types.length];
        for (int i = 0; i < types.length; ++i) {
            kinds[i] = types[i].kind;
        }
        return kinds;
    }
}
