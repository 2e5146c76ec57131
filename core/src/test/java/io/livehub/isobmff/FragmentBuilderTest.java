package io.livehub.isobmff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.codec.aac.AudioSpecificConfig;
import io.livehub.media.CodecId;
import io.livehub.media.MediaFrame;
import io.livehub.media.Timebase;
import io.livehub.media.Track;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FragmentBuilderTest {

    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;
    /** A placeholder avcC: the builder never reads the configuration of video tracks. */
    private static final Track VIDEO = Track.builder(CodecId.H264).id(0).timebase(Timebase.MPEG_90K)
            .dimensions(160, 120).config(new byte[] {1, 0x42, (byte) 0xC0, 0x1E, (byte) 0xFF, (byte) 0xE0, 0}).build();
    private static final Track AUDIO = Track.builder(CodecId.AAC).id(1).timebase(Timebase.MILLIS).audio(48000, 2)
            .config(AudioSpecificConfig.of(AudioSpecificConfig.AOT_AAC_LC, 48000, 2).encode()).build();
    private static final List<IsoTrack> TRACKS = IsoTrack.of(List.of(VIDEO, AUDIO));

    private final List<MediaFrame> frames = new ArrayList<>();

    @AfterEach
    void releaseFrames() {
        frames.forEach(MediaFrame::release);
    }

    private MediaFrame frame(Track track, long dts, long pts, boolean key, int... bytes) {
        ByteBuf payload = Unpooled.buffer(bytes.length);
        for (int b : bytes) {
            payload.writeByte(b);
        }
        MediaFrame f = MediaFrame.of(track, dts, pts, key, payload);
        frames.add(f);
        return f;
    }

    private static ParsedFragment parseAndRelease(Fragment f) {
        try {
            return ParsedFragment.parse(ByteBufUtil.getBytes(f.content()));
        } finally {
            f.release();
        }
    }

    @Test
    void writesTheDecodeTimeBox() {
        ByteBuf out = Unpooled.buffer();
        try {
            MovieFragmentEncoder.writeTfdt(new BoxWriter(out), 1L << 32);
            Golden.assertBytes("""
                    00000014 74666474   // size 20, 'tfdt'
                    01 000000           // version 1: 64-bit time; flags 0
                    0000000100000000    // baseMediaDecodeTime 2^32
                    """, out);
        } finally {
            out.release();
        }
    }

    @Test
    void writesTheTrackRunWithSignedCompositionOffsets() {
        ByteBuf out = Unpooled.buffer();
        List<Sample> samples = new ArrayList<>();
        try {
            samples.add(new Sample(0, 80, true, Unpooled.wrappedBuffer(new byte[5])));
            samples.add(new Sample(40, -40, false, Unpooled.wrappedBuffer(new byte[3])));
            samples.add(new Sample(80, 0, false, Unpooled.wrappedBuffer(new byte[1])));
            samples.get(0).duration = 40;
            samples.get(1).duration = 40;
            int dataOffsetIndex = MovieFragmentEncoder.writeTrun(new BoxWriter(out), samples, 2);
            assertEquals(16, dataOffsetIndex);
            Golden.assertBytes("""
                    00000034 7472756e   // size 52, 'trun'
                    01 000f01           // version 1 (signed offsets); flags: data-offset, duration, size, flags, cto
                    00000002            // sample_count: the first two samples only
                    00000000            // data_offset: filled in once the moof size is known
                    00000028            // sample 1: duration 40
                    00000005            //   size 5
                    02000000            //   flags: sample_depends_on 2, sync
                    00000050            //   composition offset +80
                    00000028            // sample 2: duration 40
                    00000003            //   size 3
                    01010000            //   flags: sample_depends_on 1, sample_is_non_sync_sample
                    ffffffd8            //   composition offset -40
                    """, out);
            out.clear();
            samples.get(2).duration = 7;
            MovieFragmentEncoder.writeTrun(new BoxWriter(out), samples.subList(2, 3), 1);
            Golden.assertBytes("""
                    00000020 7472756e   // size 32, 'trun'
                    00 000701           // version 0; flags: data-offset, duration, size, flags (no offsets)
                    00000001            // sample_count
                    00000000            // data_offset
                    00000007            // sample 1: duration 7
                    00000001            //   size 1
                    01010000            //   flags: non-sync
                    """, out);
        } finally {
            out.release();
            samples.forEach(s -> s.data.release());
        }
    }

    @Test
    void holdsEachTracksLatestFrameBackUntilItsDurationIsKnown() {
        try (FragmentBuilder b = new FragmentBuilder(TRACKS)) {
            assertNull(b.flush(ALLOC), "nothing added");
            b.add(frame(VIDEO, 0, 0, true, 0xA0));
            assertNull(b.flush(ALLOC), "the only frame has no duration yet");
            b.add(frame(VIDEO, 3600, 3600, false, 0xA1, 0xA1));
            b.add(frame(VIDEO, 7200, 7200, false, 0xA2));
            Fragment first = b.flush(ALLOC);
            assertEquals(1, b.bufferedSamples());
            assertEquals(1, first.sequenceNumber());
            assertTrue(first.independent());
            assertEquals(0.08, first.durationSeconds(), 1e-9);
            ParsedFragment p = parseAndRelease(first);
            assertFalse(p.hasStyp());
            assertEquals(1, p.sequenceNumber());
            assertEquals(1, p.trafs().size(), "no traf for a track without samples");
            ParsedFragment.Traf v = p.traf(1);
            assertEquals(0x020000, v.tfhdFlags(), "default-base-is-moof");
            assertEquals(0, v.baseMediaDecodeTime());
            assertEquals(0, v.trunVersion());
            assertEquals(2, v.samples().size());
            assertEquals(3600, v.samples().get(0).duration());
            assertEquals(3600, v.samples().get(1).duration());
            assertTrue(v.samples().get(0).sync());
            assertFalse(v.samples().get(1).sync());
            assertArrayEquals(new byte[] {(byte) 0xA1, (byte) 0xA1}, v.samples().get(1).data());

            Fragment last = b.flushAll(ALLOC);
            assertFalse(last.independent(), "starts with a non-sync video sample");
            ParsedFragment q = parseAndRelease(last);
            assertEquals(2, q.sequenceNumber());
            assertEquals(7200, q.traf(1).baseMediaDecodeTime());
            assertEquals(3600, q.traf(1).samples().get(0).duration(), "the previous sample's duration");
            assertEquals(0, b.bufferedSamples());
            assertNull(b.flushAll(ALLOC));
        }
    }

    @Test
    void cutsBeforeAKeyframeByAddingItFirst() {
        try (FragmentBuilder b = new FragmentBuilder(TRACKS)) {
            b.add(frame(VIDEO, 0, 0, true, 1));
            b.add(frame(VIDEO, 3000, 3000, false, 2));
            b.add(frame(VIDEO, 6000, 6000, true, 3));
            ParsedFragment gop1 = parseAndRelease(b.flush(ALLOC));
            assertEquals(2, gop1.traf(1).samples().size());
            assertEquals(6000, gop1.traf(1).samples().stream().mapToLong(ParsedFragment.ParsedSample::duration).sum());
            b.add(frame(VIDEO, 9000, 9000, false, 4));
            Fragment gop2 = b.flushAll(ALLOC, 12000, Timebase.MPEG_90K);
            assertTrue(gop2.independent());
            assertEquals(6000, gop2.run(1).baseMediaDecodeTime());
            assertEquals(6000, gop2.run(1).duration());
            ParsedFragment p = parseAndRelease(gop2);
            assertTrue(p.traf(1).samples().get(0).sync());
            assertEquals(3000, p.traf(1).samples().get(1).duration(), "up to the explicit end");
        }
    }

    @Test
    void endsHeldBackFramesAtAnExplicitEndTimeInAnyTimebase() {
        try (FragmentBuilder b = new FragmentBuilder(TRACKS)) {
            b.add(frame(AUDIO, 0, 0, true, 1));
            b.add(frame(AUDIO, 21, 21, true, 2));
            ParsedFragment p = parseAndRelease(b.flushAll(ALLOC, 50 * 90, Timebase.MPEG_90K));
            assertEquals(List.of(21L, 29L), p.traf(2).samples().stream().map(ParsedFragment.ParsedSample::duration).toList());
            b.add(frame(AUDIO, 50, 50, true, 3));
            ParsedFragment q = parseAndRelease(b.flushAll(ALLOC, 40, Timebase.MILLIS));
            assertEquals(21, q.traf(2).samples().get(0).duration(),
                    "an end before the frame: the last duration measured between two frames");
        }
    }

    @Test
    void givesALoneFrameACodecDefaultDuration() {
        try (FragmentBuilder b = new FragmentBuilder(TRACKS)) {
            b.add(frame(AUDIO, 0, 0, true, 1));
            b.add(frame(VIDEO, 0, 0, true, 1));
            Fragment f = b.flushAll(ALLOC);
            assertEquals(21, f.run(2).duration(), "1024 samples at 48 kHz in ms");
            assertEquals(3000, f.run(1).duration(), "1/30 s at 90 kHz");
            f.release();
        }
    }

    @Test
    void writesMuxedTracksWithDataOffsetsIntoOneMdat() {
        try (FragmentBuilder b = new FragmentBuilder(TRACKS)) {
            b.add(frame(VIDEO, 0, 0, true, 0x11, 0x11, 0x11));
            b.add(frame(AUDIO, 0, 0, true, 0x21));
            b.add(frame(AUDIO, 21, 21, true, 0x22, 0x22));
            b.add(frame(VIDEO, 3600, 3600, false, 0x12));
            b.add(frame(AUDIO, 43, 43, true, 0x23));
            Fragment f = b.flush(ALLOC);
            assertEquals(List.of(1, 2), f.runs().stream().map(r -> r.track().trackId()).toList());
            ParsedFragment p = parseAndRelease(f);
            assertEquals(3 + 1 + 2, p.mdatPayloadLength(), "the second video frame is held back");
            assertArrayEquals(new byte[] {0x11, 0x11, 0x11}, p.traf(1).samples().get(0).data());
            assertArrayEquals(new byte[] {0x21}, p.traf(2).samples().get(0).data());
            assertArrayEquals(new byte[] {0x22, 0x22}, p.traf(2).samples().get(1).data());
            assertEquals(List.of(21L, 22L), p.traf(2).samples().stream().map(ParsedFragment.ParsedSample::duration).toList());
        }
    }

    @Test
    void writesCompositionOffsetsOnlyWhenAFrameIsReordered() {
        try (FragmentBuilder b = new FragmentBuilder(TRACKS)) {
            // I P B with pts in display order: 0 2 1 (frames of 3600 ticks), dts starting at 0.
            b.add(frame(VIDEO, 0, 3600, true, 1));
            b.add(frame(VIDEO, 3600, 10800, false, 2));
            b.add(frame(VIDEO, 7200, 7200, false, 3));
            b.add(frame(VIDEO, 10800, 7200, false, 4)); // pts before dts: a negative offset
            ParsedFragment p = parseAndRelease(b.flushAll(ALLOC));
            ParsedFragment.Traf v = p.traf(1);
            assertEquals(1, v.trunVersion());
            assertEquals(List.of(3600, 7200, 0, -3600),
                    v.samples().stream().map(ParsedFragment.ParsedSample::compositionOffset).toList());
        }
    }

    @Test
    void beginsASegmentWithStyp() {
        try (FragmentBuilder b = new FragmentBuilder(TRACKS).sequenceNumber(41)) {
            b.startSegment();
            b.add(frame(AUDIO, 0, 0, true, 1));
            assertNull(b.flush(ALLOC));
            b.add(frame(AUDIO, 21, 21, true, 2));
            Fragment f = b.flush(ALLOC);
            assertTrue(f.startsSegment());
            assertEquals(41, f.sequenceNumber());
            ParsedFragment p = parseAndRelease(f);
            assertTrue(p.hasStyp());
            assertEquals(41, p.sequenceNumber());
            b.add(frame(AUDIO, 42, 42, true, 3));
            Fragment g = b.flush(ALLOC);
            assertFalse(g.startsSegment());
            assertFalse(parseAndRelease(g).hasStyp());
        }
    }

    @Test
    void sharesPayloadsInsteadOfCopyingThem() {
        MediaFrame a = frame(AUDIO, 0, 0, true, 1, 2, 3);
        ByteBuf payload = a.content();
        Fragment f;
        try (FragmentBuilder b = new FragmentBuilder(TRACKS)) {
            b.add(a);
            assertEquals(2, payload.refCnt(), "the builder holds a slice of the payload");
            b.add(frame(AUDIO, 21, 21, true, 4));
            f = b.flush(ALLOC);
        }
        frames.remove(a);
        a.release();
        assertEquals(1, payload.refCnt(), "the fragment keeps the payload alive");
        assertEquals(2, ((io.netty.buffer.CompositeByteBuf) f.content()).numComponents(), "header, then the payload slice itself");
        f.release();
        assertEquals(0, payload.refCnt());
    }

    @Test
    void releasesHeldFramesOnClose() {
        MediaFrame a = frame(VIDEO, 0, 0, true, 1);
        FragmentBuilder b = new FragmentBuilder(TRACKS);
        b.add(a);
        b.close();
        b.close();
        assertEquals(1, a.content().refCnt());
        assertThrows(IllegalStateException.class, () -> b.add(a));
    }

    @Test
    void dropsALeadingAv1TemporalDelimiter() {
        Track av1 = Track.builder(CodecId.AV1).id(0).timebase(Timebase.MILLIS).dimensions(16, 16)
                .config(new byte[] {(byte) 0x81, 0, 0x0C, 0}).build();
        try (FragmentBuilder b = new FragmentBuilder(IsoTrack.of(List.of(av1)))) {
            b.add(frame(av1, 0, 0, true, 0x12, 0x00, 0x32, 0x01, 0xAB)); // temporal delimiter, frame OBU
            ParsedFragment p = parseAndRelease(b.flushAll(ALLOC));
            assertArrayEquals(new byte[] {0x32, 0x01, (byte) 0xAB}, p.traf(1).samples().get(0).data());
        }
    }

    @Test
    void refusesFramesItCannotPlace() {
        try (FragmentBuilder b = new FragmentBuilder(TRACKS)) {
            Track other = Track.builder(CodecId.OPUS).id(7).build();
            assertThrows(IllegalArgumentException.class, () -> b.add(frame(other, 0, 0, true, 1)));
            Track newConfig = VIDEO.toBuilder().config(new byte[] {1, 0x64, 0, 0x1F, (byte) 0xFF, (byte) 0xE0, 0}).build();
            assertThrows(IllegalArgumentException.class, () -> b.add(frame(newConfig, 0, 0, true, 1)));
            assertThrows(IllegalArgumentException.class, () -> b.add(frame(VIDEO, -1, 0, true, 1)));
            assertEquals(0, b.bufferedSamples());
        }
        assertThrows(IllegalArgumentException.class,
                () -> new FragmentBuilder(List.of(IsoTrack.of(VIDEO, 1), IsoTrack.of(VIDEO, 2))));
    }
}
