package io.livehub.codec;

import java.io.ByteArrayOutputStream;

/** Writes bits most-significant first, to build syntax structures field by field in tests. */
public final class BitWriter {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private int current;
    private int used;

    public BitWriter bit(int b) {
        current = (current << 1) | (b & 1);
        if (++used == 8) {
            out.write(current);
            current = 0;
            used = 0;
        }
        return this;
    }

    public BitWriter bits(long value, int n) {
        for (int i = n - 1; i >= 0; i--) {
            bit((int) (value >>> i));
        }
        return this;
    }

    public BitWriter ue(int value) {
        long v = value + 1L;
        int len = 64 - Long.numberOfLeadingZeros(v);
        bits(0, len - 1);
        return bits(v, len);
    }

    public BitWriter se(int value) {
        return ue(value > 0 ? 2 * value - 1 : -2 * value);
    }

    /** Writes rbsp_stop_one_bit and zero bits up to the byte boundary. */
    public BitWriter trailingBits() {
        bit(1);
        return zeroAlign();
    }

    public BitWriter zeroAlign() {
        while (used != 0) {
            bit(0);
        }
        return this;
    }

    public byte[] toByteArray() {
        zeroAlign();
        return out.toByteArray();
    }
}
