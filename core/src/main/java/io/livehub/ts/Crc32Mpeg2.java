package io.livehub.ts;

import io.netty.buffer.ByteBuf;

/**
 * Computes the CRC_32 that ends every PSI section (ITU-T H.222.0 Annex A): polynomial
 * 0x04C11DB7, initial value 0xFFFFFFFF, bits most-significant first, no final inversion. A
 * section whose bytes, CRC included, give 0 is intact.
 *
 * <p>Thread-safety: stateless.
 */
public final class Crc32Mpeg2 {

    private static final int[] TABLE = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int c = i << 24;
            for (int k = 0; k < 8; k++) {
                c = (c & 0x8000_0000) != 0 ? (c << 1) ^ 0x04C1_1DB7 : c << 1;
            }
            TABLE[i] = c;
        }
    }

    private Crc32Mpeg2() {
    }

    /** Returns the CRC of {@code length} bytes of {@code data} from {@code offset}. */
    public static int compute(byte[] data, int offset, int length) {
        int crc = 0xFFFF_FFFF;
        for (int i = offset; i < offset + length; i++) {
            crc = (crc << 8) ^ TABLE[((crc >>> 24) ^ data[i]) & 0xFF];
        }
        return crc;
    }

    /**
     * Returns the CRC of {@code length} bytes of {@code buf} from absolute {@code index}.
     *
     * <p>Ownership: {@code buf} is borrowed; its indexes do not move.
     */
    public static int compute(ByteBuf buf, int index, int length) {
        int crc = 0xFFFF_FFFF;
        for (int i = index; i < index + length; i++) {
            crc = (crc << 8) ^ TABLE[((crc >>> 24) ^ buf.getByte(i)) & 0xFF];
        }
        return crc;
    }
}
