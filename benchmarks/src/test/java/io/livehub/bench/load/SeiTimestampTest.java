package io.livehub.bench.load;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SeiTimestampTest {

    @Test
    void findsWhatWasEncoded() {
        byte[] sei = SeiTimestamp.encode(12345, 1_763_683_200_123_456L);
        long[] out = new long[2];
        assertTrue(SeiTimestamp.find(sei, 0, sei.length, out));
        assertArrayEquals(new long[] {12345, 1_763_683_200_123_456L}, out);
        assertTrue(sei.length <= SeiTimestamp.MAX_LENGTH);
    }

    @Test
    void encodesAnSeiNalUnitWithoutZeroBytesAfterTheLength() {
        byte[] sei = SeiTimestamp.encode(0, 7);
        int nalLength = ((sei[0] & 0xFF) << 24) | ((sei[1] & 0xFF) << 16) | ((sei[2] & 0xFF) << 8) | (sei[3] & 0xFF);
        assertEquals(sei.length - 4, nalLength);
        assertEquals(6, sei[4] & 0x1F);
        assertEquals(5, sei[5]);
        assertEquals(sei.length - 4 - 4, sei[6] & 0xFF); // UUID and text, without header, type, size, stop bit
        assertEquals((byte) 0x80, sei[sei.length - 1]);
        for (int i = 4; i < sei.length; i++) {
            assertTrue(sei[i] != 0, "no emulation prevention needed");
        }
    }

    @Test
    void findsTheStampAfterOtherNalUnitsAndInAVideoBody() {
        byte[] aud = {0, 0, 0, 2, 0x09, (byte) 0xF0};
        byte[] sei = SeiTimestamp.encode(1, 2);
        byte[] body = new byte[5 + aud.length + sei.length + 3];
        body[0] = 0x17;
        body[1] = 1;
        System.arraycopy(aud, 0, body, 5, aud.length);
        System.arraycopy(sei, 0, body, 5 + aud.length, sei.length);
        long[] out = new long[2];
        assertTrue(SeiTimestamp.find(body, SeiTimestamp.AVC_BODY_HEADER, body.length - 5, out));
        assertArrayEquals(new long[] {1, 2}, out);
    }

    @Test
    void ignoresTruncatedOrForeignData() {
        byte[] sei = SeiTimestamp.encode(99, 123456789);
        long[] out = new long[2];
        assertFalse(SeiTimestamp.find(sei, 0, sei.length - 1, out), "the NAL unit does not fit");
        byte[] other = sei.clone();
        other[7] ^= 1; // UUID
        assertFalse(SeiTimestamp.find(other, 0, other.length, out));
        byte[] idr = {0, 0, 0, 3, 0x65, (byte) 0x88, (byte) 0x84};
        assertFalse(SeiTimestamp.find(idr, 0, idr.length, out));
        assertFalse(SeiTimestamp.find(new byte[0], 0, 0, out));
        assertFalse(SeiTimestamp.find(Arrays.copyOf(sei, 4), 0, 4, out));
    }

    @Test
    void refusesNegativeValues() {
        assertThrows(IllegalArgumentException.class, () -> SeiTimestamp.encode(-1, 0));
        assertThrows(IllegalArgumentException.class, () -> SeiTimestamp.encode(0, -1));
    }
}
