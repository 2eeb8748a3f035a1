package io.orca;

import io.orca.internal.orcaJNI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A linear memory. buffer() is a direct little-endian view of its bytes; a view covers the size
 * the memory had when it was made, so take a new one after a grow (by Java or by the guest). A
 * reachable view keeps the memory mapped after its instance is closed, but not after its store
 * is closed: the bytes are unmapped then, so a view must not be used after that.
 */
public final class Memory extends NativeObject {
    public static final int PAGE_SIZE = 65536;

    final Store store;
    private ByteBuffer view;

    Memory(Store store, long handle) {
        super("memory", handle, orcaJNI::delete_wasm_memory_t, null, store);
        this.store = store;
    }

    /** A new memory of the store, `min` pages that may grow to `max` (-1: no maximum). */
    public static Memory create(Store store, int min, int max) {
        long handle = orcaJNI.orca_memory_new(store.handle(), min, max);
        if (handle == 0) {
            throw new OrcaException(OrcaException.Kind.UNINSTANTIABLE, "the store refused a memory of " + min
                    + " pages (limits?)");
        }
        return new Memory(store, handle);
    }

    /** The size in pages. */
    public long size() {
        return orcaJNI.wasm_memory_size(handle());
    }

    /** The minimum size of the memory's type, in pages. */
    public long minimum() {
        return orcaJNI.orca_memory_limit(handle(), false);
    }

    /** The maximum size of the memory's type in pages, or -1 when it has none. */
    public long maximum() {
        return orcaJNI.orca_memory_limit(handle(), true);
    }

    /** The size in bytes. */
    public long dataSize() {
        return orcaJNI.wasm_memory_data_size(handle());
    }

    /** Grows by `pages`; false (nothing changed) when the maximum or the store's limit refuses. */
    public boolean grow(long pages) {
        boolean grown = orcaJNI.wasm_memory_grow(handle(), pages);
        view = null;
        return grown;
    }

    /** A view of all the bytes as they are now (a new one when the memory grew since the last). */
    public ByteBuffer buffer() {
        long size = dataSize();
        if (size > Integer.MAX_VALUE) {
            throw new UnsupportedOperationException("a ByteBuffer holds at most 2 GiB; this memory has " + size
                    + " bytes (use read and write)");
        }
        if (view == null || view.capacity() != size) {
            view = Native.memoryBuffer(handle()).order(ByteOrder.LITTLE_ENDIAN);
            // The view (and every duplicate, which references it) keeps the memory's handle, so
            // that closing the instance cannot let the store unmap bytes a view still reaches.
            resource.retain();
            CLEANER.register(view, resource::release);
        }
        return view.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** A copy of `length` bytes at `offset`; IndexOutOfBoundsException when they are not all inside. */
    public byte[] read(long offset, int length) {
        long memory = handle();
        if (offset < 0 || length < 0 || !orcaJNI.orca_memory_in_bounds(memory, offset, length)) {
            throw new IndexOutOfBoundsException("[" + offset + ", +" + length + ") is outside the memory of "
                    + dataSize() + " bytes");
        }
        return orcaJNI.orca_memory_read(memory, offset, length);
    }

    /** Copies the bytes to `offset`; IndexOutOfBoundsException (nothing written) when they do not fit. */
    public void write(long offset, byte[] bytes) {
        if (offset < 0 || !orcaJNI.orca_memory_write(handle(), offset, bytes)) {
            throw new IndexOutOfBoundsException("[" + offset + ", +" + bytes.length + ") is outside the memory of "
                    + dataSize() + " bytes");
        }
    }
}
