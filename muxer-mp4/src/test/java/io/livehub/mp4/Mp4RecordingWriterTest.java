package io.livehub.mp4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.media.MediaFrame;
import io.livehub.testing.FlvFrames;
import io.netty.buffer.ByteBufAllocator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes the real frames of core's FLV test files (H.264 High with B-frames + AAC; HEVC + Opus)
 * and checks the fragmented file while recording and the progressive file after, with ffprobe
 * and ffmpeg.
 */
@Tag("interop")
class Mp4RecordingWriterTest {

    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

    @TempDir
    Path dir;

    @Test
    void finishesAProgressiveFileFfmpegReadsFrameForFrame() throws Exception {
        check("h264_aac.flv", "h264", "aac");
    }

    @Test
    void carriesHevcAndOpus() throws Exception {
        check("hevc_opus.flv", "hevc", "opus");
    }

    @Test
    void carriesAv1() throws Exception {
        check("av1.flv", "av1", null);
    }

    private void check(String name, String videoCodec, String audioCodec) throws Exception {
        Path target = dir.resolve("rec/out.mp4");
        long video;
        long audio;
        try (FlvFrames flv = FlvFrames.read(name)) {
            video = flv.frames.stream().filter(MediaFrame::isVideo).count();
            audio = flv.frames.stream().filter(MediaFrame::isAudio).count();
            Mp4RecordingWriter w = Mp4RecordingWriter.open(target, flv.tracks,
                    Mp4WriterConfig.builder().fragmentDuration(Duration.ofMillis(300)).build(),
                    FileChannelFactory.DEFAULT, ALLOC);
            for (MediaFrame f : flv.frames) {
                w.write(f);
            }
            Path part = w.partPath();
            assertTrue(Files.exists(part));
            List<String> fragmented = Mp4Probe.topLevelBoxes(part);
            assertEquals(List.of("ftyp", "moov"), fragmented.subList(0, 2), fragmented.toString());
            RecordingResult r = w.finish();
            assertEquals(target, r.path());
            assertFalse(Files.exists(part));
            assertEquals(Files.size(target), r.size());
            assertTrue(r.duration().toMillis() > 0, r::toString);
        }
        assertEquals(List.of("ftyp", "moov", "mdat"), Mp4Probe.topLevelBoxes(target));
        Map<String, Map<String, String>> streams = Mp4Probe.streams(dir, target);
        assertEquals(videoCodec, streams.get("video").get("codec_name"));
        assertEquals(video, Long.parseLong(streams.get("video").get("nb_read_frames")), streams::toString);
        if (audioCodec != null) {
            assertEquals(audioCodec, streams.get("audio").get("codec_name"));
            assertEquals(audio, Long.parseLong(streams.get("audio").get("nb_read_frames")), streams::toString);
            double vStart = Double.parseDouble(streams.get("video").get("start_time"));
            double aStart = Double.parseDouble(streams.get("audio").get("start_time"));
            assertTrue(Math.abs(vStart - aStart) < 0.05, streams::toString);
        }
        assertEquals("", Mp4Probe.decodeErrors(dir, target));
    }
}
