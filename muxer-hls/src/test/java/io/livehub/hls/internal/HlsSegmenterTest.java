package io.livehub.hls.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.hls.HlsConfig;
import io.livehub.hls.HlsSegmentFormat;
import io.livehub.hls.SyntheticMedia;
import io.livehub.media.MediaFrame;
import io.livehub.media.Track;
import io.livehub.testing.FlvFrames;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Segmentation rules of {@link HlsSegmenter} with synthetic frames on the real tracks of
 * h264_aac.flv (25 fps video with a keyframe every second, AAC every 23 ms), and with the
 * file's real frames.
 */
class HlsSegmenterTest {

    private static Track video;
    private static Track audio;

    private final List<HlsSegment> completed = new ArrayList<>();
    private HlsSegmenter segmenter;

    @BeforeAll
    static void tracks() {
        video = SyntheticMedia.VIDEO;
        audio = SyntheticMedia.AUDIO;
        assertNotNull(video);
        assertNotNull(audio);
    }

    @AfterEach
    void close() {
        if (segmenter != null) {
            segmenter.close();
        }
    }

    private HlsSegmenter segmenter(HlsConfig config) {
        segmenter = new HlsSegmenter(config, "x", ByteBufAllocator.DEFAULT, () -> 1_767_322_800_000L, completed::add);
        return segmenter;
    }

    private static HlsConfig.Builder config() {
        return HlsConfig.builder().targetDuration(Duration.ofSeconds(2)).playlistWindow(3).maxSegments(4);
    }

    private void feed(long fromMs, long toMs, long offsetMs, Track v, Track a) {
        SyntheticMedia.feed(fromMs, toMs, offsetMs, v, a, this::give);
    }

    private void give(MediaFrame f) {
        try {
            segmenter.frame(f);
        } finally {
            f.release();
        }
    }

    private String text() {
        return new String(segmenter.snapshot().text(), StandardCharsets.US_ASCII);
    }

    @Test
    void cutsAtTheKeyframeAfterTheTargetAndSlidesTheWindow() {
        segmenter(config().build());
        feed(0, 1960, 0, video, audio);
        assertNull(segmenter.snapshot(), "no segment before the second keyframe after 2 s");
        feed(1960, 12_000, 0, video, audio);
        // Keyframes at 2, 4, 6, 8, 10 s: five complete segments of 2 s each.
        assertEquals(5, completed.size());
        for (HlsSegment s : completed) {
            assertEquals(2.0, s.durationSeconds(), 1e-9, s.toString());
            assertFalse(s.discontinuity());
        }
        assertEquals("x-4.ts", completed.get(4).uri());
        // Four kept in memory: segment 0 was released, 1 is still fetchable but not listed.
        assertTrue(completed.get(0).content().isReleased());
        assertFalse(completed.get(1).content().isReleased());
        HlsPlaylist p = segmenter.snapshot();
        assertNull(p.segment(0));
        assertNotNull(p.segment(1));
        assertEquals(List.of(2L, 3L, 4L), p.window().stream().map(HlsSegment::sequence).toList());
        String t = text();
        assertTrue(t.startsWith("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:2\n"
                + "#EXT-X-DISCONTINUITY-SEQUENCE:0\n#EXT-X-PROGRAM-DATE-TIME:2026-01-02T03:00:04.000Z\n"
                + "#EXTINF:2.000,\nx-2.ts\n"), t);
        assertFalse(t.contains("ENDLIST"));

        // Each TS segment is whole packets and starts with a PAT.
        ByteBuf b = p.segment(4).content().retainedDuplicate();
        try {
            assertEquals(0, b.readableBytes() % 188);
            assertEquals(0x47, b.getUnsignedByte(0));
            assertEquals(0, ((b.getUnsignedByte(1) & 0x1F) << 8) | b.getUnsignedByte(2), "PID 0 (PAT) first");
        } finally {
            b.release();
        }

        segmenter.end();
        // The last segment runs from 10 s to the last video frame (11.96 s) plus one frame.
        assertEquals(6, completed.size());
        assertEquals(2.0, completed.get(5).durationSeconds(), 1e-9);
        assertTrue(text().endsWith("x-5.ts\n#EXT-X-ENDLIST\n"), text());
    }

