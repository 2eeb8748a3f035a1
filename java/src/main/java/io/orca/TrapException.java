package io.orca;

import java.util.List;

/**
 * Wasm code trapped (kind TRAP, or EXHAUSTION for "call stack exhausted"). An exception thrown by
 * a Java host function comes back as a trap of code HOST_ERROR whose cause is that exception.
 */
public class TrapException extends OrcaException {
    private static final long serialVersionUID = 1L;

    /** What the trap was, in the order of orca.h's orca_trap_code_enum. */
    public enum Code {
        UNREACHABLE, MEMORY_OUT_OF_BOUNDS, TABLE_OUT_OF_BOUNDS, UNDEFINED_ELEMENT, UNINITIALIZED_ELEMENT,
        INDIRECT_CALL_TYPE_MISMATCH, INTEGER_DIVIDE_BY_ZERO, INTEGER_OVERFLOW, INVALID_CONVERSION, STACK_EXHAUSTED,
        OUT_OF_FUEL, INTERRUPTED, HOST_ERROR, EXIT;

        static Code of(int value) {
            Code[] codes = values();
            return value >= 0 && value < codes.length ? codes[value] : HOST_ERROR;
        }
    }

    /**
     * One wasm frame of the trap, innermost first.
     *
     * @param funcName the name from the module's name section, or null
     */
    public record Frame(int funcIndex, String funcName, long moduleOffset, long funcOffset) {
    }

    private final Code code;
    private final transient List<Frame> frames;

    TrapException(Kind kind, String message, Code code, List<Frame> frames) {
        super(kind, message);
        this.code = code;
        this.frames = List.copyOf(frames);
    }

    public Code code() {
        return code;
    }

    public List<Frame> frames() {
        return frames;
    }
}
