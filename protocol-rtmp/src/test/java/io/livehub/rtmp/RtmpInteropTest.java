package io.livehub.rtmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.MediaServer;
import io.livehub.hub.LiveStream;
import io.livehub.media.StreamKey;
import io.livehub.testing.ExternalProcess;
import io.livehub.testing.Ffprobe;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Publishes and plays with real programs on loopback: ffmpeg, ffprobe, rtmpdump and
 * GStreamer. Tagged {@code interop}: skipped locally when a program is missing, required in CI.
 */
@Tag("interop")
class RtmpInteropTest {

    @TempDir
    Path dir;

    private MediaServer server;
    private String rtmp;
    private String http;
    private final List<ExternalProcess> processes = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = MediaServer.builder().httpPort(0)
                .module(RtmpModule.builder().host("127.0.0.1").port(0).build())
                .module(HttpFlvModule.builder().build())
                .start();
        rtmp = "rtmp://127.0.0.1:" + server.port("rtmp");
        http = "http://127.0.0.1:" + server.port("http");
    }

    @AfterEach
    void stop() throws Exception {
        for (ExternalProcess p : processes) {
            p.close();
        }
        server.close();
    }

    private ExternalProcess spawn(String program, String... args) throws Exception {
        ExternalProcess p = ExternalProcess.start(dir, program, args);
        processes.add(p);
        return p;
    }

    /** Starts ffmpeg publishing a test pattern and a tone, H.264 + AAC, in real time. */
    private ExternalProcess publish(String path, String size, int seconds) throws Exception {
        return spawn("ffmpeg", "-hide_banner", "-loglevel", "error", "-re",
                "-f", "lavfi", "-i", "testsrc=size=" + size + ":rate=25",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
                "-t", String.valueOf(seconds), "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency",
                "-g", "25", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "64k", "-f", "flv", rtmp + "/" + path);
    }

    /** Starts ffmpeg recording {@code frames} video frames of {@code url} into {@code out}. */
    private ExternalProcess record(String url, int frames, Path out) throws Exception {
        return spawn("ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-i", url,
                "-frames:v", String.valueOf(frames), "-c", "copy", "-f", "flv", out.toString());
    }

    private void awaitLive(String app, String name, long frames) throws InterruptedException {
        StreamKey key = StreamKey.of(app, name);
        await(() -> {
            LiveStream s = server.hub().stream(key);
            return s != null && s.isPublishing() && s.framesIn() >= frames;
        }, 20);
    }

    private static void await(BooleanSupplier cond, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!cond.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "condition not met in " + seconds + " s");
            Thread.sleep(20);
        }
    }

    private static void assertH264Aac(Ffprobe p, int width, int height, int videoFrames) {
        assertNotNull(p.stream("video"), p.toString());
        assertNotNull(p.stream("audio"), p.toString());
        assertEquals("h264", p.stream("video").codec());
        assertEquals("aac", p.stream("audio").codec());
        assertEquals(width, p.stream("video").width());
        assertEquals(height, p.stream("video").height());
        assertEquals(videoFrames, p.packets("video").size(), p.toString());
        assertTrue(p.packets("audio").size() > videoFrames / 2, "audio packets: " + p.packets("audio").size());
        assertTrue(p.packets("video").get(0).keyframe(), "playback starts on a keyframe");
        assertTrue(p.timestampsIncrease(), "timestamps increase");
    }

    @Test
    void playersStartedBeforeThePublisherGetTheStreamOverRtmpAndHttpFlv() throws Exception {
        Path overRtmp = dir.resolve("rtmp.flv");
        Path overHttp = dir.resolve("http.flv");
        ExternalProcess rtmpPlayer = record(rtmp + "/live/early", 75, overRtmp);
        ExternalProcess httpPlayer = record(http + "/live/early.flv", 75, overHttp);
        await(() -> server.hub().stream(StreamKey.of("live", "early")) != null
                && server.hub().stream(StreamKey.of("live", "early")).subscriberCount() == 2, 20);
        ExternalProcess publisher = publish("live/early", "320x240", 6);

        ExternalProcess.Result r1 = rtmpPlayer.await(40);
        assertEquals(0, r1.exitCode(), r1.describe());
        ExternalProcess.Result r2 = httpPlayer.await(40);
        assertEquals(0, r2.exitCode(), r2.describe());
        ExternalProcess.Result pub = publisher.await(40);
        assertEquals(0, pub.exitCode(), pub.describe());

        assertH264Aac(Ffprobe.of(dir, overRtmp), 320, 240, 75);
        assertH264Aac(Ffprobe.of(dir, overHttp), 320, 240, 75);
        await(() -> server.hub().stream(StreamKey.of("live", "early")) == null
                || !server.hub().stream(StreamKey.of("live", "early")).isPublishing(), 10);
    }

    @Test
    void midStreamJoinTwoStreamsAndASecondPublisherRefused() throws Exception {
        ExternalProcess a = publish("live/a", "320x240", 10);
        ExternalProcess b = publish("live/b", "160x120", 10);
        awaitLive("live", "a", 100);
        awaitLive("live", "b", 100);

        ExternalProcess.Result hijack = ExternalProcess.run(dir, 30, "ffmpeg", "-hide_banner", "-loglevel", "error",
                "-re", "-f", "lavfi", "-i", "testsrc=size=64x64:rate=25", "-t", "5", "-c:v", "libx264",
                "-f", "flv", rtmp + "/live/a");
        assertNotEquals(0, hijack.exitCode(), "a second publisher must be refused: " + hijack.describe());
        assertTrue(server.hub().stream(StreamKey.of("live", "a")).isPublishing(), "the first publisher goes on");

        Path fromA = dir.resolve("a.flv");
        Path fromB = dir.resolve("b.flv");
        ExternalProcess playA = record(rtmp + "/live/a", 30, fromA);
        ExternalProcess playB = record(http + "/live/b.flv", 30, fromB);
        ExternalProcess.Result ra = playA.await(30);
        assertEquals(0, ra.exitCode(), ra.describe());
        ExternalProcess.Result rb = playB.await(30);
        assertEquals(0, rb.exitCode(), rb.describe());
        assertH264Aac(Ffprobe.of(dir, fromA), 320, 240, 30);
        assertH264Aac(Ffprobe.of(dir, fromB), 160, 120, 30);

        assertEquals(0, a.await(30).exitCode());
        assertEquals(0, b.await(30).exitCode());
    }

    @Test
    void rtmpdumpPlays() throws Exception {
        ExternalProcess pub = publish("live/dump", "320x240", 10);
        awaitLive("live", "dump", 25);
        Path out = dir.resolve("dump.flv");
        ExternalProcess dump = spawn("rtmpdump", "--live", "-r", rtmp + "/live/dump", "-o", out.toString());
        Thread.sleep(3000);
        assertTrue(dump.isAlive(), "rtmpdump keeps playing: " + dump.output());
        dump.close();
        Ffprobe p = Ffprobe.of(dir, out);
        assertEquals("h264", p.stream("video").codec());
        assertTrue(p.packets("video").size() >= 40, p.toString());
        assertTrue(p.packets("video").get(0).keyframe());
        assertEquals(0, pub.await(30).exitCode());
    }

    @Test
    void gstreamerPublishesWithRtmp2sinkAndPlaysWithRtmp2src() throws Exception {
        ExternalProcess gstPub = spawn("gst-launch-1.0", "-e",
                "videotestsrc", "is-live=true", "num-buffers=200", "!",
                "video/x-raw,width=320,height=240,framerate=25/1", "!", "openh264enc", "!", "h264parse", "!",
                "flvmux", "streamable=true", "name=m", "!", "rtmp2sink", "location=" + rtmp + "/live/gst",
                "audiotestsrc", "is-live=true", "num-buffers=350", "!", "audio/x-raw,rate=44100,channels=2", "!",
                "voaacenc", "!", "aacparse", "!", "m.");
        awaitLive("live", "gst", 25);
        ExternalProcess.Result gstPlay = ExternalProcess.run(dir, 30, "gst-launch-1.0",
                "rtmp2src", "location=" + rtmp + "/live/gst", "!", "flvdemux", "name=d",
                "d.video", "!", "queue", "!", "h264parse", "!", "fakesink", "num-buffers=50");
        assertEquals(0, gstPlay.exitCode(), gstPlay.describe());
        Path out = dir.resolve("gst.flv");
        ExternalProcess.Result ff = record(rtmp + "/live/gst", 25, out).await(30);
        assertEquals(0, ff.exitCode(), ff.describe());
        Ffprobe p = Ffprobe.of(dir, out);
        assertEquals(320, p.stream("video").width());
        assertEquals("aac", p.stream("audio").codec());
        assertFalse(p.packets("video").isEmpty());
        ExternalProcess.Result pub = gstPub.await(40);
        assertEquals(0, pub.exitCode(), pub.describe());
    }
}
