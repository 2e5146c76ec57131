package io.livehub.codec;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * Removes and inserts the emulation prevention bytes ({@code 0x000003}) that separate a NAL
 * unit's payload from its raw byte sequence payload (RBSP), ITU-T H.264 §7.3.1 and §7.4.1;
 * H.265 uses the same rule (ITU-T H.265 §7.3.1.1).
 *
 * <p>Thread-safety: stateless. Ownership: inputs are borrowed; results are new arrays.
 */
public final class EmulationPrevention {

    private EmulationPrevention() {
    }

    /** Returns the RBSP of {@code length} bytes of {@code nal} from {@code offset}. */
    public static byte[] unescape(byte[] nal, int offset, int length) {
        if (offset < 0 || length < 0 || offset > nal.length - length) {
            throw new IndexOutOfBoundsException("offset " + offset + ", length " + length
                    + ", array length " + nal.length);
        }
        byte[] out = new byte[length];
        int n = 0;
        int zeros = 0;
        int end = offset + length;
        for (int i = offset; i < end; i++) {
            byte b = nal[i];
            if (zeros >= 2 && b == 3) {
                // The 0x03 only ever exists to break a 0x0000xx run; it is not payload.
                zeros = 0;
                continue;
            }
            zeros = b == 0 ? zeros + 1 : 0;
            out[n++] = b;
        }
        return n == length ? out : Arrays.copyOf(out, n);
    }

    /** Returns the RBSP of a whole NAL unit array. */
    public static byte[] unescape(byte[] nal) {
        return unescape(nal, 0, nal.length);
    }

    /**
     * Returns {@code rbsp} with an emulation prevention byte wherever two zeros precede a byte
     * of 0 to 3, and after a final zero byte.
     */
    public static byte[] escape(byte[] rbsp) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(rbsp.length + rbsp.length / 64 + 4);
        int zeros = 0;
        for (byte b : rbsp) {
            if (zeros >= 2 && (b & 0xFF) <= 3) {
                out.write(3);
                zeros = 0;
            }
            out.write(b);
            zeros = b == 0 ? zeros + 1 : 0;
        }
        if (rbsp.length > 0 && rbsp[rbsp.length - 1] == 0) {
            // A NAL unit must not end in 0x00 (H.264 §7.4.1), so a trailing zero gets a 0x03 after it.
            out.write(3);
        }
        return out.toByteArray();
    }
}