    @Test
    void audioOnlyCutsOnTime() {
        segmenter(config().build());
        feed(0, 7000, 0, null, audio);
        segmenter.end();
        assertEquals(4, completed.size(), completed.toString());
        // Cut at the first audio frame at or after 2 s: 23 ms frames reach 2.001 s (87 * 23).
        assertEquals(2.001, completed.get(0).durationSeconds(), 1e-9);
        assertTrue(text().contains("#EXT-X-TARGETDURATION:3\n"), "raised to the longest segment, rounded up");
    }

    @Test
    void timestampJumpGivesADiscontinuityAndItsSequenceNumber() {
        segmenter(config().build());
        feed(0, 4040, 0, video, audio);
        assertEquals(2, completed.size());
        // The publisher's clock jumps by an hour.
        feed(4040, 10_040, 3_600_000, video, audio);
        HlsSegment after = completed.stream().filter(HlsSegment::discontinuity).findFirst().orElseThrow();
        assertEquals(3, after.sequence(), "the segment after the jump");
        assertEquals(0.04, completed.get(2).durationSeconds(), 1e-9, "4.00 to 4.04 s ended at the jump");
        String t = text();
        assertTrue(t.contains("#EXT-X-DISCONTINUITY-SEQUENCE:0\n"), t);
        assertTrue(t.contains("#EXT-X-DISCONTINUITY\n"), t);
        feed(10_040, 20_040, 3_600_000, video, audio);
        t = text();
        assertTrue(t.contains("#EXT-X-DISCONTINUITY-SEQUENCE:1\n"), t);
        assertFalse(t.contains("#EXT-X-DISCONTINUITY\n"), t);
    }

    @Test
    void codecChangeInFmp4WritesANewInitSegment() {
        segmenter(config().segmentFormat(HlsSegmentFormat.FMP4).build());
        feed(0, 4040, 0, video, audio);
        HlsPlaylist p = segmenter.snapshot();
        assertNotNull(p.init("x-init.mp4"));
        String t = text();
        assertTrue(t.startsWith("#EXTM3U\n#EXT-X-VERSION:7\n"), t);
        assertTrue(t.contains("#EXT-X-MAP:URI=\"x-init.mp4\"\n"), t);
        ByteBuf seg = p.segment(0).content().retainedDuplicate();
        try {
            assertEquals("styp", seg.toString(4, 4, StandardCharsets.US_ASCII));
        } finally {
            seg.release();
        }

        byte[] config = video.config();
        config[2] ^= 0x40; // another profile_compatibility: a new configuration
        Track video2 = video.toBuilder().config(config).build();
        feed(4040, 10_040, 0, video2, audio);
        p = segmenter.snapshot();
        t = text();
        assertTrue(t.contains("#EXT-X-DISCONTINUITY\n#EXT-X-MAP:URI=\"x-init-1.mp4\"\n"), t);
        assertNotNull(p.init("x-init-1.mp4"));
        feed(10_040, 20_040, 0, video2, audio);
        assertNull(segmenter.snapshot().init("x-init.mp4"), "the old init segment is released with its segments");
    }

    @Test
    void fmp4TimelineStartingBelowZeroIsShifted() {
        segmenter(config().segmentFormat(HlsSegmentFormat.FMP4).build());
        feed(0, 6000, -500, video, audio);
        segmenter.end();
        assertEquals(3, completed.size(), completed.toString());
        ByteBuf seg = completed.get(0).content().retainedDuplicate();
        try {
            assertEquals("styp", seg.toString(4, 4, StandardCharsets.US_ASCII));
        } finally {
            seg.release();
        }
    }

    @Test
    void aTrackTheContainerCannotCarryIsLeftOut() throws Exception {
        Track av1;
        try (FlvFrames flv = FlvFrames.read("av1.flv")) {
            av1 = flv.track(io.livehub.media.TrackKind.VIDEO);
        }
        assertEquals(io.livehub.media.CodecId.AV1, av1.codec());
        segmenter(config().build());
        // MPEG-TS has no AV1 mapping here: the stream goes on as audio only.
        SyntheticMedia.feed(0, 7000, 0, av1, audio, this::give);
        segmenter.end();
        assertEquals(4, completed.size(), completed.toString());
        assertEquals(2.001, completed.get(0).durationSeconds(), 1e-9, "cut on audio time");
    }

