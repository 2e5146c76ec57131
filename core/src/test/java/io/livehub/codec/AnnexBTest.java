package io.livehub.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.media.MalformedMediaException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnnexBTest {

    private static final ByteBufAllocator ALLOC = PooledByteBufAllocator.DEFAULT;

    /** An access unit as x264 writes it: 4-byte start code, then 3-byte ones, trailing zero. */
    private static final byte[] ANNEX_B = Hex.bytes(
            "00000001 0910"            // access unit delimiter
            + "000001 67 42c00d 00"    // SPS header and profile/level, then a trailing_zero_8bits
            + "000001 68 ce3880"       // PPS
            + "00000001 65 888400 0003 01"); // IDR slice head with an emulation prevention byte

    private static final byte[] LENGTH_PREFIXED = Hex.bytes(
            "00000002 0910"
            + "00000004 6742c00d"
            + "00000004 68ce3880"
            + "00000007 65888400000301");

    @Test
    void splitsThreeAndFourByteStartCodes() {
        List<byte[]> units = AnnexB.split(ANNEX_B);
        assertEquals(4, units.size());
        assertArrayEquals(Hex.bytes("0910"), units.get(0));
        assertArrayEquals(Hex.bytes("6742c00d"), units.get(1));
        assertArrayEquals(Hex.bytes("68ce3880"), units.get(2));
        assertArrayEquals(Hex.bytes("65888400000301"), units.get(3));
    }

    @Test
    void splitsByteBufIntoBorrowedSlices() {
        ByteBuf in = ALLOC.buffer().writeBytes(ANNEX_B);
        try {
            List<ByteBuf> units = AnnexB.split(in);
            assertEquals(4, units.size());
            assertEquals("68ce3880", ByteBufUtil.hexDump(units.get(2)));
            assertEquals(0, in.readerIndex());
        } finally {
            in.release();
        }
    }

    @Test
    void skipsEmptyUnitsAndLeadingZeros() {
        List<byte[]> units = AnnexB.split(Hex.bytes("0000 00000001 000001 09f0 000000"));
        assertEquals(1, units.size());
        assertArrayEquals(Hex.bytes("09f0"), units.get(0));
    }

    @Test
    void convertsAnnexBToLengthPrefixedAndBack() {
        ByteBuf in = Unpooled.wrappedBuffer(ANNEX_B);
        ByteBuf avcc = AnnexB.toLengthPrefixed(in, ALLOC);
        ByteBuf back = LengthPrefixedNalUnits.toAnnexB(avcc, 4, ALLOC);
        try {
            assertArrayEquals(LENGTH_PREFIXED, ByteBufUtil.getBytes(avcc));
            // Back to Annex B every start code is 4 bytes and the trailing zero is gone.
            assertEquals(Hex.of(AnnexB.join(AnnexB.split(ANNEX_B))), ByteBufUtil.hexDump(back));
        } finally {
            avcc.release();
            back.release();
        }
    }

    @Test
    void widensOneAndTwoByteLengths() {
        ByteBuf one = Unpooled.wrappedBuffer(Hex.bytes("02 0910 04 6742c00d"));
        ByteBuf two = Unpooled.wrappedBuffer(Hex.bytes("0002 0910 0004 6742c00d"));
        ByteBuf a = LengthPrefixedNalUnits.toFourByteLengths(one, 1, ALLOC);
        ByteBuf b = LengthPrefixedNalUnits.toFourByteLengths(two, 2, ALLOC);
        try {
            assertEquals("0000000209100000000467" + "42c00d", ByteBufUtil.hexDump(a));
            assertEquals(ByteBufUtil.hexDump(a), ByteBufUtil.hexDump(b));
        } finally {
            a.release();
            b.release();
        }
    }

    @Test
    void matchesHeadersWithoutCopying() {
        ByteBuf au = Unpooled.wrappedBuffer(LENGTH_PREFIXED);
        assertTrue(LengthPrefixedNalUnits.anyHeaderMatches(au, 4, h -> (h & 0x1F) == 5));
        assertFalse(LengthPrefixedNalUnits.anyHeaderMatches(au, 4, h -> (h & 0x1F) == 1));
        assertEquals(4, LengthPrefixedNalUnits.split(au, 4).size());
    }

    @Test
    void rejectsStreamsWithoutStartCode() {
        assertThrows(MalformedMediaException.class, () -> AnnexB.split(new byte[0]));
        assertThrows(MalformedMediaException.class, () -> AnnexB.split(new byte[5]));
        assertThrows(MalformedMediaException.class, () -> AnnexB.split(Hex.bytes("6742 000001 68")));
        assertThrows(MalformedMediaException.class, () -> AnnexB.split(Hex.bytes("0001 67")));
    }

    @Test
    void rejectsLengthsPastTheEnd() {
        ByteBuf shortLength = Unpooled.wrappedBuffer(Hex.bytes("00000002 09"));
        ByteBuf absurd = Unpooled.wrappedBuffer(Hex.bytes("ffffffff 0910"));
        ByteBuf truncatedPrefix = Unpooled.wrappedBuffer(Hex.bytes("00000002 0910 0000"));
        for (ByteBuf bad : List.of(shortLength, absurd, truncatedPrefix)) {
            assertThrows(MalformedMediaException.class, () -> LengthPrefixedNalUnits.toAnnexB(bad, 4, ALLOC));
            assertThrows(MalformedMediaException.class,
                    () -> LengthPrefixedNalUnits.toFourByteLengths(bad, 4, ALLOC));
            assertThrows(MalformedMediaException.class, () -> LengthPrefixedNalUnits.split(bad, 4));
            assertThrows(MalformedMediaException.class,
                    () -> LengthPrefixedNalUnits.anyHeaderMatches(bad, 4, h -> false));
        }
        assertThrows(IllegalArgumentException.class, () -> LengthPrefixedNalUnits.split(shortLength, 3));
    }
}
