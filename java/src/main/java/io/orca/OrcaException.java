package io.orca;

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

    /**
     * Made by the native code for an error or a trap: frames holds three numbers per frame
     * (function index, module offset, function offset), names the function names or nulls.
     */
    static OrcaException fromNative(int kind, String message, int trapCode, int exitStatus, long[] frames,
            String[] names) {
        Kind what = Kind.of(kind);
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
