package io.livehub.rtmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.MediaServer;
import io.livehub.media.StreamKey;
import io.livehub.testing.BrowserHarness;
import io.livehub.testing.Await;
import io.livehub.testing.ExternalProcess;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plays HTTP-FLV in a real browser: ffmpeg publishes a test pattern and a tone over RTMP, and
 * mpegts.js plays {@code /live/browser.flv} in headless Chromium from another origin (so the
 * CORS header is exercised too). Tagged {@code interop}: needs ffmpeg, node, Chromium and
 * {@code npm ci} in {@code browser-tests/}.
 */
@Tag("interop")
class HttpFlvBrowserTest {

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

    @Test
    void mpegtsJsPlaysHttpFlvInChromium() throws Exception {
        BrowserHarness browser = BrowserHarness.require();
        server = MediaServer.builder().httpPort(0)
                .module(RtmpModule.builder().host("127.0.0.1").port(0).build())
                .module(HttpFlvModule.builder().build())
                .start();
        String rtmp = "rtmp://127.0.0.1:" + server.port("rtmp");
        String http = "http://127.0.0.1:" + server.port("http");

        publisher = ExternalProcess.start(dir, "ffmpeg", "-hide_banner", "-loglevel", "error", "-re",
                "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
                "-t", "25", "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency",
                "-g", "25", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "64k", "-f", "flv", rtmp + "/live/browser");
        Await.live(server, StreamKey.of("live", "browser"), 25);

        Path png = Path.of("target", "browser-tests", "HttpFlvBrowserTest-mpegts.png").toAbsolutePath();
        BrowserHarness.Result r = browser.playback("mpegts", http + "/live/browser.flv")
                .seconds(3).size(320, 240).timeoutSeconds(20).screenshot(png).run(dir);
        System.out.println("browser playback: " + r.json());

        assertTrue(r.ok(), r.describe());
        assertTrue(r.errors().isEmpty(), r.describe());
        assertTrue(r.advanced() >= 3.0, "currentTime advanced " + r.advanced() + " s");
        assertEquals(320, r.videoWidth(), r.describe());
        assertEquals(240, r.videoHeight(), r.describe());
        assertEquals(Boolean.TRUE, r.get("info", "mediaInfo", "hasVideo"), r.describe());
        assertEquals(Boolean.TRUE, r.get("info", "mediaInfo", "hasAudio"), r.describe());
        assertTrue(String.valueOf(r.get("info", "mediaInfo", "videoCodec")).startsWith("avc1."), r.describe());
        assertEquals("mp4a.40.2", r.get("info", "mediaInfo", "audioCodec"), r.describe());

        // The screenshot shows the decoded picture: testsrc's colour bars, not a blank frame.
        BufferedImage image = ImageIO.read(png.toFile());
        assertNotNull(image, "screenshot " + png);
        assertEquals(320, image.getWidth());
        assertEquals(240, image.getHeight());
        assertTrue(BrowserHarness.distinctColours(image) >= 8, "screenshot has " + BrowserHarness.distinctColours(image) + " colours: " + png);

        assertTrue(publisher.isAlive(), "the publisher runs until the end: " + publisher.output());
    }
}
