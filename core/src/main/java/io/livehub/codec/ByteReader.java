package io.livehub.codec;

import io.livehub.media.MalformedMediaException;
import java.util.Arrays;

/**
 * Reads big-endian fields from a byte array for the byte-aligned configuration records
 * (ISO/IEC 14496-15 {@code avcC}/{@code hvcC}, {@code av1C}, {@code OpusHead}), checking
 * every read against the end of the data.
 *
 * <p>Thread-safety: not thread-safe. Ownership: the array is borrowed.
 */
public final class ByteReader {

    private final byte[] data;
    private final String what;
    private int pos;

    /**
     * Creates a reader over the whole array.
     *
     * @param what names the structure in error messages
     */
    public ByteReader(byte[] data, String what) {
        this.data = data;
        this.what = what;
    }

    /** Returns the offset of the next byte to read. */
    public int position() {
        return pos;
    }

    /** Returns the number of bytes not read yet. */
    public int remaining() {
        return data.length - pos;
    }

    /** Reads an unsigned byte. */
    public int u8() {
        need(1);
        return data[pos++] & 0xFF;
    }

    /** Reads an unsigned big-endian 16-bit value. */
    public int u16() {
        need(2);
        int v = ((data[pos] & 0xFF) << 8) | (data[pos + 1] & 0xFF);
        pos += 2;
        return v;
    }

    /** Reads an unsigned little-endian 16-bit value. */
    public int u16le() {
        need(2);
        int v = (data[pos] & 0xFF) | ((data[pos + 1] & 0xFF) << 8);
        pos += 2;
        return v;
    }

    /** Reads an unsigned little-endian 32-bit value. */
    public long u32le() {
        need(4);
        long v = (data[pos] & 0xFFL) | ((data[pos + 1] & 0xFFL) << 8)
                | ((data[pos + 2] & 0xFFL) << 16) | ((data[pos + 3] & 0xFFL) << 24);
        pos += 4;
        return v;
    }

    /** Reads an unsigned big-endian value of {@code n} bytes, 1 to 7. */
    public long uN(int n) {
        if (n < 1 || n > 7) {
            throw new IllegalArgumentException("n must be 1..7: " + n);
        }
        need(n);
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = (v << 8) | (data[pos++] & 0xFF);
        }
        return v;
    }

    /** Reads {@code n} bytes into a new array, after checking that they are there. */
    public byte[] bytes(int n) {
        need(n);
        byte[] out = Arrays.copyOfRange(data, pos, pos + n);
        pos += n;
        return out;
    }

    /** Reads everything left into a new array. */
    public byte[] rest() {
        return bytes(remaining());
    }

    private void need(int n) {
        if (n < 0 || n > data.length - pos) {
            throw new MalformedMediaException("truncated " + what + ": need " + n + " bytes at offset "
                    + pos + ", " + (data.length - pos) + " left");
        }
    }
}
