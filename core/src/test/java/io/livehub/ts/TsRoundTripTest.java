package io.livehub.ts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.media.MediaFrame;
import io.livehub.media.Timebase;
import io.livehub.media.Track;
import io.livehub.media.TrackKind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** TS -> frames -> TS -> frames: every tick, flag, payload byte and configuration survives. */
class TsRoundTripTest {

    @ParameterizedTest
    @ValueSource(strings = {"h264_aac.ts", "hevc_opus.ts"})
    void preservesEveryFrameAndTick(String name) throws IOException {
        ByteBuf file = TsTestSupport.resource(name);
        ByteBuf muxed = null;
        ByteBuf remuxed = null;
        try (TsTestSupport.Demuxed original = TsTestSupport.demux(file)) {
            muxed = TsTestSupport.mux(TsTestSupport.programOf(original.tracks), inDtsOrder(original.frames));
            try (TsTestSupport.Demuxed again = TsTestSupport.demux(muxed)) {
                assertSameFrames(original.frames, again.frames);
                assertEquals(0, again.demuxer.droppedPes() + again.demuxer.malformedPes() + again.demuxer.droppedFrames()
                        + again.demuxer.continuityErrors() + again.demuxer.psiErrors());
                assertArrayEquals(original.demuxer.videoTrack().config(), again.demuxer.videoTrack().config());
                assertArrayEquals(original.demuxer.audioTrack().config(), again.demuxer.audioTrack().config());
                // The muxer is deterministic: the frames read back mux to the same bytes.
                remuxed = TsTestSupport.mux(TsTestSupport.programOf(again.tracks), inDtsOrder(again.frames));
                assertEquals(-1, firstDifference(muxed, remuxed), "first differing byte");
            }
        } finally {
            release(file, muxed, remuxed);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h264_aac.ts", "hevc_opus.ts"})
    void undoesThe33BitWrap(String name) throws IOException {
        ByteBuf file = TsTestSupport.resource(name);
        ByteBuf muxed = null;
        List<MediaFrame> shifted = new ArrayList<>();
        try (TsTestSupport.Demuxed original = TsTestSupport.demux(file)) {
            // The first frame lands 1.4 s before 2^33, so the stream crosses the wrap.
            long shift = (1L << 33) - 2 * 126000;
            for (MediaFrame f : original.frames) {
                shifted.add(f.retainedDuplicate().withTimestamps(f.dts() + shift, f.pts() + shift));
            }
            muxed = TsTestSupport.mux(TsTestSupport.programOf(original.tracks), shifted);
            try (TsTestSupport.Demuxed again = TsTestSupport.demux(muxed)) {
                assertSameFrames(shifted, again.frames);
                assertTrue(again.frames.get(again.frames.size() - 1).dts() > 1L << 33, "64-bit, past the wrap");
            }
        } finally {
            shifted.forEach(MediaFrame::release);
            release(file, muxed);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h264_aac.ts", "hevc_opus.ts"})
    void convertsOtherTimebasesExactlyWhenTheyDivide(String name) throws IOException {
        ByteBuf file = TsTestSupport.resource(name);
        ByteBuf muxed = null;
        List<MediaFrame> millis = new ArrayList<>();
        try (TsTestSupport.Demuxed original = TsTestSupport.demux(file)) {
            // Video in milliseconds (as from RTMP), audio in samples (as from WebRTC or MP4).
            List<Track> tracks = new ArrayList<>();
            for (Track t : TsTestSupport.programOf(original.tracks)) {
                Timebase tb = t.kind() == TrackKind.VIDEO ? Timebase.MILLIS : Timebase.ofRate(48_000);
                tracks.add(t.toBuilder().timebase(tb).build());
            }
            for (MediaFrame f : original.frames) {
                Track t = tracks.get(f.isVideo() ? 0 : 1);
                // 40 ms frames; audio at 1024 samples of 48 kHz (1920 ticks), any start.
                long dts = f.isVideo() ? f.dts() / 90 : 1000 + 1024L * millis.stream().filter(MediaFrame::isAudio).count();
                long pts = f.isVideo() ? f.pts() / 90 : dts;
                millis.add(MediaFrame.of(t, dts, pts, f.isKeyframe(), f.content().retainedSlice()));
            }
            muxed = TsTestSupport.mux(tracks, millis);
            try (TsTestSupport.Demuxed again = TsTestSupport.demux(muxed)) {
                for (TrackKind kind : new TrackKind[] {TrackKind.VIDEO, TrackKind.AUDIO}) {
                    List<MediaFrame> a = millis.stream().filter(f -> f.track().kind() == kind).toList();
                    List<MediaFrame> b = again.frames(kind);
                    assertEquals(a.size(), b.size());
                    for (int i = 0; i < a.size(); i++) {
                        Timebase tb = a.get(i).track().timebase();
                        assertEquals(tb.rescale(a.get(i).dts(), Timebase.MPEG_90K), b.get(i).dts(), kind + " dts " + i);
                        assertEquals(tb.rescale(a.get(i).pts(), Timebase.MPEG_90K), b.get(i).pts(), kind + " pts " + i);
                        assertEquals(a.get(i).dts(), Timebase.MPEG_90K.rescale(b.get(i).dts(), tb), "and back " + i);
                    }
                }
            }
        } finally {
            millis.forEach(MediaFrame::release);
            release(file, muxed);
        }
    }

    /** Asserts equal frames in the same order per track; the demuxer may interleave tracks differently. */
    static void assertSameFrames(List<MediaFrame> expected, List<MediaFrame> actual) {
        for (TrackKind kind : new TrackKind[] {TrackKind.VIDEO, TrackKind.AUDIO}) {
            List<MediaFrame> a = expected.stream().filter(f -> f.track().kind() == kind).toList();
            List<MediaFrame> b = actual.stream().filter(f -> f.track().kind() == kind).toList();
            assertEquals(a.size(), b.size(), kind + " frames");
            for (int i = 0; i < a.size(); i++) {
                MediaFrame x = a.get(i);
                MediaFrame y = b.get(i);
                String what = kind + " frame " + i;
                assertEquals(x.dts(), y.dts(), what + " dts");
                assertEquals(x.pts(), y.pts(), what + " pts");
                assertEquals(x.isKeyframe(), y.isKeyframe(), what + " keyframe");
                assertEquals(x.track().codec(), y.track().codec(), what);
                assertTrue(ByteBufUtil.equals(x.content(), y.content()), what + " payload");
            }
        }
    }

    /** Returns the frames sorted by dts, video first on a tie, as a stream publishes them. */
    static List<MediaFrame> inDtsOrder(List<MediaFrame> frames) {
        List<MediaFrame> sorted = new ArrayList<>(frames);
        sorted.sort(java.util.Comparator.comparingLong(MediaFrame::dts).thenComparing(f -> f.isVideo() ? 0 : 1));
        return sorted;
    }

    /** Returns the first index where the readable bytes differ, or -1 when they are equal. */
    static int firstDifference(ByteBuf a, ByteBuf b) {
        int n = Math.min(a.readableBytes(), b.readableBytes());
        for (int i = 0; i < n; i++) {
            if (a.getByte(a.readerIndex() + i) != b.getByte(b.readerIndex() + i)) {
                return i;
            }
        }
        return a.readableBytes() == b.readableBytes() ? -1 : n;
    }

    private static void release(ByteBuf... bufs) {
        for (ByteBuf b : bufs) {
            if (b != null) {
                b.release();
            }
        }
    }
}
