package io.livehub.flv;

import static io.livehub.flv.Bytes.assertHexAndRelease;
import static io.livehub.flv.Bytes.assertReleased;
import static io.livehub.flv.Bytes.hex;
import static io.livehub.flv.Bytes.hexOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.media.MalformedMediaException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class FlvTagCodecTest {

    private static final String HEADER_AV =
            "464c56"      // Signature "FLV"
            + "01"        // Version 1
            + "05"        // TypeFlags: audio (0x04) | video (0x01)
            + "00000009"  // DataOffset 9
            + "00000000"; // PreviousTagSize0

    // A video tag at timestamp 0x12345678 ms with a 3-byte body.
    private static final String VIDEO_TAG =
            "09"          // Reserved 0, Filter 0, TagType 9 (video)
            + "000003"    // DataSize 3
            + "345678"    // Timestamp, low 24 bits
            + "12"        // TimestampExtended, high 8 bits
            + "000000"   // StreamID 0
            + "aabbcc"    // body
            + "0000000e"; // PreviousTagSize 11 + 3

    @Test
    void writesHeader() {
        ByteBuf out = Unpooled.buffer();
        new FlvHeader(true, true).write(out);
        assertHexAndRelease(HEADER_AV, out);
        out = Unpooled.buffer();
        new FlvHeader(false, true).write(out);
        assertHexAndRelease("464c5601 01 00000009 00000000", out);
    }

    @Test
    void readsHeader() {
        ByteBuf in = hex(HEADER_AV);
        assertEquals(new FlvHeader(true, true), FlvHeader.read(in));
        assertFalse(in.isReadable());
        assertReleased(in);
    }

    @Test
    void skipsHeaderBytesBeyondDataOffset9() {
        ByteBuf in = hex("464c5601 04 0000000b ffff 00000000 08");
        assertEquals(new FlvHeader(true, false), FlvHeader.read(in));
        assertEquals(1, in.readableBytes());
        assertReleased(in);
    }

    @Test
    void rejectsBadHeaders() {
        assertMalformed("464c5801 05 00000009 00000000", "signature");
        assertMalformed("464c5602 05 00000009 00000000", "version");
        assertMalformed("464c5601 05 00000008 00000000", "DataOffset");
        assertMalformed("464c5601 05 7fffffff 00000000", "DataOffset");
    }

    private static void assertMalformed(String hex, String expectedInMessage) {
        ByteBuf in = hex(hex);
        try {
            MalformedMediaException e = assertThrows(MalformedMediaException.class, () -> FlvHeader.read(in));
            assertTrue(e.getMessage().contains(expectedInMessage), e.getMessage());
        } finally {
            assertReleased(in);
        }
    }

    @Test
    void writesTag() {
        ByteBuf body = hex("aabbcc");
        ByteBuf tag = FlvTagEncoder.encode(ByteBufAllocator.DEFAULT, FlvTagType.VIDEO, 0x12345678L, body);
        assertEquals(3, body.readableBytes(), "body indexes must not move");
        assertEquals(tag.capacity(), tag.readableBytes(), "exactly sized");
        assertHexAndRelease(VIDEO_TAG, tag);
        assertReleased(body);
    }

    @Test
    void writesTimestampModulo32Bits() {
        ByteBuf body = Unpooled.EMPTY_BUFFER;
        ByteBuf tag = FlvTagEncoder.encode(ByteBufAllocator.DEFAULT, FlvTagType.AUDIO, (1L << 32) + 5, body);
        assertHexAndRelease("08 000000 000005 00 000000 0000000b", tag);
    }

    @Test
    void readsTagAfterHeader() {
        ByteBuf in = hex(HEADER_AV + VIDEO_TAG);
        FlvTagDecoder decoder = new FlvTagDecoder();
        FlvTag tag = decoder.decode(in);
        assertNotNull(tag);
        assertEquals(new FlvHeader(true, true), decoder.header());
        assertEquals(FlvTagType.VIDEO, tag.type());
        assertEquals(0x12345678L, tag.timestamp());
        assertEquals("aabbcc", hexOf(tag.content()));
        assertNull(decoder.decode(in));
        assertFalse(in.isReadable());
        tag.release();
        assertReleased(in);
    }

    @Test
    void readsTimestampAbove2Pow31AsUnsigned() {
        ByteBuf in = hex("12 000000 fffffe ff 000000 0000000b");
        FlvTag tag = new FlvTagDecoder(false, 16).decode(in);
        assertEquals(FlvTagType.SCRIPT_DATA, tag.type());
        assertEquals(0xFFFF_FFFEL, tag.timestamp());
        tag.release();
        assertReleased(in);
    }

    @Test
    void returnsNullUntilTagIsComplete() {
        ByteBuf all = hex(HEADER_AV + VIDEO_TAG + VIDEO_TAG);
        ByteBuf in = Unpooled.buffer();
        FlvTagDecoder decoder = new FlvTagDecoder();
        int tags = 0;
        for (int i = 0; i < all.readableBytes(); i++) {
            in.writeByte(all.getByte(i));
            FlvTag tag = decoder.decode(in);
            if (tag != null) {
                tags++;
                int consumed = i + 1;
                assertTrue(consumed == 13 + 18 || consumed == 13 + 36, "tag complete only at its end: " + consumed);
                assertEquals(0x12345678L, tag.timestamp());
                tag.release();
            }
        }
        assertEquals(2, tags);
        assertReleased(in);
        assertReleased(all);
    }

    @Test
    void rejectsOversizeTagBeforeItsBodyArrives() {
        ByteBuf in = hex("09 000011 000000 00 000000"); // DataSize 17, header only
        FlvTagDecoder decoder = new FlvTagDecoder(false, 16);
        MalformedMediaException e = assertThrows(MalformedMediaException.class, () -> decoder.decode(in));
        assertTrue(e.getMessage().contains("exceeds the limit of 16"), e.getMessage());
        assertReleased(in);
    }

    @Test
    void acceptsTagAtTheLimit() {
        ByteBuf in = hex("09 000010 000000 00 000000 00000000000000000000000000000000 0000001b");
        FlvTag tag = new FlvTagDecoder(false, 16).decode(in);
        assertEquals(16, tag.content().readableBytes());
        tag.release();
        assertReleased(in);
    }

    @Test
    void rejectsUnknownAndEncryptedTags() {
        ByteBuf unknown = hex("07 000000 000000 00 000000 0000000b");
        assertThrows(MalformedMediaException.class, () -> new FlvTagDecoder(false, 16).decode(unknown));
        assertReleased(unknown);
        ByteBuf encrypted = hex("29 000000 000000 00 000000 0000000b"); // Filter bit set
        MalformedMediaException e = assertThrows(MalformedMediaException.class,
                () -> new FlvTagDecoder(false, 16).decode(encrypted));
        assertTrue(e.getMessage().contains("encrypted"), e.getMessage());
        assertReleased(encrypted);
    }

    @Test
    void writesTagFromFlvTag() {
        FlvTag tag = new FlvTag(FlvTagType.VIDEO, 0x12345678L, hex("aabbcc"));
        ByteBuf out = Unpooled.buffer();
        FlvTagEncoder.write(tag, out);
        assertHexAndRelease(VIDEO_TAG, out);
        assertTrue(tag.release());
    }
}
