package io.livehub.codec;

import java.io.ByteArrayOutputStream;

/**
 * Writes bits most-significant first, with the {@code u(n)}, {@code ue(v)} and
 * {@code se(v)} descriptors of ITU-T H.264 §7.2 and §9.1, to build bit-packed configuration
 * structures such as the MPEG-4 AudioSpecificConfig.
 *
 * <p>Thread-safety: not thread-safe.
 */
public final class BitWriter {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private int current;
    private int used;

    /** Writes the lowest bit of {@code b}. */
    public BitWriter bit(int b) {
        current = (current << 1) | (b & 1);
        if (++used == 8) {
            out.write(current);
            current = 0;
            used = 0;
        }
        return this;
    }

    /** Writes a flag as one bit. */
    public BitWriter flag(boolean b) {
        return bit(b ? 1 : 0);
    }

    /** Writes the lowest {@code n} bits of {@code value}, 0 to 64, most significant first. */
    public BitWriter bits(long value, int n) {
        if (n < 0 || n > 64) {
            throw new IllegalArgumentException("n must be 0..64: " + n);
        }
        for (int i = n - 1; i >= 0; i--) {
            bit((int) (value >>> i));
        }
        return this;
    }

    /** Writes an unsigned Exp-Golomb code ({@code ue(v)}, ITU-T H.264 §9.1). */
    public BitWriter ue(int value) {
        if (value < 0) {
            throw new IllegalArgumentException("ue(v) value must not be negative: " + value);
        }
        long v = value + 1L;
        int len = 64 - Long.numberOfLeadingZeros(v);
        bits(0, len - 1);
        return bits(v, len);
    }

    /** Writes a signed Exp-Golomb code ({@code se(v)}, ITU-T H.264 §9.1.1). */
    public BitWriter se(int value) {
        return ue(value > 0 ? 2 * value - 1 : -2 * value);
    }

    /** Writes {@code rbsp_stop_one_bit} and zero bits up to the byte boundary (§7.3.2.11). */
    public BitWriter trailingBits() {
        bit(1);
        return zeroAlign();
    }

    /** Writes zero bits up to the byte boundary, if not already on one. */
    public BitWriter zeroAlign() {
        while (used != 0) {
            bit(0);
        }
        return this;
    }

    /** Returns the bytes written so far, the last one padded with zero bits. */
    public byte[] toByteArray() {
        zeroAlign();
        return out.toByteArray();
    }
}