    @Test
    void republishContinuesAfterADiscontinuity() {
        segmenter(config().build());
        feed(0, 4040, 0, video, audio);
        segmenter.end();
        assertTrue(text().endsWith("#EXT-X-ENDLIST\n"));
        segmenter.resume();
        feed(0, 4040, 0, video, audio);
        String t = text();
        assertFalse(t.contains("ENDLIST"), t);
        assertTrue(t.contains("#EXT-X-DISCONTINUITY\n"), t);
    }

    @Test
    void realFramesMakeTsAndFmp4Segments() throws Exception {
        for (HlsSegmentFormat format : HlsSegmentFormat.values()) {
            completed.clear();
            segmenter(config().targetDuration(Duration.ofSeconds(1)).build().toBuilder().segmentFormat(format).build());
            try (FlvFrames flv = FlvFrames.read("h264_aac.flv")) {
                for (MediaFrame f : flv.frames) {
                    segmenter.frame(f);
                }
            }
            segmenter.end();
            assertFalse(completed.isEmpty(), format.toString());
            double total = completed.stream().mapToDouble(HlsSegment::durationSeconds).sum();
            assertTrue(total > 0.5, format + ": " + total + " s");
            segmenter.close();
        }
    }

    @Test
    void lowLatencyPartsAreAtMostThePartTargetStartAtKeyframesAndMakeTheSegment() {
        for (HlsSegmentFormat format : HlsSegmentFormat.values()) {
            completed.clear();
            segmenter(config().segmentFormat(format).lowLatency(true).build());
            feed(0, 6000, 0, video, audio);
            assertEquals(2, completed.size(), format.toString());
            for (HlsSegment s : completed) {
                // 25 fps, a keyframe every second: parts of 0.2 s, the first and the sixth independent.
                assertEquals(10, s.parts().size(), s.toString());
                double sum = 0;
                ByteBuf whole = s.content().retainedDuplicate();
                try {
                    int offset = 0;
                    for (HlsPart p : s.parts()) {
                        assertTrue(p.durationSeconds() <= 0.2 + 1e-9, p.toString());
                        assertEquals(p.index() == 0 || p.index() == 5, p.independent(), p.toString());
                        assertEquals("x-" + s.sequence() + "." + p.index() + (format == HlsSegmentFormat.FMP4
                                ? ".m4s" : ".ts"), p.uri());
                        sum += p.durationSeconds();
                        ByteBuf part = p.content().retainedDuplicate();
                        try {
                            assertEquals(part, whole.slice(offset, part.readableBytes()), "the segment is its parts");
                            offset += part.readableBytes();
                        } finally {
                            part.release();
                        }
                    }
                    assertEquals(whole.readableBytes(), offset);
                } finally {
                    whole.release();
                }
                assertEquals(s.durationSeconds(), sum, 1e-6);
            }
            HlsPlaylist p = segmenter.snapshot();
            assertTrue(p.lowLatency());
            // Frames up to 5.96 s: nine parts of segment 2 (from 4 s) are done, the tenth is being written.
            assertTrue(p.satisfies(2, 8));
            assertFalse(p.satisfies(2, 9));
            assertFalse(p.satisfies(3, 0));
            assertTrue(p.satisfies(1, 10), "beyond the last part of a complete segment is the next segment's first");
            assertTrue(p.isUpcomingPart(2, 9));
            assertFalse(p.isUpcomingPart(2, 3));
            assertTrue(text().endsWith("#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"x-2.9"
                    + (format == HlsSegmentFormat.FMP4 ? ".m4s" : ".ts") + "\"\n"), text());
            segmenter.close();
        }
    }

    @Test
    void closeReleasesEverything() {
        segmenter(config().segmentFormat(HlsSegmentFormat.FMP4).build());
        feed(0, 9000, 0, video, audio);
        SharedBuffer init = segmenter.snapshot().init("x-init.mp4");
        segmenter.close();
        assertTrue(init.isReleased());
        assertNull(init.retainedDuplicate());
        for (HlsSegment s : completed) {
            assertTrue(s.content().isReleased());
        }
    }
}
