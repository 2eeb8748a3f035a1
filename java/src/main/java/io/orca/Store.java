package io.orca;

import io.orca.internal.orcaJNI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Holds instances and their functions, memories, globals and tables; one thread at a time.
 * Closing it frees them all: their Java objects then throw IllegalStateException.
 */
public final class Store extends NativeObject {
    final Engine engine;

    /* The thread running guest code in this store, for InterruptWatch; guarded by `this`. */
    private Thread runner;
    private int depth;
    private boolean interruptedRunner;
    /* Objects closed while guest code ran, whose handles the running call may still use; released
     * when the outermost call returns. */
    private final List<NativeObject.Resource> deferred = new ArrayList<>();

    public Store(Engine engine) {
        super("store", orcaJNI.wasm_store_new(engine.handle()), orcaJNI::delete_wasm_store_t, engine, engine);
        this.engine = engine;
        if (engine.interruptible) {
            InterruptWatch.watch(this);
        }
    }

    /**
     * Frees the store and everything in it. IllegalStateException while its guest code runs (from
     * a host function it called): the code would go on in freed memory.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (depth > 0) {
                throw new IllegalStateException("a store cannot be closed while its code runs");
            }
        }
        super.close();
    }

    /** Guest code starts running on this thread (calls nest when host functions call back). */
    synchronized void enter() {
        if (depth++ == 0) {
            runner = Thread.currentThread();
        }
    }

    /**
     * The outermost call returned. An interruption that InterruptWatch requested for it and that
     * no check consumed is withdrawn, so that it cannot stop the next call.
     */
    synchronized void leave() {
        if (--depth == 0) {
            runner = null;
            deferred.forEach(NativeObject.Resource::release);
            deferred.clear();
            if (interruptedRunner) {
                interruptedRunner = false;
                if (!isClosed()) {
                    orcaJNI.orca_store_interrupt_clear(handle());
                }
            }
        }
    }

    synchronized void interruptIfRunnerInterrupted() {
        if (runner != null && !interruptedRunner && runner.isInterrupted() && !isClosed()) {
            interruptedRunner = true;
            orcaJNI.orca_store_interrupt(handle());
        }
    }

    /**
     * Closes `object` (an instance or an export of one): at once when no guest code of the store
     * runs, else it is unusable at once and its handle goes when the outermost call returns.
     */
    void closeWhenIdle(NativeObject object) {
        synchronized (this) {
            if (depth > 0) {
                object.resource.retain();
                deferred.add(object.resource);
            }
        }
        object.release();
    }

    /**
     * Frees the instances that nothing keeps (closed, not imported by a live instance, not reached
     * through a table or global, not defined by a linker) with their memories and tables, and
     * returns how many. Instantiation collects by itself when the store has doubled since the last
     * collection; call this to free at once, e.g. at the end of a request. It frees nothing from a
     * host function, since guest code of the store is running.
     */
    public long collect() {
        return orcaJNI.orca_store_collect(handle());
    }

    /** The instances in the store: the live ones and those that no collection has freed yet. */
    public long instanceCount() {
        return orcaJNI.orca_store_instance_count(handle());
    }

    public Engine engine() {
        return engine;
    }

    /** Sets the fuel left; OrcaException (UNSUPPORTED) when the engine does not meter fuel. */
    public void setFuel(long fuel) {
        orcaJNI.orca_store_fuel_set(handle(), fuel);
    }

    public long fuel() {
        return orcaJNI.orca_store_fuel_get(handle());
    }

    /** Makes running code trap INTERRUPTED at its next check; callable from any thread. */
    public void interrupt() {
        orcaJNI.orca_store_interrupt(handle());
    }

    /** Withdraws an interruption (or a passed deadline) that no code consumed yet. */
    public void clearInterrupt() {
        orcaJNI.orca_store_interrupt_clear(handle());
    }

    /** Interrupts the store after this time; Duration.ZERO clears the deadline. */
    public void setDeadline(Duration timeout) {
        long nanos = timeout.isNegative() ? 0 : (timeout.getSeconds() >= Long.MAX_VALUE / 1_000_000_000L
                ? Long.MAX_VALUE : timeout.toNanos());
        orcaJNI.orca_store_deadline_set(handle(), nanos);
    }

    /**
     * Limits of what the store may hold; a negative value leaves that limit as it is. A memory may
     * not grow past memoryBytes, a table past tableElements; instantiating past a count fails.
     */
    public void setLimits(long memoryBytes, long tableElements, long instances, long tables, long memories) {
        orcaJNI.orca_store_limits_set(handle(), memoryBytes, tableElements, instances, tables, memories);
    }
}
