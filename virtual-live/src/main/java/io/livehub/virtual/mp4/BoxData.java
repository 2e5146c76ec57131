package io.livehub.virtual.mp4;

import io.livehub.media.MalformedMediaException;
import java.util.Arrays;

/**
 * Reads the big-endian fields of one box's content held in memory (ISO/IEC 14496-12, 4.2).
 * Every read is bounds-checked and fails with {@link MalformedMediaException} naming the box.
 *
 * <p>Thread-safety: not thread-safe.
 */
final class BoxData {

    private final byte[] data;
    private final int end;
    private final String what;
    private int pos;

    BoxData(byte[] data, int offset, int end, String what) {
        this.data = data;
        this.pos = offset;
        this.end = end;
        this.what = what;
    }

    BoxData(byte[] data, String what) {
        this(data, 0, data.length, what);
    }

    int position() {
        return pos;
    }

    void position(int p) {
        if (p < 0 || p > end) {
            throw new MalformedMediaException(what + ": position " + p + " outside the box");
        }
        pos = p;
    }

    int end() {
        return end;
    }

    int remaining() {
        return end - pos;
    }

    byte[] array() {
        return data;
    }

    private void need(int n) {
        if (n < 0 || end - pos < n) {
            throw new MalformedMediaException(what + " is truncated: needs " + n + " more bytes at " + pos
                    + ", has " + (end - pos));
        }
    }

    void skip(int n) {
        need(n);
        pos += n;
    }

    int u8() {
        need(1);
        return data[pos++] & 0xFF;
    }

    int u16() {
        need(2);
        int v = (data[pos] & 0xFF) << 8 | (data[pos + 1] & 0xFF);
        pos += 2;
        return v;
    }

    int u24() {
        need(3);
        int v = (data[pos] & 0xFF) << 16 | (data[pos + 1] & 0xFF) << 8 | (data[pos + 2] & 0xFF);
        pos += 3;
        return v;
    }

    int s32() {
        need(4);
        int v = (data[pos] & 0xFF) << 24 | (data[pos + 1] & 0xFF) << 16 | (data[pos + 2] & 0xFF) << 8
                | (data[pos + 3] & 0xFF);
        pos += 4;
        return v;
    }

    long u32() {
        return s32() & 0xFFFF_FFFFL;
    }

    long s64() {
        return u32() << 32 | u32();
    }

    /** Reads a 64-bit unsigned field that must fit a signed long. */
    long u64() {
        long v = s64();
        if (v < 0) {
            throw new MalformedMediaException(what + ": 64-bit value out of range");
        }
        return v;
    }

    byte[] bytes(int n) {
        need(n);
        byte[] b = Arrays.copyOfRange(data, pos, pos + n);
        pos += n;
        return b;
    }

    /** Returns a reader over the next {@code n} bytes and skips them here. */
    BoxData slice(int n, String sliceWhat) {
        need(n);
        BoxData d = new BoxData(data, pos, pos + n, sliceWhat);
        pos += n;
        return d;
    }

    /**
     * Reads the header of the next child box in the content and returns a reader over its
     * content, or null when no bytes are left; {@code type[0]} receives the child's type.
     */
    BoxData child(int[] type) {
        if (remaining() == 0) {
            return null;
        }
        int start = pos;
        long size = u32();
        int t = s32();
        int header = 8;
        if (size == 1) {
            size = u64();
            header = 16;
        } else if (size == 0) {
            size = end - start;
        }
        if (size < header || size > end - start) {
            throw new MalformedMediaException(what + ": child box '" + BoxHeader.name(t) + "' has size " + size
                    + ", outside [" + header + ", " + (end - start) + "]");
        }
        type[0] = t;
        BoxData d = new BoxData(data, start + header, (int) (start + size), BoxHeader.name(t));
        pos = (int) (start + size);
        return d;
    }
}
