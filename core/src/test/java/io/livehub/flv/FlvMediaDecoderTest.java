package io.livehub.flv;

import io.livehub.testing.CollectingSink;
import static io.livehub.flv.Bytes.assertReleased;
import static io.livehub.flv.Bytes.hex;
import static io.livehub.flv.Bytes.hexOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.media.CodecId;
import io.livehub.media.MalformedMediaException;
import io.livehub.media.MediaFrame;
import io.livehub.media.Timebase;
import io.livehub.media.Track;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FlvMediaDecoderTest {

    /** avcC with 4-byte NAL unit lengths: version 1, High, level 1.0, one SPS, one PPS. */
    static final String AVCC = "01 64 00 0a ff e1 0004 6764000a 01 0002 68ee";
    /** The same avcC with lengthSizeMinusOne 1 (2-byte NAL unit lengths). */
    static final String AVCC_2 = "01 64 00 0a fd e1 0004 6764000a 01 0002 68ee";
    /** hvcC: version 1, 20 more fixed bytes, byte 21 with lengthSizeMinusOne 3, no arrays. */
    static final String HVCC = "01 01 60000000 900000000000 5d f000 fc fd f8 f8 0000 0f 00";
    /** av1C: marker/version 0x81, profile/level, flags, no initial presentation delay. */
    static final String AV1C = "81 00 0c 00";
    /** OpusHead (RFC 7845, 5.1): 2 channels, pre-skip 312, 48 kHz, gain 0, mapping family 0. */
    static final String OPUS_HEAD = "4f707573486561640102380180bb0000000000";

    private final FlvMediaDecoder decoder = new FlvMediaDecoder();
    private final List<Object> out = new ArrayList<>();

    @AfterEach
    void releaseOutput() {
        for (Object o : out) {
            if (o instanceof MediaFrame) {
                ((MediaFrame) o).release();
            }
        }
    }

    /** Decodes {@code hex} as a tag body and checks that nothing still references the input. */
    private List<Object> decode(FlvTagType type, long timestamp, String hex) {
        ByteBuf body = hex(hex);
        int before = out.size();
        try {
            decoder.decode(type, timestamp, body, new CollectingSink(out));
            assertEquals(hex.replaceAll("\\s", "").length() / 2, body.readableBytes(), "body indexes must not move");
        } finally {
            body.release();
        }
        return out.subList(before, out.size());
    }

    private List<Object> video(long timestamp, String hex) {
        return decode(FlvTagType.VIDEO, timestamp, hex);
    }

    private List<Object> audio(long timestamp, String hex) {
        return decode(FlvTagType.AUDIO, timestamp, hex);
    }

    @Test
    void avcSequenceHeaderYieldsTrack() {
        List<Object> r = video(0, "17 00 000000 " + AVCC);
        assertEquals(1, r.size());
        Track t = (Track) r.get(0);
        assertEquals(CodecId.H264, t.codec());
        assertEquals(0, t.id());
        assertEquals(Timebase.MILLIS, t.timebase());
        assertArrayEquals(ByteBufUtil.decodeHexDump(AVCC.replace(" ", "")), t.config());
        assertSame(t, decoder.videoTrack());
    }

    @Test
    void avcFrameIsRetainedSliceOfInput() {
        video(0, "17 00 000000 " + AVCC);
        ByteBuf body = hex("17 01 000028 00000002 6588");
        decoder.decode(FlvTagType.VIDEO, 1000, body, new CollectingSink(out));
        MediaFrame f = (MediaFrame) out.get(1);
        assertEquals(1000, f.dts());
        assertEquals(1040, f.pts());
        assertTrue(f.isKeyframe());
        assertEquals("000000026588", hexOf(f.content()));
        body.setByte(9, 0x77); // no copy: the payload sees a change to the input
        assertEquals(0x77, f.content().getUnsignedByte(f.content().readerIndex() + 4));
        body.release();
        assertEquals(1, f.content().refCnt(), "the frame keeps the memory alive");
        f.release();
        assertEquals(0, body.refCnt());
        out.clear();
    }

    @Test
    void frameBeforeSequenceHeaderIsDroppedAndCounted() {
        assertTrue(video(0, "27 01 000000 00000001 41").isEmpty());
        assertTrue(audio(0, "af 01 2110").isEmpty());
        assertEquals(2, decoder.droppedFrames());
        // A frame of another codec than the current track's is dropped too.
        video(0, "17 00 000000 " + AVCC);
        assertTrue(video(0, "a1 68766331 000000 00000001 02").isEmpty());
        assertEquals(3, decoder.droppedFrames());
    }

    @Test
    void widensTwoByteNalLengths() {
        Track t = (Track) video(0, "17 00 000000 " + AVCC_2).get(0);
        assertEquals("ff", hexOf(hex(AVCC)).substring(8, 10));
        assertArrayEquals(ByteBufUtil.decodeHexDump(AVCC.replace(" ", "")), t.config(),
                "config says 4-byte lengths like the frames");
        MediaFrame f = (MediaFrame) video(40, "27 01 000000 0002 0901 0003 419a00").get(0);
        assertEquals("00000002 0901 00000003 419a00".replace(" ", ""), hexOf(f.content()));
        assertFalse(f.isKeyframe());
    }

    @Test
    void widensOneByteNalLengthsOfLegacyHevc() {
        String hvcc1 = HVCC.replace(" 0f 00", " 0c 00"); // lengthSizeMinusOne 0
        Track t = (Track) video(0, "1c 00 000000 " + hvcc1).get(0);
        assertEquals(CodecId.H265, t.codec());
        assertEquals(0x0f, t.config()[21]);
        MediaFrame f = (MediaFrame) video(0, "1c 01 000000 03 260101").get(0);
        assertEquals("00000003260101", hexOf(f.content()));
    }

    @Test
    void rejectsNalUnitOverrunningItsAccessUnit() {
        video(0, "17 00 000000 " + AVCC);
        assertThrows(MalformedMediaException.class, () -> video(0, "17 01 000000 00000005 6588"));
        assertTrue(video(0, "17 00 000000 " + AVCC_2).isEmpty(), "same config once normalised");
        assertThrows(MalformedMediaException.class, () -> video(0, "17 01 000000 0002 65"));
        assertThrows(MalformedMediaException.class, () -> video(0, "17 01 000000 0001 65 00"));
        assertEquals(1, out.size(), "only the track");
        MediaFrame f = (MediaFrame) video(0, "17 01 000000 0001 65").get(0);
        assertEquals("0000000165", hexOf(f.content()), "the repeat switched to 2-byte lengths");
    }

    @Test
    void rejectsMalformedConfigurations() {
        assertThrows(MalformedMediaException.class, () -> video(0, "17 00 000000 0164000aff"));
        assertThrows(MalformedMediaException.class, () -> video(0, "17 00 000000 00000001 6764000a"));
        assertThrows(MalformedMediaException.class, () -> video(0, "90 68766331 0101600000"));
        assertThrows(MalformedMediaException.class, () -> video(0, "90 61763031 8100"));
        assertThrows(MalformedMediaException.class, () -> audio(0, "af 00 12"));
        assertThrows(MalformedMediaException.class, () -> audio(0, "90 4f707573 4f707573486561640102"));
        assertThrows(MalformedMediaException.class,
                () -> audio(0, "90 4f707573 4f67675300000000000000000000000000000000"));
        assertTrue(out.isEmpty());
    }

    @Test
    void repeatedSequenceHeaderYieldsNothingButAChangedOneYieldsANewTrack() {
        Track first = (Track) video(0, "17 00 000000 " + AVCC).get(0);
        assertTrue(video(1000, "17 00 000000 " + AVCC).isEmpty());
        Track second = (Track) video(2000, "17 00 000000 " + AVCC.replace("68ee", "68ef")).get(0);
        assertNotSame(first, second);
        assertEquals(first.id(), second.id());
        Track hevc = (Track) video(3000, "90 68766331 " + HVCC).get(0);
        assertEquals(CodecId.H265, hevc.codec());
        assertEquals(0, hevc.id());
    }

    @Test
    void undoesTimestampWrapAroundPerTrack() {
        video(0, "17 00 000000 " + AVCC);
        audio(0, "af 00 1210");
        long[] videoTs = {0xFFFF_FFC0L, 0xFFFF_FFE8L, 0x0000_0010L, 0x0000_0038L};
        long[] audioTs = {0xFFFF_FFD0L, 0x0000_0005L, 0x0000_0019L};
        long wrap = 1L << 32;
        long[] expectedVideo = {0xFFFF_FFC0L, 0xFFFF_FFE8L, wrap + 0x10, wrap + 0x38};
        long[] expectedAudio = {0xFFFF_FFD0L, wrap + 5, wrap + 0x19};
        int a = 0;
        for (int v = 0; v < videoTs.length; v++) {
            MediaFrame f = (MediaFrame) video(videoTs[v], "27 01 000050 00000001 41").get(0);
            assertEquals(expectedVideo[v], f.dts());
            assertEquals(expectedVideo[v] + 80, f.pts());
            if (a < audioTs.length) {
                MediaFrame af = (MediaFrame) audio(audioTs[a], "af 01 2110").get(0);
                assertEquals(expectedAudio[a], af.dts());
                assertEquals(af.dts(), af.pts());
                a++;
            }
        }
    }

    @Test
    void aSmallBackwardStepStaysBackward() {
        audio(0, "af 00 1210");
        assertEquals(100, ((MediaFrame) audio(100, "af 01 21").get(0)).dts());
        assertEquals(90, ((MediaFrame) audio(90, "af 01 21").get(0)).dts());
        assertEquals(0x8000_0000L + 89, ((MediaFrame) audio(0x8000_0000L + 89, "af 01 21").get(0)).dts());
    }

    @Test
    void enhancedHevcAndOpus() {
        Track v = (Track) video(0, "90 68766331 " + HVCC).get(0);
        Track a = (Track) audio(0, "90 4f707573 " + OPUS_HEAD).get(0);
        assertEquals(CodecId.OPUS, a.codec());
        assertEquals(1, a.id());
        assertEquals(OPUS_HEAD, hexOf(io.netty.buffer.Unpooled.wrappedBuffer(a.config())));
        MediaFrame key = (MediaFrame) video(20, "93 68766331 00000003 260188").get(0); // CodedFramesX
        assertSame(v, key.track());
        assertTrue(key.isKeyframe());
        assertEquals(20, key.pts());
        MediaFrame b = (MediaFrame) video(60, "a1 68766331 ffffec 00000002 0201").get(0); // cts -20
        assertEquals(40, b.pts());
        MediaFrame opus = (MediaFrame) audio(20, "91 4f707573 fcff").get(0);
        assertEquals("fcff", hexOf(opus.content()));
        assertTrue(opus.isKeyframe());
    }

    @Test
    void av1AndVp9FramesPassThrough() {
        video(0, "90 61763031 " + AV1C);
        MediaFrame f = (MediaFrame) video(0, "91 61763031 12000a0b00000024").get(0);
        assertEquals(CodecId.AV1, f.track().codec());
        assertEquals("12000a0b00000024", hexOf(f.content()));
        video(0, "90 76703039 01000000 00000000");
        MediaFrame g = (MediaFrame) video(40, "a1 76703039 8649").get(0);
        assertEquals(CodecId.VP9, g.track().codec());
        assertFalse(g.isKeyframe());
    }

    @Test
    void mp3YieldsTrackFromFlagsThenFrames() {
        List<Object> r = audio(0, "2f fffb9064"); // MP3 44 kHz 16-bit stereo
        assertEquals(2, r.size());
        Track t = (Track) r.get(0);
        assertEquals(CodecId.MP3, t.codec());
        assertEquals(44100, t.sampleRate());
        assertEquals(2, t.channels());
        assertSame(t, ((MediaFrame) r.get(1)).track());
        assertEquals(1, audio(26, "2f fffb9064").size());
        assertEquals(2, audio(52, "2e fffb9064").size(), "mono: a new track");
    }

    @Test
    void ignoresWhatIsNotMedia() {
        video(0, "17 00 000000 " + AVCC);
        assertTrue(video(0, "17 02 000000").isEmpty()); // end of sequence
        assertTrue(video(0, "57 01").isEmpty()); // command frame
        assertTrue(video(0, "d1 00").isEmpty()); // enhanced command frame
        assertTrue(video(0, "94 61766331 02000963").isEmpty()); // metadata
        assertTrue(video(0, "96 00 61766331 00 000000").isEmpty()); // multitrack
        assertTrue(video(0, "22 0000").isEmpty()); // Sorenson H.263
        assertTrue(video(0, "91 76703038 00").isEmpty()); // vp08
        assertTrue(video(0, "17 01 000000").isEmpty()); // empty NALU packet
        assertTrue(audio(0, "91 664c6143 00").isEmpty()); // fLaC
        assertTrue(audio(0, "32 00").isEmpty()); // SoundFormat 3, linear PCM
        assertTrue(audio(0, "94 4f707573 0102").isEmpty()); // multichannel config
        assertTrue(decode(FlvTagType.SCRIPT_DATA, 0, "02000a6f6e4d65746144617461").isEmpty());
        assertEquals(11, decoder.ignoredTags());
        assertEquals(0, decoder.droppedFrames());
    }

    @Test
    void malformedBodyLeaksNothing() {
        video(0, "17 00 000000 " + AVCC);
        ByteBuf body = hex("17 01 000000 00000009 65");
        assertThrows(MalformedMediaException.class, () -> decoder.decode(FlvTagType.VIDEO, 0, body, new CollectingSink(out)));
        assertReleased(body);
        assertEquals(1, out.size());
    }
}
