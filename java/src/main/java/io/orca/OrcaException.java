package io.orca;

import io.orca.internal.orcaJNI;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.List;

/** An error from Orca, with its kind (the spec's kinds of failure, and Orca's own). */
public class OrcaException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What failed, in the order of orca.h's orca_error_kind_enum. */
    public enum Kind {
        MALFORMED, INVALID, UNLINKABLE, UNINSTANTIABLE, TRAP, EXHAUSTION, IO, UNSUPPORTED, EXIT, INTERNAL;

        static Kind of(int value) {
            Kind[] kinds = values();
            return value >= 0 && value < kinds.length ? kinds[value] : INTERNAL;
        }
    }

    private final Kind kind;
    /* The native trap this exception was made from (a copy it owns), or 0: a host function that
     * lets the exception escape passes that very trap on, code and message intact. */
    private transient long trap;

    public OrcaException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    /** Used by the native code for failures of its own (JNI's ThrowNew). */
    OrcaException(String message) {
        this(Kind.INTERNAL, message);
    }

    public Kind kind() {
        return kind;
    }

    /** Owns `handle` (a wasm_trap_t copy, or 0) for HostBridge; the Cleaner frees it with this exception. */
    private OrcaException keepTrap(long handle) {
        if (handle != 0) {
            trap = handle;
            NativeObject.CLEANER.register(this, () -> orcaJNI.delete_wasm_trap_t(handle));
        }
        return this;
    }

    /** A new copy of the trap this exception was made from, or 0 (the caller owns it). */
    long copyOfTrap() {
        try {
            return trap == 0 ? 0 : orcaJNI.wasm_trap_copy(trap);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Made by the native code for an error or a trap: frames holds three numbers per frame
     * (function index, module offset, function offset), names the function names or nulls; trap
     * is a copy of the native trap (or 0) that the exception takes.
     */
    static OrcaException fromNative(int kind, String message, int trapCode, int exitStatus, long[] frames,
            String[] names, long trap) {
        return make(Kind.of(kind), message, trapCode, exitStatus, frames, names).keepTrap(trap);
    }

    private static OrcaException make(Kind what, String message, int trapCode, int exitStatus, long[] frames,
            String[] names) {
        if (what == Kind.EXIT) {
            return new ExitException(message, exitStatus);
        }
        if (what == Kind.UNLINKABLE) {
            return new LinkException(message);
        }
        if (trapCode >= 0) {
            List<TrapException.Frame> list = new ArrayList<>();
            for (int i = 0; frames != null && i < names.length; ++i) {
                list.add(new TrapException.Frame((int) frames[3 * i], names[i], frames[3 * i + 1], frames[3 * i + 2]));
            }
            return new TrapException(what, message, TrapException.Code.of(trapCode), list);
        }
        return new OrcaException(what, message);
    }
}
