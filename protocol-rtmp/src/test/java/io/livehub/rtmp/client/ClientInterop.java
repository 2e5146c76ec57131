package io.livehub.rtmp.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.media.CodecId;
import io.livehub.media.MediaFrame;
import io.livehub.media.Track;
import io.livehub.testing.ExternalProcess;
import io.livehub.testing.Ffprobe;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** What the client interop tests share: making media with ffmpeg, pacing, and the checks. */
final class ClientInterop {

    private ClientInterop() {
    }

    /** Makes a 3 s, 25 fps, 320x240 H.264 + AAC FLV file with one keyframe a second. */
    static Path makeFlv(Path dir) throws Exception {
        Path flv = dir.resolve("source.flv");
        ExternalProcess.Result r = ExternalProcess.run(dir, 60, "ffmpeg", "-hide_banner", "-loglevel", "error", "-y",
                "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25", "-f", "lavfi", "-i", "sine=sample_rate=44100",
                "-t", "3", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-g", "25",
                "-c:a", "aac", "-b:a", "64k", "-f", "flv", flv.toString());
        assertEquals(0, r.exitCode(), r.describe());
        return flv;
    }

    /**
     * Starts ffmpeg publishing a test pattern and a tone, H.264 + AAC in real time, to {@code url}
     * ({@code rtmp} or {@code rtmps}).
     */
    static ExternalProcess ffmpegPublish(Path dir, String url, int seconds) throws Exception {
        return ExternalProcess.start(dir, "ffmpeg", "-hide_banner", "-loglevel", "error", "-re",
                "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
                "-t", String.valueOf(seconds), "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency",
                "-g", "25", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "64k", "-f", "flv", url);
    }

    /** Starts ffmpeg copying what it plays from {@code url} into an FLV file until the stream ends. */
    static ExternalProcess ffmpegRecord(Path dir, String url, Path out) throws Exception {
        return ExternalProcess.start(dir, "ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-i", url,
                "-c", "copy", "-f", "flv", out.toString());
    }

    /** Sends the frames at the pace of their timestamps, as a live source would. */
    static void sendPaced(RtmpPublishSession pub, List<MediaFrame> frames) throws InterruptedException {
        long first = frames.isEmpty() ? 0 : frames.get(0).dtsMillis();
        long start = System.nanoTime();
        for (MediaFrame f : frames) {
            long due = start + TimeUnit.MILLISECONDS.toNanos(f.dtsMillis() - first);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            pub.send(f);
        }
    }

    /** Checks an ffprobe report of 320x240 H.264 + AAC with {@code videoFrames} video packets. */
    static void assertH264Aac(Ffprobe p, int videoFrames) {
        assertNotNull(p.stream("video"), p.toString());
        assertNotNull(p.stream("audio"), p.toString());
        assertEquals("h264", p.stream("video").codec());
        assertEquals("aac", p.stream("audio").codec());
        assertEquals(320, p.stream("video").width());
        assertEquals(240, p.stream("video").height());
        assertEquals(videoFrames, p.packets("video").size(), p.toString());
        assertTrue(p.packets("audio").size() > videoFrames, "audio packets: " + p.packets("audio").size());
        assertTrue(p.packets("video").get(0).keyframe(), "playback starts on a keyframe");
        assertTrue(p.timestampsIncrease(), "timestamps increase");
    }

    /**
     * Checks what the client got from ffmpeg's 320x240 H.264 + AAC stream: configurations, a
     * keyframe first, increasing timestamps, and ffmpeg's metadata for the dimensions.
     */
    static void assertPlayedH264Aac(FrameCollector got, int minVideoFrames) {
        synchronized (got) {
            Track video = got.tracks.stream().filter(t -> t.codec() == CodecId.H264).findFirst().orElse(null);
            Track audio = got.tracks.stream().filter(t -> t.codec() == CodecId.AAC).findFirst().orElse(null);
            assertNotNull(video, "an H.264 track: " + got.tracks);
            assertNotNull(audio, "an AAC track: " + got.tracks);
            byte[] avcc = video.config();
            assertEquals(1, avcc[0], "avcC version");
            assertEquals(0x03, avcc[4] & 0x03, "4-byte NAL unit lengths");
            byte[] asc = audio.config();
            assertEquals(2, (asc[0] & 0xFF) >> 3, "AAC LC");
            assertEquals(4, ((asc[0] & 0x07) << 1) | ((asc[1] & 0xFF) >> 7), "44.1 kHz sampling index");

            List<FrameCollector.Frame> v = got.frames.stream().filter(FrameCollector.Frame::isVideo).toList();
            assertTrue(v.size() >= minVideoFrames, v.size() + " video frames");
            assertTrue(v.get(0).keyframe(), "video starts at a keyframe");
            byte[] first = v.get(0).payload();
            boolean idr = false;
            for (int at = 0; at + 4 < first.length; ) {
                int len = ((first[at] & 0xFF) << 24) | ((first[at + 1] & 0xFF) << 16) | ((first[at + 2] & 0xFF) << 8)
                        | (first[at + 3] & 0xFF);
                idr |= (first[at + 4] & 0x1F) == 5;
                at += 4 + len;
            }
            assertTrue(idr, "the first frame holds an IDR NAL unit");
            for (int i = 1; i < v.size(); i++) {
                assertTrue(v.get(i).dts() > v.get(i - 1).dts(), "video dts increases at " + i);
            }
            assertTrue(got.frames.stream().filter(f -> f.codec() == CodecId.AAC).count() > v.size() / 2);

            assertTrue(!got.metadata.isEmpty(), "ffmpeg's onMetaData");
            Map<String, Object> md = got.metadata.get(0);
            assertEquals(320.0, md.get("width"));
            assertEquals(240.0, md.get("height"));
            assertEquals(7.0, md.get("videocodecid"));
        }
    }
}
