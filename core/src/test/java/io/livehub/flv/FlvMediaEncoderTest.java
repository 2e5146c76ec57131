package io.livehub.flv;

import io.livehub.testing.CollectingSink;
import static io.livehub.flv.Bytes.assertHexAndRelease;
import static io.livehub.flv.Bytes.hex;
import static io.livehub.flv.Bytes.hexOf;
import static io.livehub.flv.FlvMediaDecoderTest.AV1C;
import static io.livehub.flv.FlvMediaDecoderTest.AVCC;
import static io.livehub.flv.FlvMediaDecoderTest.AVCC_2;
import static io.livehub.flv.FlvMediaDecoderTest.HVCC;
import static io.livehub.flv.FlvMediaDecoderTest.OPUS_HEAD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.media.CodecId;
import io.livehub.media.MalformedMediaException;
import io.livehub.media.MediaFrame;
import io.livehub.media.Timebase;
import io.livehub.media.Track;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlvMediaEncoderTest {

    private static final io.livehub.media.EgressForms FORMS = new io.livehub.media.EgressForms();

    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

    private static Track track(CodecId codec, String configHex) {
        return Track.builder(codec).config(ByteBufUtil.decodeHexDump(configHex.replace(" ", ""))).build();
    }

    private static MediaFrame frame(Track t, long dts, long pts, boolean key, String payloadHex) {
        return MediaFrame.of(t, dts, pts, key, hex(payloadHex));
    }

    /** Encodes {@code f}'s body, checks it against {@code expected} and releases both. */
    private static void assertBody(String expected, MediaFrame f) {
        try {
            assertHexAndRelease(expected, FlvMediaEncoder.encodeBody(f, ALLOC));
        } finally {
            assertTrue(f.release());
        }
    }

    @Test
    void h264UsesLegacyBody() {
        Track t = track(CodecId.H264, AVCC);
        assertBody("17"          // FrameType 1 (key), CodecID 7 (AVC)
                + "01"           // AVCPacketType 1: NALU
                + "000050"       // CompositionTime 80
                + "00000001 65", frame(t, 1000, 1080, true, "00000001 65"));
        assertBody("27 01 ffffd8 00000001 41", frame(t, 1000, 960, false, "00000001 41")); // cts -40
    }

    @Test
    void hevcUsesEnhancedBodyAndCodedFramesXWhenCtsIsZero() {
        Track t = track(CodecId.H265, HVCC);
        assertBody("a1"          // IsExHeader, FrameType 2 (inter), VideoPacketType 1: CodedFrames
                + "68766331"     // "hvc1"
                + "000028"       // CompositionTime 40
                + "00000001 02", frame(t, 0, 40, false, "00000001 02"));
        assertBody("93"          // IsExHeader, FrameType 1 (key), VideoPacketType 3: CodedFramesX
                + "68766331"     // "hvc1", no CompositionTime
                + "00000001 26", frame(t, 0, 0, true, "00000001 26"));
    }

    @Test
    void av1Vp9AndOpusUseEnhancedBodies() {
        assertBody("91 61763031 12000a0b", frame(track(CodecId.AV1, AV1C), 0, 0, true, "12000a0b"));
        assertBody("a1 76703039 8649", frame(track(CodecId.VP9, "01"), 0, 40, false, "8649"));
        assertBody("91"          // SoundFormat 9 (ExHeader), AudioPacketType 1: CodedFrames
                + "4f707573"     // "Opus"
                + "fcff", frame(track(CodecId.OPUS, OPUS_HEAD), 0, 0, true, "fcff"));
    }

    @Test
    void aacAndMp3UseLegacyBodies() {
        assertBody("af"          // SoundFormat 10 (AAC), 44 kHz, 16-bit, stereo (fixed for AAC)
                + "01"           // AACPacketType 1: raw
                + "2110", frame(track(CodecId.AAC, "1190"), 0, 0, true, "2110"));
        Track mp3Mono22k = Track.builder(CodecId.MP3).audio(22050, 1).build();
        assertBody("2a fffb", frame(mp3Mono22k, 0, 0, true, "fffb")); // MP3, 22 kHz, 16-bit, mono
        Track mp3Stereo48k = Track.builder(CodecId.MP3).audio(48000, 2).build();
        assertBody("2f fffb", frame(mp3Stereo48k, 0, 0, true, "fffb")); // 48 kHz written as 44 kHz
    }

    @Test
    void sequenceHeaders() {
        assertHexAndRelease("17 00 000000" // key, AVC, AVCPacketType 0, CompositionTime 0
                + AVCC, FlvMediaEncoder.encodeSequenceHeader(track(CodecId.H264, AVCC_2), ALLOC));
        assertHexAndRelease("90 68766331" // IsExHeader, key, SequenceStart, "hvc1"
                + HVCC, FlvMediaEncoder.encodeSequenceHeader(track(CodecId.H265, HVCC.replace(" 0f 00", " 0d 00")), ALLOC));
        assertHexAndRelease("90 61763031" + AV1C, FlvMediaEncoder.encodeSequenceHeader(track(CodecId.AV1, AV1C), ALLOC));
        assertHexAndRelease("90 76703039 01", FlvMediaEncoder.encodeSequenceHeader(track(CodecId.VP9, "01"), ALLOC));
        assertHexAndRelease("af 00 1190", FlvMediaEncoder.encodeSequenceHeader(track(CodecId.AAC, "1190"), ALLOC));
        assertHexAndRelease("90 4f707573" // SoundFormat 9, SequenceStart, "Opus"
                + OPUS_HEAD, FlvMediaEncoder.encodeSequenceHeader(track(CodecId.OPUS, OPUS_HEAD), ALLOC));
        assertNull(FlvMediaEncoder.encodeSequenceHeader(Track.builder(CodecId.MP3).build(), ALLOC));
        assertNull(FlvMediaEncoder.encodeSequenceHeader(Track.builder(CodecId.H264).build(), ALLOC));
    }

    @Test
    void sequenceEnds() {
        assertHexAndRelease("17 02 000000", FlvMediaEncoder.encodeSequenceEnd(track(CodecId.H264, AVCC), ALLOC));
        assertHexAndRelease("92 68766331", FlvMediaEncoder.encodeSequenceEnd(track(CodecId.H265, HVCC), ALLOC));
        assertHexAndRelease("92 4f707573", FlvMediaEncoder.encodeSequenceEnd(track(CodecId.OPUS, OPUS_HEAD), ALLOC));
        assertNull(FlvMediaEncoder.encodeSequenceEnd(track(CodecId.AAC, "1190"), ALLOC));
    }

    @Test
    void tagUsesDtsInMillisModulo2Pow32() {
        Track t = Track.builder(CodecId.H264).timebase(Timebase.MPEG_90K).config(hexBytes(AVCC)).build();
        long dts = ((1L << 32) + 0x01020304L) * 90; // in 90 kHz ticks
        MediaFrame f = frame(t, dts, dts + 3600, true, "00000001 65");
        assertHexAndRelease("09"     // TagType 9
                + "00000a"           // DataSize 10
                + "020304 01"        // Timestamp 0x01020304 (the 2^32 wrapped off), extended byte 0x01
                + "000000"           // StreamID
                + "17 01 000028"     // key AVC NALU, CompositionTime 40 ms
                + "00000001 65"
                + "00000015", FlvMediaEncoder.encodeTag(f, ALLOC)); // PreviousTagSize 21
        assertTrue(f.release());
    }

    @Test
    void tagFormIsBuiltOnceAndReleasedWithTheFrame() {
        MediaFrame f = frame(track(CodecId.AAC, "1190"), 23, 23, true, "2110");
        ByteBuf a = f.encoded(FlvMediaEncoder.tagForm(FORMS), ALLOC);
        assertSame(a, f.encoded(FlvMediaEncoder.tagForm(FORMS), ALLOC));
        assertEquals("08 000004 000017 00 000000 af01 2110 0000000f".replace(" ", ""), hexOf(a));
        assertTrue(f.release());
        assertEquals(0, a.refCnt());
    }

    @Test
    void dataTrackBecomesScriptData() {
        MediaFrame f = frame(Track.builder(CodecId.SCRIPT_DATA).build(), 5, 5, true, "0200");
        assertHexAndRelease("12 000002 000005 00 000000 0200 0000000d", FlvMediaEncoder.encodeTag(f, ALLOC));
        assertTrue(f.release());
    }

    @Test
    void rejectsCompositionTimeFlvCannotCarry() {
        MediaFrame f = frame(track(CodecId.H264, AVCC), 0, 0x80_0000, true, "00000001 65");
        assertThrows(MalformedMediaException.class, () -> FlvMediaEncoder.encodeTag(f, ALLOC));
        assertThrows(MalformedMediaException.class, () -> FlvMediaEncoder.encodeBody(f, ALLOC));
        assertTrue(f.release());
    }

    @Test
    void roundTripsFramesThroughTagsForEveryCodec() {
        Track[] tracks = {
            track(CodecId.H264, AVCC), track(CodecId.H265, HVCC), track(CodecId.AV1, AV1C),
            track(CodecId.VP9, "01000000"), track(CodecId.AAC, "1190"), track(CodecId.OPUS, OPUS_HEAD),
        };
        for (Track t : tracks) {
            boolean nal = t.codec() == CodecId.H264 || t.codec() == CodecId.H265;
            List<MediaFrame> sent = new ArrayList<>();
            long w = 0xFFFF_FFB0L; // the stream crosses 2^32 ms on the third frame
            long[][] ts = {{w, w + 80}, {w + 40, w + 40}, {w + 80, w}, {w + 120, w + 200}, {w + 160, w + 160}};
            for (int i = 0; i < ts.length; i++) {
                boolean audio = t.kind() == io.livehub.media.TrackKind.AUDIO;
                long pts = nal ? ts[i][1] : ts[i][0]; // AV1, VP9 and audio bodies carry no composition time
                sent.add(frame(t, ts[i][0], pts, audio || i == 0, nal ? "00000002 65" + i + "0 00000001 06" : "0a0b0c0" + i));
            }
            FlvMediaDecoder decoder = new FlvMediaDecoder();
            List<Object> out = new ArrayList<>();
            ByteBuf header = FlvMediaEncoder.encodeSequenceHeader(t, ALLOC);
            decoder.decode(FlvMediaEncoder.tagType(t), 0, header, new CollectingSink(out));
            header.release();
            for (MediaFrame f : sent) {
                ByteBuf tag = FlvMediaEncoder.encodeTag(f, ALLOC);
                FlvTag parsed = new FlvTagDecoder(false, 1024).decode(tag);
                decoder.decode(parsed, new CollectingSink(out));
                parsed.release();
                tag.release();
            }
            assertEquals(1 + sent.size(), out.size(), t.toString());
            Track got = (Track) out.get(0);
            assertTrue(got.sameConfig(t), t.toString());
            for (int i = 0; i < sent.size(); i++) {
                MediaFrame a = sent.get(i);
                MediaFrame b = (MediaFrame) out.get(i + 1);
                assertEquals(a.dts(), b.dts(), t + " dts " + i);
                assertEquals(a.pts(), b.pts(), t + " pts " + i);
                assertEquals(a.isKeyframe(), b.isKeyframe(), t + " key " + i);
                assertEquals(hexOf(a.content()), hexOf(b.content()), t + " payload " + i);
                assertTrue(a.release());
                assertTrue(b.release());
            }
        }
    }

    private static byte[] hexBytes(String hex) {
        return ByteBufUtil.decodeHexDump(hex.replace(" ", ""));
    }
}
