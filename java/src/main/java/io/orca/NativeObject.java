package io.orca;

import java.lang.ref.Cleaner;
import java.util.function.LongConsumer;

/**
 * A Java object that owns one native handle. {@link #close()} releases it; a {@link Cleaner}
 * releases it when the object becomes unreachable unclosed. A closed object throws
 * {@link IllegalStateException} from every method, so a handle is never used after its release.
 *
 * <p>Some handles must outlive others: a store must be deleted before its engine. Such a child
 * retains its parent's {@link Resource}, which deletes the parent's handle only once the parent
 * is closed and every child is released, whatever order close() calls or the Cleaner take.
 */
abstract class NativeObject implements AutoCloseable {
    /* Also frees the traps that exceptions keep (OrcaException.keepTrap). */
    static final Cleaner CLEANER = Cleaner.create();

    /** The handle and its release; it must not refer to the NativeObject (the Cleaner's rule). */
    static final class Resource implements Runnable {
        private final String what;
        private final LongConsumer delete;
        private final Resource retained;
        private final Resource owner;
        private long handle;
        private int users = 1;
        private boolean closed;

        Resource(String what, long handle, LongConsumer delete, Resource retained, Resource owner) {
            this.what = what;
            this.handle = handle;
            this.delete = delete;
            this.retained = retained;
            this.owner = owner;
            if (retained != null) {
                retained.retain();
            }
        }

        synchronized long handle() {
            if (closed) {
                throw new IllegalStateException(what + " is closed");
            }
            if (owner != null) {
                owner.check();
            }
            return handle;
        }

        synchronized boolean isClosed() {
            return closed || (owner != null && owner.isClosed());
        }

        private void check() {
            handle();
        }

        /** Keeps the handle after close() until a matching release(). */
        synchronized void retain() {
            users++;
        }

        @Override
        public void run() {
            synchronized (this) {
                if (closed) {
                    return;
                }
                closed = true;
            }
            release();
        }

        void release() {
            long toDelete;
            synchronized (this) {
                if (--users > 0) {
                    return;
                }
                toDelete = handle;
                handle = 0;
            }
            if (toDelete != 0) {
                delete.accept(toDelete);
            }
            if (retained != null) {
                retained.release();
            }
        }
    }

    final Resource resource;
    private final Cleaner.Cleanable cleanable;

    /**
     * @param retained a parent whose handle must stay until this one is deleted, or null
     * @param owner a parent whose closing makes this object unusable (a store for its objects), or null
     */
    NativeObject(String what, long handle, LongConsumer delete, NativeObject retained, NativeObject owner) {
        if (handle == 0) {
            throw new OrcaException(OrcaException.Kind.INTERNAL, "Orca returned no " + what);
        }
        resource = new Resource(what, handle, delete, retained == null ? null : retained.resource,
                owner == null ? null : owner.resource);
        cleanable = CLEANER.register(this, resource);
    }

    /** The native handle; IllegalStateException when this object or its owner is closed. */
    final long handle() {
        return resource.handle();
    }

    /** Whether close() was called on this object or its owner. */
    public final boolean isClosed() {
        return resource.isClosed();
    }

    /** Releases the native object; a second call does nothing. */
    @Override
    public void close() {
        release();
    }

    /** What close() does here, for subclasses whose close() does more. */
    final void release() {
        cleanable.clean();
    }
}
