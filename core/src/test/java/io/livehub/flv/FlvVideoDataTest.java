package io.livehub.flv;

import static io.livehub.flv.Bytes.assertHexAndRelease;
import static io.livehub.flv.Bytes.assertReleased;
import static io.livehub.flv.Bytes.hex;
import static io.livehub.flv.Bytes.hexOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.media.CodecId;
import io.livehub.media.MalformedMediaException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FlvVideoDataTest {

    /** Parses {@code hex}, checks it, writes it back and checks the bytes are the same. */
    private static FlvVideoData parseAndRewrite(String hex) {
        ByteBuf in = hex(hex);
        FlvVideoData v = FlvVideoData.decode(in);
        assertFalse(in.isReadable());
        in.release(); // the data slice keeps the memory alive
        ByteBuf out = Unpooled.buffer();
        v.write(out);
        assertHexAndRelease(hex, out);
        return v;
    }

    @Test
    void legacyAvcSequenceHeader() {
        FlvVideoData v = parseAndRewrite(
                "17"          // FrameType 1 (key), CodecID 7 (AVC)
                + "00"        // AVCPacketType 0: sequence header
                + "000000"    // CompositionTime 0
                + "0164000aff e1"); // start of an avcC
        assertFalse(v.isEnhanced());
        assertTrue(v.isKeyframe());
        assertEquals(CodecId.H264, v.codec());
        assertEquals(7, v.legacyCodecId());
        assertEquals(FlvVideoPacketType.SEQUENCE_START, v.packetType());
        assertEquals("0164000affe1", hexOf(v.content()));
        assertTrue(v.release());
    }

    @Test
    void legacyAvcNaluWithNegativeCompositionTime() {
        FlvVideoData v = parseAndRewrite(
                "27"          // FrameType 2 (inter), CodecID 7
                + "01"        // AVCPacketType 1: NALU
                + "ffffd8"    // CompositionTime -40 (SI24)
                + "00000002 0901");
        assertFalse(v.isKeyframe());
        assertEquals(FlvVideoPacketType.CODED_FRAMES, v.packetType());
        assertEquals(-40, v.compositionTime());
        assertEquals("000000020901", hexOf(v.content()));
        assertTrue(v.release());
    }

    @Test
    void legacyHevcCodecId12() {
        FlvVideoData v = parseAndRewrite(
                "1c"          // FrameType 1, CodecID 12 (HEVC, non-Adobe extension)
                + "01"        // AVCPacketType 1
                + "000050"    // CompositionTime 80
                + "00000003 260101");
        assertEquals(CodecId.H265, v.codec());
        assertEquals(80, v.compositionTime());
        assertTrue(v.release());
    }

    @Test
    void legacyAvcEndOfSequence() {
        FlvVideoData v = parseAndRewrite("17 02 000000");
        assertEquals(FlvVideoPacketType.SEQUENCE_END, v.packetType());
        assertTrue(v.release());
    }

    @Test
    void legacyOtherCodecIsCarriedWithoutCodec() {
        FlvVideoData v = parseAndRewrite("22 0102"); // FrameType 2, CodecID 2 (Sorenson H.263)
        assertNull(v.codec());
        assertEquals(2, v.legacyCodecId());
        assertEquals("0102", hexOf(v.content()));
        assertTrue(v.release());
    }

    @Test
    void legacyCommandFrame() {
        FlvVideoData v = parseAndRewrite("57 01"); // FrameType 5 (video info/command), CodecID 7; end of seek
        assertTrue(v.isCommand());
        assertEquals("01", hexOf(v.content()));
        assertTrue(v.release());
    }

    @Test
    void enhancedHevcSequenceStart() {
        FlvVideoData v = parseAndRewrite(
                "90"          // IsExHeader 1, FrameType 1 (key), VideoPacketType 0: SequenceStart
                + "68766331"  // FourCC "hvc1"
                + "0101");    // start of an hvcC
        assertTrue(v.isEnhanced());
        assertEquals(CodecId.H265, v.codec());
        assertEquals(FlvVideoPacketType.SEQUENCE_START, v.packetType());
        assertEquals("0101", hexOf(v.content()));
        assertTrue(v.release());
    }

    @Test
    void enhancedHevcCodedFramesHasCompositionTime() {
        FlvVideoData v = parseAndRewrite(
                "a1"          // IsExHeader 1, FrameType 2 (inter), VideoPacketType 1: CodedFrames
                + "68766331"  // "hvc1"
                + "000028"    // CompositionTime 40 (SI24), present for avc1/hvc1 only
                + "00000001 02");
        assertEquals(40, v.compositionTime());
        assertEquals("0000000102", hexOf(v.content()));
        assertTrue(v.release());
    }

    @Test
    void enhancedCodedFramesXHasNoCompositionTime() {
        FlvVideoData v = parseAndRewrite(
                "93"          // IsExHeader 1, FrameType 1, VideoPacketType 3: CodedFramesX
                + "61766331"  // "avc1"
                + "00000001 65");
        assertEquals(CodecId.H264, v.codec());
        assertEquals(FlvVideoPacketType.CODED_FRAMES_X, v.packetType());
        assertEquals(0, v.compositionTime());
        assertEquals("0000000165", hexOf(v.content()));
        assertTrue(v.release());
    }

    @Test
    void enhancedAv1AndVp9CodedFramesHaveNoCompositionTime() {
        FlvVideoData av1 = parseAndRewrite("91 61763031 12000a0b"); // key, CodedFrames, "av01", OBUs
        assertEquals(CodecId.AV1, av1.codec());
        assertEquals("12000a0b", hexOf(av1.content()));
        assertTrue(av1.release());
        FlvVideoData vp9 = parseAndRewrite("a1 76703039 8249"); // inter, CodedFrames, "vp09"
        assertEquals(CodecId.VP9, vp9.codec());
        assertEquals(0, vp9.compositionTime());
        assertTrue(vp9.release());
    }

    @Test
    void enhancedSequenceEndAndMetadata() {
        FlvVideoData end = parseAndRewrite("92 61763031"); // key, SequenceEnd, "av01"
        assertEquals(FlvVideoPacketType.SEQUENCE_END, end.packetType());
        assertFalse(end.content().isReadable());
        assertTrue(end.release());
        FlvVideoData meta = parseAndRewrite("94 68766331 0200096" + "36f6c6f72496e666f"); // Metadata, AMF "colorInfo"
        assertEquals(FlvVideoPacketType.METADATA, meta.packetType());
        assertTrue(meta.release());
    }

    @Test
    void enhancedCommandFrameHasNoFourCc() {
        ByteBuf in = hex("d1 00"); // IsExHeader, FrameType 5 (command), packet type 1; VideoCommand 0
        FlvVideoData v = FlvVideoData.decode(in);
        assertTrue(v.isCommand());
        assertNull(v.codec());
        assertEquals("00", hexOf(v.content()));
        ByteBuf out = Unpooled.buffer();
        v.write(out);
        assertHexAndRelease("d1 00", out);
        v.release();
        assertFalse(in.isReadable());
        assertReleased(in);
    }

    @Test
    void skipsModExPrefixes() {
        ByteBuf in = hex(
                "97"          // IsExHeader, FrameType 1, VideoPacketType 7: ModEx
                + "02"        // modExDataSize - 1 = 2
                + "0003e8"    // modExData: TimestampOffsetNano 1000
                + "07"        // VideoPacketModExType 0, next VideoPacketType 7: ModEx again
                + "ff 0000"   // size byte 255 means UI16 + 1 follows: 0 + 1 = 1 byte
                + "00"        // modExData
                + "01"        // VideoPacketModExType 0, VideoPacketType 1: CodedFrames
                + "68766331 000000 00000001 40");
        FlvVideoData v = FlvVideoData.decode(in);
        assertEquals(FlvVideoPacketType.CODED_FRAMES, v.packetType());
        assertEquals(CodecId.H265, v.codec());
        assertEquals("0000000140", hexOf(v.content()));
        v.release();
        assertReleased(in);
    }

    @Test
    void multitrackIsCarriedOpaquely() {
        ByteBuf in = hex("96 01 68766331 00 000003 000000"); // Multitrack: OneTrack, CodedFrames, "hvc1", ...
        FlvVideoData v = FlvVideoData.decode(in);
        assertEquals(FlvVideoPacketType.MULTITRACK, v.packetType());
        assertNull(v.codec());
        assertEquals("0168766331000000030000 00".replace(" ", ""), hexOf(v.content()));
        v.release();
        assertReleased(in);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",                   // empty
        "17 00 00",           // AVC header truncated in CompositionTime
        "17",                 // AVC header without AVCPacketType
        "17 03 000000",       // AVCPacketType 3
        "07 00 000000",       // FrameType 0
        "77 00 000000",       // FrameType 7
        "90 6876",            // FourCC truncated
        "90 78797a31 00",     // unknown FourCC "xyz1"
        "90 00000000",        // unknown FourCC of zero bytes
        "98 68766331",        // reserved VideoPacketType 8
        "91 68766331 0000",   // hvc1 CodedFrames truncated in CompositionTime
        "97",                 // ModEx truncated in its size
        "97 03 0000",         // ModEx data truncated
        "97 ff 00",           // ModEx UI16 size truncated
        "97 00 00",           // ModEx without the byte after its data
    })
    void rejectsMalformed(String hex) {
        ByteBuf in = hex(hex);
        assertThrows(MalformedMediaException.class, () -> FlvVideoData.decode(in));
        assertReleased(in);
    }

    @Test
    void unknownFourCcMessageNamesIt() {
        ByteBuf in = hex("90 78797a31 00");
        MalformedMediaException e = assertThrows(MalformedMediaException.class, () -> FlvVideoData.decode(in));
        assertTrue(e.getMessage().contains("'xyz1'"), e.getMessage());
        assertReleased(in);
    }

    @Test
    void knownButUnsupportedFourCcHasNoCodec() {
        ByteBuf in = hex("91 76703038 00"); // "vp08"
        FlvVideoData v = FlvVideoData.decode(in);
        assertNull(v.codec());
        assertTrue(v.isEnhanced());
        v.release();
        assertReleased(in);
    }

    @Test
    void rejectsCompositionTimeOutside24Bits() {
        ByteBuf out = Unpooled.buffer();
        assertThrows(MalformedMediaException.class, () -> FlvVideoData.writeLegacyHeader(out, 1, 7,
                FlvVideoPacketType.CODED_FRAMES, 0x80_0000));
        FlvVideoData.writeLegacyHeader(out, 1, 7, FlvVideoPacketType.CODED_FRAMES, -0x80_0000);
        assertHexAndRelease("17 01 800000", out);
    }
}
