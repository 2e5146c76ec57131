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

class FlvAudioDataTest {

    private static FlvAudioData parseAndRewrite(String hex) {
        ByteBuf in = hex(hex);
        FlvAudioData a = FlvAudioData.decode(in);
        assertFalse(in.isReadable());
        in.release();
        ByteBuf out = Unpooled.buffer();
        a.write(out);
        assertHexAndRelease(hex, out);
        return a;
    }

    @Test
    void legacyAacSequenceHeader() {
        FlvAudioData a = parseAndRewrite(
                "af"          // SoundFormat 10 (AAC), SoundRate 3 (44 kHz), SoundSize 1 (16-bit), SoundType 1 (stereo)
                + "00"        // AACPacketType 0: sequence header
                + "1210");    // AudioSpecificConfig: AAC LC, 44.1 kHz, stereo
        assertFalse(a.isEnhanced());
        assertEquals(CodecId.AAC, a.codec());
        assertEquals(FlvAudioPacketType.SEQUENCE_START, a.packetType());
        assertEquals("1210", hexOf(a.content()));
        assertEquals(44100, a.sampleRate());
        assertEquals(2, a.channels());
        assertTrue(a.release());
    }

    @Test
    void legacyAacRaw() {
        FlvAudioData a = parseAndRewrite("af 01 2110");
        assertEquals(FlvAudioPacketType.CODED_FRAMES, a.packetType());
        assertEquals("2110", hexOf(a.content()));
        assertTrue(a.release());
    }

    @Test
    void legacyMp3Flags() {
        FlvAudioData a = parseAndRewrite(
                "2a"          // SoundFormat 2 (MP3), SoundRate 2 (22 kHz), SoundSize 1, SoundType 0 (mono)
                + "fffb90");  // start of an MP3 frame
        assertEquals(CodecId.MP3, a.codec());
        assertEquals(22050, a.sampleRate());
        assertEquals(1, a.channels());
        assertEquals(FlvAudioPacketType.CODED_FRAMES, a.packetType());
        assertTrue(a.release());
        FlvAudioData eightK = parseAndRewrite("e2 fff3"); // SoundFormat 14: MP3 8 kHz
        assertEquals(CodecId.MP3, eightK.codec());
        assertEquals(8000, eightK.sampleRate());
        assertTrue(eightK.release());
    }

    @Test
    void legacyOtherFormatIsCarriedWithoutCodec() {
        FlvAudioData a = parseAndRewrite("72 d5d5"); // SoundFormat 7: G.711 A-law
        assertNull(a.codec());
        assertEquals(7, a.soundFormat());
        assertTrue(a.release());
    }

    @Test
    void enhancedOpusSequenceStartAndFrames() {
        FlvAudioData head = parseAndRewrite(
                "90"          // SoundFormat 9 (ExHeader), AudioPacketType 0: SequenceStart
                + "4f707573"  // FourCC "Opus"
                + "4f707573486561640102380180bb00000000"); // OpusHead (RFC 7845, 5.1), 2 ch, 48 kHz
        assertTrue(head.isEnhanced());
        assertEquals(CodecId.OPUS, head.codec());
        assertEquals(FlvAudioPacketType.SEQUENCE_START, head.packetType());
        assertEquals(0, head.sampleRate());
        assertTrue(head.release());
        FlvAudioData frame = parseAndRewrite("91 4f707573 fc"); // CodedFrames, one Opus packet
        assertEquals(FlvAudioPacketType.CODED_FRAMES, frame.packetType());
        assertEquals("fc", hexOf(frame.content()));
        assertTrue(frame.release());
    }

    @Test
    void enhancedAacUsesMp4a() {
        FlvAudioData a = parseAndRewrite("90 6d703461 1190"); // SequenceStart "mp4a", ASC
        assertEquals(CodecId.AAC, a.codec());
        assertTrue(a.release());
    }

    @Test
    void enhancedMultichannelConfigAndSequenceEnd() {
        FlvAudioData mc = parseAndRewrite("94 4f707573 01 02 00000003"); // Native order, 2 ch, flags
        assertEquals(FlvAudioPacketType.MULTICHANNEL_CONFIG, mc.packetType());
        assertTrue(mc.release());
        FlvAudioData end = parseAndRewrite("92 4f707573");
        assertEquals(FlvAudioPacketType.SEQUENCE_END, end.packetType());
        assertTrue(end.release());
    }

    @Test
    void enhancedModExThenCodedFrames() {
        ByteBuf in = hex("97 02 0001f4 01 4f707573 fc"); // ModEx: 3 bytes, then CodedFrames "Opus"
        FlvAudioData a = FlvAudioData.decode(in);
        assertEquals(FlvAudioPacketType.CODED_FRAMES, a.packetType());
        assertEquals(CodecId.OPUS, a.codec());
        assertEquals("fc", hexOf(a.content()));
        a.release();
        assertReleased(in);
    }

    @Test
    void enhancedMultitrackIsCarriedOpaquely() {
        ByteBuf in = hex("95 01 4f707573 00 fc"); // Multitrack: OneTrack, CodedFrames, "Opus", track 0
        FlvAudioData a = FlvAudioData.decode(in);
        assertEquals(FlvAudioPacketType.MULTITRACK, a.packetType());
        assertNull(a.codec());
        a.release();
        assertReleased(in);
    }

    @Test
    void knownButUnsupportedFourCcsHaveNoCodec() {
        for (String fourCc : new String[] {"664c6143", "61632d33", "65632d33"}) { // fLaC, ac-3, ec-3
            ByteBuf in = hex("91 " + fourCc + " 00");
            FlvAudioData a = FlvAudioData.decode(in);
            assertNull(a.codec());
            a.release();
            assertReleased(in);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",                 // empty
        "af",               // AAC without AACPacketType
        "af 02 00",         // AACPacketType 2
        "90 4f70",          // FourCC truncated
        "91 766f7262 00",   // unknown FourCC "vorb"
        "91 68766331 00",   // a video FourCC in an audio tag
        "93 4f707573",      // reserved AudioPacketType 3
        "96 4f707573",      // reserved AudioPacketType 6
        "97 05 00",         // ModEx data truncated
    })
    void rejectsMalformed(String hex) {
        ByteBuf in = hex(hex);
        assertThrows(MalformedMediaException.class, () -> FlvAudioData.decode(in));
        assertReleased(in);
    }
}
