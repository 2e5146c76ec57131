package io.livehub.ts;

import io.livehub.media.MalformedMediaException;

/**
 * Reads and writes the long form of a PSI section (ITU-T H.222.0 §2.4.4.10, Table 2-30 and
 * Table 2-33 share it): table id, {@code section_length}, a 16-bit table id extension,
 * version, {@code current_next_indicator}, section numbers, the table body and the CRC_32 of
 * Annex A.
 *
 * <p>Thread-safety: stateless.
 */
final class PsiSection {

    /** Bytes before the body: table_id through last_section_number. */
    static final int HEADER_LENGTH = 8;
    /** Bytes of the CRC_32 after the body. */
    static final int CRC_LENGTH = 4;
    /** The largest {@code section_length} of a PAT or PMT (§2.4.4.3, §2.4.4.8). */
    static final int MAX_SECTION_LENGTH = 1021;

    private PsiSection() {
    }

    /**
     * Returns a complete section around {@code body}, CRC included.
     *
     * @throws IllegalArgumentException when the section would be longer than §2.4.4 allows
     */
    static byte[] encode(int tableId, int tableIdExtension, int version, byte[] body) {
        int sectionLength = 5 + body.length + CRC_LENGTH;
        if (sectionLength > MAX_SECTION_LENGTH) {
            throw new IllegalArgumentException("PSI section of " + sectionLength + " bytes exceeds "
                    + MAX_SECTION_LENGTH);
        }
        byte[] s = new byte[3 + sectionLength];
        s[0] = (byte) tableId;
        // section_syntax_indicator 1, '0', reserved '11', then the 12-bit section_length
        s[1] = (byte) (0xB0 | sectionLength >>> 8);
        s[2] = (byte) sectionLength;
        s[3] = (byte) (tableIdExtension >>> 8);
        s[4] = (byte) tableIdExtension;
        // reserved '11', version_number, current_next_indicator 1
        s[5] = (byte) (0xC1 | (version & 0x1F) << 1);
        s[6] = 0; // section_number
        s[7] = 0; // last_section_number
        System.arraycopy(body, 0, s, HEADER_LENGTH, body.length);
        int crc = Crc32Mpeg2.compute(s, 0, s.length - CRC_LENGTH);
        int c = s.length - CRC_LENGTH;
        s[c] = (byte) (crc >>> 24);
        s[c + 1] = (byte) (crc >>> 16);
        s[c + 2] = (byte) (crc >>> 8);
        s[c + 3] = (byte) crc;
        return s;
    }

    /**
     * Checks a complete section: the table id, the syntax indicator, that
     * {@code section_length} matches the array and the CRC.
     *
     * @throws MalformedMediaException when a check fails
     */
    static void check(byte[] s, int tableId) {
        if (s.length < HEADER_LENGTH + CRC_LENGTH) {
            throw new MalformedMediaException("PSI section of " + s.length + " bytes is too short");
        }
        if ((s[0] & 0xFF) != tableId) {
            throw new MalformedMediaException("PSI table_id " + (s[0] & 0xFF) + ", expected " + tableId);
        }
        if ((s[1] & 0x80) == 0) {
            throw new MalformedMediaException("PSI section_syntax_indicator is 0");
        }
        if (sectionLength(s, 0) + 3 != s.length) {
            throw new MalformedMediaException("PSI section_length does not match the section");
        }
        if (Crc32Mpeg2.compute(s, 0, s.length) != 0) {
            throw new MalformedMediaException("PSI section CRC_32 mismatch");
        }
    }

    /** Returns the 12-bit {@code section_length} of the section starting at {@code offset}. */
    static int sectionLength(byte[] s, int offset) {
        return (s[offset + 1] & 0x0F) << 8 | s[offset + 2] & 0xFF;
    }

    static int tableIdExtension(byte[] s) {
        return (s[3] & 0xFF) << 8 | s[4] & 0xFF;
    }

    static int version(byte[] s) {
        return (s[5] >>> 1) & 0x1F;
    }

    static boolean currentNext(byte[] s) {
        return (s[5] & 1) != 0;
    }
}
