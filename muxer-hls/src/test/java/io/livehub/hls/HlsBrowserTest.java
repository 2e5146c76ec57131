package io.livehub.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.MediaServer;
import io.livehub.media.StreamKey;
import io.livehub.rtmp.RtmpModule;
import io.livehub.testing.BrowserHarness;
import io.livehub.testing.Await;
import io.livehub.testing.ExternalProcess;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Plays HLS in a real browser: ffmpeg publishes a test pattern and a tone over RTMP, and hls.js
 * plays {@code /live/browser.m3u8} in headless Chromium from another origin (so the CORS header
 * is exercised too), once with MPEG-TS segments from the media playlist and once with fMP4
 * segments from the multivariant playlist. Tagged {@code interop}:
 * needs ffmpeg, node, Chromium and {@code npm ci} in {@code browser-tests/}.
 */
@Tag("interop")
class HlsBrowserTest {

    @TempDir
    Path dir;

    private MediaServer server;
    private ExternalProcess publisher;

    @AfterEach
    void stop() throws Exception {
        if (publisher != null) {
            publisher.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @ParameterizedTest
    @EnumSource(HlsSegmentFormat.class)
    void hlsJsPlaysInChromium(HlsSegmentFormat format) throws Exception {
        BrowserHarness browser = BrowserHarness.require();
        server = MediaServer.builder().httpPort(0)
                .module(RtmpModule.builder().host("127.0.0.1").port(0).build())
                .module(new HlsModule(HlsConfig.builder().segmentFormat(format).build()))
                .start();
        String rtmp = "rtmp://127.0.0.1:" + server.port("rtmp");
        String http = "http://127.0.0.1:" + server.port("http");

        publisher = ExternalProcess.start(dir, "ffmpeg", "-hide_banner", "-loglevel", "error", "-re",
                "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
                "-t", "40", "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency",
                "-g", "25", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "64k", "-f", "flv", rtmp + "/live/browser");
        Await.live(server, StreamKey.of("live", "browser"), 25);

        Path png = Path.of("target", "browser-tests", "HlsBrowserTest-" + format + ".png").toAbsolutePath();
        // The fMP4 run starts from the multivariant playlist, the TS run from the media playlist.
        String url = http + (format == HlsSegmentFormat.TS ? "/live/browser.m3u8" : "/live/browser/index.m3u8");
        BrowserHarness.Result r = browser.playback("hls", url)
                .seconds(3).size(320, 240).timeoutSeconds(30).screenshot(png).run(dir);
        System.out.println("browser playback (" + format + "): " + r.json());

        assertTrue(r.ok(), r.describe());
        assertTrue(r.errors().isEmpty(), r.describe());
        assertTrue(r.advanced() >= 3.0, "currentTime advanced " + r.advanced() + " s");
        assertEquals(320, r.videoWidth(), r.describe());
        assertEquals(240, r.videoHeight(), r.describe());
        assertEquals(Boolean.TRUE, r.get("info", "level", "live"), r.describe());
        // hls.js makes one SourceBuffer per track for TS and, for fMP4 segments that mux both
        // tracks, one "audiovideo" buffer: look for both codecs in whatever it reports.
        String tracks = String.valueOf(r.get("info", "tracks")).toLowerCase(java.util.Locale.ROOT);
        assertTrue(tracks.contains("avc1.42c00d"), r.describe());
        assertTrue(tracks.contains("mp4a.40.2"), r.describe());

        // The screenshot shows the decoded picture: testsrc's colour bars, not a blank frame.
        BufferedImage image = ImageIO.read(png.toFile());
        assertNotNull(image, "screenshot " + png);
        assertTrue(BrowserHarness.distinctColours(image) >= 8, "screenshot has " + BrowserHarness.distinctColours(image) + " colours: " + png);
        assertTrue(publisher.isAlive(), "the publisher runs until the end: " + publisher.output());
    }

    /**
     * Plays Low-Latency HLS with hls.js in low-latency mode: it must see the part target and
     * blocking reload, load parts, and report a latency; ffmpeg still reads the same playlist.
     */
    @ParameterizedTest
    @EnumSource(HlsSegmentFormat.class)
    void hlsJsPlaysLowLatencyInChromium(HlsSegmentFormat format) throws Exception {
        BrowserHarness browser = BrowserHarness.require();
        server = MediaServer.builder().httpPort(0)
                .module(RtmpModule.builder().host("127.0.0.1").port(0).build())
                .module(new HlsModule(HlsConfig.builder().segmentFormat(format).lowLatency(true)
                        .muxing(HlsMuxing.ALWAYS).build()))
                .start();
        String rtmp = "rtmp://127.0.0.1:" + server.port("rtmp");
        String http = "http://127.0.0.1:" + server.port("http");

        publisher = ExternalProcess.start(dir, "ffmpeg", "-hide_banner", "-loglevel", "error", "-re",
                "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
                "-t", "60", "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency",
                "-g", "25", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "64k", "-f", "flv", rtmp + "/live/ll");
        Await.live(server, StreamKey.of("live", "ll"), 25);

        Path png = Path.of("target", "browser-tests", "HlsBrowserTest-LL-" + format + ".png").toAbsolutePath();
        BrowserHarness.Result r = browser.playback("hls-ll", http + "/live/ll.m3u8")
                .seconds(6).size(320, 240).timeoutSeconds(45).screenshot(png).run(dir);
        System.out.println("browser low-latency playback (" + format + "): " + r.json());

        assertTrue(r.ok(), r.describe());
        assertTrue(r.errors().isEmpty(), r.describe());
        assertTrue(r.advanced() >= 6.0, "currentTime advanced " + r.advanced() + " s");
        assertEquals(320, r.videoWidth(), r.describe());
        assertEquals(Boolean.TRUE, r.get("info", "level", "live"), r.describe());
        assertEquals(Boolean.TRUE, r.get("info", "level", "canBlockReload"), r.describe());
        assertEquals(0.2, ((Number) r.get("info", "level", "partTarget")).doubleValue(), 1e-9, r.describe());
        assertTrue(((Number) r.get("info", "level", "blockingReloads")).intValue() > 0, r.describe());
        Object parts = r.get("info", "partsLoaded");
        assertTrue(parts instanceof Number && ((Number) parts).intValue() > 0, "hls.js loaded parts: " + r.describe());
        Object latency = r.get("info", "latency", "last");
        assertTrue(latency instanceof Number && ((Number) latency).doubleValue() > 0, r.describe());

        // ffmpeg still reads the low-latency playlist (it ignores the LL tags and takes segments).
        Path out = dir.resolve("ll-" + format + ".ts");
        ExternalProcess.Result reader = ExternalProcess.run(dir, 60, "ffmpeg", "-hide_banner", "-loglevel", "error",
                "-i", http + "/live/ll.m3u8", "-t", "3", "-c", "copy", "-f", "mpegts", out.toString());
        assertEquals(0, reader.exitCode(), reader.describe());
        assertTrue(java.nio.file.Files.size(out) > 10_000, "ffmpeg wrote " + java.nio.file.Files.size(out) + " bytes");
        assertTrue(publisher.isAlive(), "the publisher runs until the end: " + publisher.output());
    }
}
