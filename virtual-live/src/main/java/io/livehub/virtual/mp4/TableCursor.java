package io.livehub.virtual.mp4;

import io.livehub.media.MalformedMediaException;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Reads the entries of one sample table box (stts, ctts, stsc, stsz, stco, ...) from the file
 * through a small buffer, so a table of millions of entries costs its compact arrays and not
 * a copy of the box.
 *
 * <p>Thread-safety: not thread-safe.
 */
final class TableCursor {

    private static final int BUFFER = 64 * 1024;

    private final RandomAccessInput in;
    private final ByteBuffer buf;
    private final String what;
    private long next;
    private final long end;

    /** Opens a cursor over the content of {@code box}, after its version and flags. */
    TableCursor(RandomAccessInput in, BoxHeader box, String what) {
        this.in = in;
        this.what = what;
        this.next = box.contentOffset();
        this.end = box.end();
        this.buf = ByteBuffer.allocate((int) Math.min(BUFFER, Math.max(0, box.contentSize())));
        buf.limit(0);
    }

    /** Returns the bytes not read yet. */
    long remaining() {
        return end - next + buf.remaining();
    }

    private void need(int n) throws IOException {
        if (buf.remaining() >= n) {
            return;
        }
        if (remaining() < n) {
            throw new MalformedMediaException(what + " is truncated");
        }
        buf.compact();
        int room = (int) Math.min(buf.remaining(), end - next);
        ByteBuffer window = buf.slice();
        window.limit(room);
        in.readFully(next, window);
        next += room;
        buf.position(buf.position() + room);
        buf.flip();
    }

    int u8() throws IOException {
        need(1);
        return buf.get() & 0xFF;
    }

    int u16() throws IOException {
        need(2);
        return buf.getShort() & 0xFFFF;
    }

    int s32() throws IOException {
        need(4);
        return buf.getInt();
    }

    long u32() throws IOException {
        return s32() & 0xFFFF_FFFFL;
    }

    long s64() throws IOException {
        need(8);
        return buf.getLong();
    }

    /**
     * Reads a full box's version and flags, then the 32-bit entry count, and checks that
     * {@code count * entrySize} bytes remain, so a count cannot claim more than the box holds.
     */
    long entryCount(int entrySize) throws IOException {
        u32(); // version, flags
        long count = u32();
        if (entrySize > 0 && count * entrySize > remaining()) {
            throw new MalformedMediaException(what + " claims " + count + " entries of " + entrySize
                    + " bytes but holds " + remaining() + " bytes");
        }
        return count;
    }
}
