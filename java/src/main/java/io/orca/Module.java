package io.orca;

import io.orca.internal.orcaJNI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A compiled module; it belongs to its engine, and any store of that engine may instantiate it. */
public final class Module extends NativeObject {
    /** What an import or export is, in the order of wasm.h's wasm_externkind_t. */
    public enum ExternKind {
        FUNC, GLOBAL, TABLE, MEMORY
    }

    public record Import(String module, String name, ExternKind kind) {
    }

    public record Export(String name, ExternKind kind) {
    }

    final Engine engine;

    private Module(Engine engine, long handle) {
        super("module", handle, orcaJNI::delete_wasm_module_t, engine, engine);
        this.engine = engine;
    }

    /** Compiles a binary module; OrcaException of kind MALFORMED, INVALID or UNSUPPORTED. */
    public static Module fromBinary(Engine engine, byte[] binary) {
        return new Module(engine, orcaJNI.orca_module_new(engine.handle(), binary));
    }

    /** Compiles a module in the text format; MALFORMED with the line and column for bad text. */
    public static Module fromWat(Engine engine, String text) {
        return fromBinary(engine, wat2wasm(text));
    }

    /** The text format translated to a binary module. */
    public static byte[] wat2wasm(String text) {
        Native.init();
        return orcaJNI.orca_wat2wasm(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Checks a binary module without compiling it; OrcaException says why it is not valid. */
    public static void validate(Engine engine, byte[] binary) {
        orcaJNI.orca_module_validate(engine.handle(), binary);
    }

    /** The compiled code as an artifact for deserialize (same Orca, LLVM, CPU and configuration). */
    public byte[] serialize() {
        return orcaJNI.wasm_module_serialize(handle());
    }

    /**
     * A module from serialize's artifact. An artifact is native code: load only what you made
     * yourself. MALFORMED for damaged data, UNSUPPORTED for another build or configuration.
     */
    public static Module deserialize(Engine engine, byte[] artifact) {
        return new Module(engine, orcaJNI.orca_module_deserialize(engine.handle(), artifact));
    }

    public List<Import> imports() {
        List<Import> list = new ArrayList<>();
        Unpacker items = new Unpacker(orcaJNI.orca_module_items(handle(), true));
        while (items.more()) {
            ExternKind kind = ExternKind.values()[items.name()[0]];
            list.add(new Import(items.text(), items.text(), kind));
        }
        return list;
    }

    public List<Export> exports() {
        List<Export> list = new ArrayList<>();
        Unpacker items = new Unpacker(orcaJNI.orca_module_items(handle(), false));
        while (items.more()) {
            ExternKind kind = ExternKind.values()[items.name()[0]];
            list.add(new Export(items.text(), kind));
        }
        return list;
    }

    /** Reads orca_module_items' names: a 4-byte little-endian length, then the bytes. */
    private static final class Unpacker {
        private final byte[] bytes;
        private int at;

        Unpacker(byte[] bytes) {
            this.bytes = bytes;
        }

        boolean more() {
            return at < bytes.length;
        }

        byte[] name() {
            int size = (bytes[at] & 0xff) | (bytes[at + 1] & 0xff) << 8 | (bytes[at + 2] & 0xff) << 16
                    | (bytes[at + 3] & 0xff) << 24;
            byte[] name = java.util.Arrays.copyOfRange(bytes, at + 4, at + 4 + size);
            at += 4 + size;
            return name;
        }

        String text() {
            return new String(name(), StandardCharsets.UTF_8);
        }
    }
}
