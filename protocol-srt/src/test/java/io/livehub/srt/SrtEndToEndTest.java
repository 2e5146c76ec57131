package io.livehub.srt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.MediaServer;
import io.livehub.hub.LiveStream;
import io.livehub.media.StreamKey;
import io.livehub.rtmp.RtmpModule;
import io.livehub.testing.ExternalProcess;
import io.livehub.testing.Ffprobe;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Publishes MPEG-TS over SRT with ffmpeg (libsrt) and plays it back over SRT and RTMP, and
 * the other way round: an RTMP publish played over SRT.
 */
@Tag("interop")
class SrtEndToEndTest {

    @TempDir
    Path dir;

    private MediaServer server;
    private String srt;
    private String rtmp;

    @BeforeEach
    void start() throws Exception {
        server = MediaServer.builder().httpPort(-1)
                .module(RtmpModule.builder().host("127.0.0.1").port(0).build())
                .module(SrtModule.builder().host("127.0.0.1").port(0).build())
                .start();
        srt = "srt://127.0.0.1:" + server.port("srt");
        rtmp = "rtmp://127.0.0.1:" + server.port("rtmp");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private void awaitLive(StreamKey key) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (true) {
            LiveStream s = server.hub().stream(key);
            if (s != null && s.isPublishing() && s.videoTrack() != null && s.audioTrack() != null
                    && s.framesIn() > 50) {
                return;
            }
            assertTrue(System.nanoTime() < deadline, "stream " + key + " did not go live");
            Thread.sleep(20);
        }
    }

    private static void assertH264Aac(Ffprobe p, int frames) {
        assertNotNull(p.stream("video"), p.toString());
        assertNotNull(p.stream("audio"), p.toString());
        assertEquals("h264", p.stream("video").codec());
        assertEquals("aac", p.stream("audio").codec());
        assertEquals(320, p.stream("video").width());
        assertEquals(frames, p.packets("video").size(), p.toString());
        assertTrue(p.packets("video").get(0).keyframe(), "starts on a keyframe");
        assertTrue(p.timestampsIncrease());
    }

    private ExternalProcess publisher(String format, String url) throws Exception {
        return ExternalProcess.start(dir, "ffmpeg", "-hide_banner", "-loglevel", "error", "-re",
                "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25", "-f", "lavfi", "-i", "sine",
                "-t", "12", "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "25",
                "-pix_fmt", "yuv420p", "-c:a", "aac", "-f", format, url);
    }

    private Ffprobe record(String url, String format, Path out) throws Exception {
        ExternalProcess.Result r = ExternalProcess.run(dir, 40, "ffmpeg", "-hide_banner", "-loglevel", "error",
                "-y", "-i", url, "-frames:v", "50", "-c", "copy", "-f", format, out.toString());
        assertEquals(0, r.exitCode(), r.describe());
        return Ffprobe.of(dir, out);
    }

    @Test
    void srtPublishPlaysOverSrtAndRtmp() throws Exception {
        StreamKey key = StreamKey.of("live", "fromsrt");
        try (ExternalProcess pub = publisher("mpegts",
                srt + "?streamid=#!::r=live/fromsrt,m=publish&pkt_size=1316&latency=200000")) {
            awaitLive(key);
            assertH264Aac(record(rtmp + "/live/fromsrt", "flv", dir.resolve("rtmp.flv")), 50);
            assertH264Aac(record(srt + "?streamid=#!::r=live/fromsrt,m=request&latency=200000", "mpegts",
                    dir.resolve("srt.ts")), 50);
            assertEquals(0, pub.await(30).exitCode());
        }
    }

    @Test
    void rtmpPublishPlaysOverSrt() throws Exception {
        StreamKey key = StreamKey.of("live", "fromrtmp");
        try (ExternalProcess pub = publisher("flv", rtmp + "/live/fromrtmp")) {
            awaitLive(key);
            assertH264Aac(record(srt + "?streamid=live/fromrtmp&latency=200000", "mpegts",
                    dir.resolve("srt.ts")), 50);
            assertEquals(0, pub.await(30).exitCode());
        }
    }
}
