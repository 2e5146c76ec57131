package io.livehub.codec;

import io.livehub.media.MalformedMediaException;

/**
 * Reads bits most-significant first from a byte array, with the fixed-length and
 * Exp-Golomb descriptors of ITU-T H.264 §7.2 and §9.1 ({@code u(n)}, {@code ue(v)},
 * {@code se(v)}). Every read is checked against the end of the data and fails with
 * {@link MalformedMediaException} rather than reading past it.
 *
 * <p>Thread-safety: not thread-safe; one reader per parse. Ownership: the array is borrowed
 * and must not change while the reader is used.
 */
public final class BitReader {

    /** Longest Exp-Golomb prefix accepted; 32 zeros would encode a value beyond 2^32 - 2. */
    private static final int MAX_EXP_GOLOMB_LEADING_ZEROS = 31;

    private final byte[] data;
    private final long endBit;
    private long bit;

    /** Creates a reader over the whole array. */
    public BitReader(byte[] data) {
        this(data, 0, data.length);
    }

    /** Creates a reader over {@code length} bytes of {@code data} starting at {@code offset}. */
    public BitReader(byte[] data, int offset, int length) {
        if (offset < 0 || length < 0 || offset > data.length - length) {
            throw new IndexOutOfBoundsException("offset " + offset + ", length " + length
                    + ", array length " + data.length);
        }
        this.data = data;
        this.bit = (long) offset * 8;
        this.endBit = ((long) offset + length) * 8;
    }

    /** Returns the number of bits not read yet. */
    public long bitsLeft() {
        return endBit - bit;
    }

    /** Returns true when the reader stands on a byte boundary. */
    public boolean isByteAligned() {
        return (bit & 7) == 0;
    }

    /** Reads one bit as a flag ({@code u(1)}). */
    public boolean readFlag() {
        return readBit() != 0;
    }

    /** Reads one bit ({@code u(1)}). */
    public int readBit() {
        require(1);
        int b = (data[(int) (bit >>> 3)] >> (7 - (int) (bit & 7))) & 1;
        bit++;
        return b;
    }

    /** Reads {@code n} bits, 0 to 31, as an unsigned value ({@code u(n)}). */
    public int readBits(int n) {
        if (n < 0 || n > 31) {
            throw new IllegalArgumentException("n must be 0..31: " + n);
        }
        return (int) readBitsLong(n);
    }

    /** Reads {@code n} bits, 0 to 63, as an unsigned value ({@code u(n)}). */
    public long readBitsLong(int n) {
        if (n < 0 || n > 63) {
            throw new IllegalArgumentException("n must be 0..63: " + n);
        }
        require(n);
        long v = 0;
        int left = n;
        while (left > 0) {
            int bitInByte = (int) (bit & 7);
            int take = Math.min(8 - bitInByte, left);
            int cur = data[(int) (bit >>> 3)] & 0xFF;
            int chunk = (cur >> (8 - bitInByte - take)) & ((1 << take) - 1);
            v = (v << take) | chunk;
            bit += take;
            left -= take;
        }
        return v;
    }

    /** Skips {@code n} bits. */
    public void skipBits(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must not be negative: " + n);
        }
        require(n);
        bit += n;
    }

    /** Skips to the next byte boundary, if not already on one. */
    public void byteAlign() {
        long pad = (8 - (bit & 7)) & 7;
        skipBits(pad);
    }

    /**
     * Reads an unsigned Exp-Golomb code ({@code ue(v)}, ITU-T H.264 §9.1).
     *
     * @throws MalformedMediaException if the code runs past the data or its value does not
     *     fit a non-negative {@code int}
     */
    public int readUe() {
        int leadingZeros = 0;
        while (readBit() == 0) {
            leadingZeros++;
            if (leadingZeros > MAX_EXP_GOLOMB_LEADING_ZEROS) {
                throw new MalformedMediaException("Exp-Golomb code longer than "
                        + MAX_EXP_GOLOMB_LEADING_ZEROS + " leading zero bits");
            }
        }
        long value = (1L << leadingZeros) - 1 + readBitsLong(leadingZeros);
        if (value > Integer.MAX_VALUE) {
            throw new MalformedMediaException("Exp-Golomb value too large: " + value);
        }
        return (int) value;
    }

    /** Reads a signed Exp-Golomb code ({@code se(v)}, ITU-T H.264 §9.1.1). */
    public int readSe() {
        int k = readUe();
        // Odd codes are positive: 1 -> 1, 2 -> -1, 3 -> 2, ...
        return (k & 1) != 0 ? (k >>> 1) + 1 : -(k >>> 1);
    }

    /**
     * Reads an unsigned Exp-Golomb code and checks it against an inclusive maximum.
     *
     * @param name the syntax element, for the error message
     */
    public int readUe(String name, int max) {
        int v = readUe();
        if (v > max) {
            throw new MalformedMediaException(name + " out of range: " + v + " > " + max);
        }
        return v;
    }

    private void require(long n) {
        if (n > endBit - bit) {
            throw new MalformedMediaException("Truncated bitstream: need " + n + " bits at bit "
                    + bit + ", " + (endBit - bit) + " left");
        }
    }
}
