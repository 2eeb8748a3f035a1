package io.orca;

/**
 * A Java function that wasm calls through an import. It gets its caller (the calling instance's
 * exports, valid during the call only) and the arguments (Integer, Long, Float, Double, byte[16]
 * for v128, Func or null for funcref), and returns null for no results, the value for one, or an
 * Object[] for several. What it throws reaches the wasm caller's Java caller as the cause of a
 * TrapException of code HOST_ERROR.
 */
@FunctionalInterface
public interface HostFunction {
    Object call(Caller caller, Object[] args) throws Exception;
}
