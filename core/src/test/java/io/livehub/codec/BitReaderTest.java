package io.livehub.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.media.MalformedMediaException;
import org.junit.jupiter.api.Test;

class BitReaderTest {

    @Test
    void readsFixedLengthFieldsAcrossByteBoundaries() {
        BitReader r = new BitReader(new byte[] {(byte) 0b1010_1100, (byte) 0b0101_0011, (byte) 0xFF});
        assertEquals(1, r.readBit());
        assertEquals(0b010, r.readBits(3));
        assertEquals(0b1100_0101, r.readBits(8));
        assertFalse(r.isByteAligned());
        assertEquals(0b0011_1111_1111L, r.readBitsLong(12));
        assertEquals(0, r.bitsLeft());
        assertTrue(r.isByteAligned());
    }

    @Test
    void readsThirtyTwoBitValuesAsUnsigned() {
        BitReader r = new BitReader(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFE});
        assertEquals(0xFFFF_FFFEL, r.readBitsLong(32));
    }

    @Test
    void readsExpGolombCodesOfH264Table9_2() {
        // Codewords 1, 010, 011, 00100, 00101, 00110, 00111 -> codeNum 0..6 (H.264 Table 9-2),
        // packed: 1 010 011 00100 00101 00110 00111 then padding 1s.
        BitReader r = new BitReader(new byte[] {(byte) 0b1010_0110, (byte) 0b0100_0010, (byte) 0b1001_1000,
            (byte) 0b1111_1111});
        for (int expected = 0; expected <= 6; expected++) {
            assertEquals(expected, r.readUe());
        }
    }

    @Test
    void mapsSignedExpGolombPerTable9_3() {
        // codeNum 0..4 -> 0, 1, -1, 2, -2: 1 010 011 00100 00101
        BitReader r = new BitReader(new byte[] {(byte) 0b1010_0110, (byte) 0b0100_0010, (byte) 0b1000_0000});
        assertEquals(0, r.readSe());
        assertEquals(1, r.readSe());
        assertEquals(-1, r.readSe());
        assertEquals(2, r.readSe());
        assertEquals(-2, r.readSe());
    }

    @Test
    void readsLargestIntExpGolomb() {
        // 30 zeros, a one, then 30 ones: codeNum 2^31 - 2.
        BitReader r = new BitReader(new byte[] {0, 0, 0, 0b0000_0011, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
            (byte) 0xF8});
        assertEquals(Integer.MAX_VALUE - 1, r.readUe());
    }

    @Test
    void rejectsOverlongExpGolombAndReadsPastTheEnd() {
        assertThrows(MalformedMediaException.class, () -> new BitReader(new byte[8]).readUe());
        assertThrows(MalformedMediaException.class, () -> new BitReader(new byte[] {0, 0}).readUe());
        assertThrows(MalformedMediaException.class, () -> new BitReader(new byte[1]).readBits(9));
        assertThrows(MalformedMediaException.class, () -> new BitReader(new byte[1]).skipBits(9));
        // 31 zeros then 31 ones: 2^32 - 2 does not fit an int.
        assertThrows(MalformedMediaException.class, () -> new BitReader(new byte[] {0, 0, 0, 1, (byte) 0xFF,
            (byte) 0xFF, (byte) 0xFF, (byte) 0xFE}).readUe());
        BitReader r = new BitReader(new byte[] {(byte) 0b0001_0000});
        assertThrows(MalformedMediaException.class, () -> r.readUe("x", 6));
    }

    @Test
    void honoursOffsetAndLength() {
        BitReader r = new BitReader(new byte[] {1, 2, 3, 4}, 1, 2);
        assertEquals(0x0203, r.readBits(16));
        assertThrows(MalformedMediaException.class, r::readBit);
    }
}
