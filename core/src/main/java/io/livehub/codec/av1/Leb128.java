package io.livehub.codec.av1;

import io.livehub.media.MalformedMediaException;
import io.netty.buffer.ByteBuf;

/**
 * Reads and writes {@code leb128()} unsigned values, little-endian groups of seven bits
 * with a continuation bit (AV1 specification §4.10.5), limited as the specification
 * requires to eight bytes and to values up to 2^32 - 1.
 */
public final class Leb128 {

    /** Largest value a conformant {@code leb128()} may hold. */
    public static final long MAX_VALUE = 0xFFFF_FFFFL;
    /** Most bytes a {@code leb128()} may take. */
    public static final int MAX_BYTES = 8;

    private Leb128() {
    }

    /**
     * Reads a value at absolute {@code index} of {@code buf}, not past {@code end}, without
     * moving the buffer's indices, and returns it packed as {@code value << 8 | byteCount};
     * see {@link #value(long)} and {@link #size(long)}.
     *
     * <p>Ownership: {@code buf} is borrowed.
     *
     * @throws MalformedMediaException if the value runs past {@code end}, takes more than
     *     eight bytes, or exceeds 2^32 - 1
     */
    public static long read(ByteBuf buf, int index, int end) {
        long value = 0;
        for (int i = 0; i < MAX_BYTES; i++) {
            if (index + i >= end) {
                throw new MalformedMediaException("truncated leb128 after " + i + " bytes");
            }
            int b = buf.getUnsignedByte(index + i);
            value |= (long) (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) {
                if (value > MAX_VALUE) {
                    throw new MalformedMediaException("leb128 value above 2^32 - 1: " + value);
                }
                return value << 8 | (i + 1);
            }
        }
        throw new MalformedMediaException("leb128 longer than " + MAX_BYTES + " bytes");
    }

    /** Returns the value of a result of {@link #read}. */
    public static long value(long packed) {
        return packed >>> 8;
    }

    /** Returns the byte count of a result of {@link #read}. */
    public static int size(long packed) {
        return (int) (packed & 0xFF);
    }

    /** Returns the shortest encoding of {@code value}, 0 to 2^32 - 1. */
    public static byte[] encode(long value) {
        if (value < 0 || value > MAX_VALUE) {
            throw new IllegalArgumentException("leb128 value must be 0..2^32-1: " + value);
        }
        byte[] out = new byte[encodedSize(value)];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) ((value >>> (7 * i)) & 0x7F | (i < out.length - 1 ? 0x80 : 0));
        }
        return out;
    }

    /** Returns the byte count of the shortest encoding of {@code value}. */
    public static int encodedSize(long value) {
        int n = 1;
        while ((value >>>= 7) != 0) {
            n++;
        }
        return n;
    }
}
