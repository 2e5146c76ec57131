package io.livehub.hls.internal;

import io.netty.buffer.ByteBuf;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Holds the bytes of a segment or init segment that the muxer's thread owns and HTTP threads
 * read. The muxer releases its reference when the segment leaves memory; a reader asks for a
 * {@linkplain #retainedDuplicate() retained duplicate}, which fails cleanly (null) once the
 * holder is released, instead of touching a buffer that may already be back in the pool.
 *
 * <p>Thread-safety: all methods may be called from any thread.
 *
 * <p>Ownership: the holder takes the reference of the buffer it is made with and releases it
 * when its own count reaches zero.
 */
public final class SharedBuffer {

    private final ByteBuf buffer;
    private final int length;
    private final AtomicInteger refs = new AtomicInteger(1);

    /** Wraps {@code buffer}, taking its reference. */
    public SharedBuffer(ByteBuf buffer) {
        this.buffer = buffer;
        this.length = buffer.readableBytes();
    }

    /** Returns the number of bytes. */
    public int length() {
        return length;
    }

    /**
     * Returns a retained duplicate of the bytes, or null when the holder was released.
     *
     * <p>Ownership: the caller releases the returned buffer (writing it does).
     */
    public ByteBuf retainedDuplicate() {
        for (;;) {
            int c = refs.get();
            if (c == 0) {
                return null;
            }
            if (refs.compareAndSet(c, c + 1)) {
                break;
            }
        }
        try {
            return buffer.retainedDuplicate();
        } finally {
            release();
        }
    }

    /** Releases the muxer's reference; the bytes go when no reader holds the holder. */
    public void release() {
        if (refs.decrementAndGet() == 0) {
            buffer.release();
        }
    }

    /** Returns whether the bytes were released. */
    public boolean isReleased() {
        return refs.get() == 0;
    }
}
