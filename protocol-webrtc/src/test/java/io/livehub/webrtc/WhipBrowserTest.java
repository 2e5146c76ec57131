package io.livehub.webrtc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.MediaServer;
import io.livehub.hub.LiveStream;
import io.livehub.media.CodecId;
import io.livehub.media.StreamKey;
import io.livehub.testing.Await;
import io.livehub.testing.BrowserHarness;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * WHIP ingest from a real browser: headless Chromium publishes a canvas (H.264) and a tone
 * (Opus) over WHIP, the hub gets a 320x240 H.264 track and an Opus track with frames
 * flowing, and a second Chromium plays the stream back over WHEP, its join getting a fresh
 * keyframe from the publisher (a PLI the server sends on its behalf). Tagged {@code interop}:
 * needs node, Chromium and {@code npm ci} in {@code browser-tests/}.
 */
@Tag("interop")
class WhipBrowserTest {

    @TempDir
    Path dir;

    private MediaServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void chromiumPublishesOverWhipAndAnotherChromiumPlaysItOverWhep() throws Exception {
        BrowserHarness browser = BrowserHarness.require();
        server = MediaServer.builder().httpPort(0)
                .module(WebRtcModule.builder().host("127.0.0.1").rtcPort(0)
                        // No periodic keyframe requests during the test: the viewer's join
                        // must get its keyframe by asking the WHIP publisher for one.
                        .publisherKeyframeInterval(Duration.ofSeconds(120)).build())
                .start();
        String http = "http://127.0.0.1:" + server.port("http");
        StreamKey key = StreamKey.of("live", "fromweb");

        CompletableFuture<BrowserHarness.Result> publisher = CompletableFuture.supplyAsync(() -> {
            try {
                return browser.playback("whip", http + "/rtc/v1/whip/?app=live&stream=fromweb")
                        .seconds(14).timeoutSeconds(40).run(dir);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        Await.until(() -> {
            LiveStream s = server.hub().stream(key);
            return publisher.isDone() || (s != null && s.isPublishing() && s.videoTrack() != null
                    && s.audioTrack() != null && s.framesIn() > 100);
        }, 30, "the WHIP stream to go live with video and audio");
        LiveStream s = server.hub().stream(key);
        assertTrue(s != null && s.isPublishing(), "not live; publisher: "
                + (publisher.isDone() ? publisher.get().describe() : "still running"));
        assertEquals(CodecId.H264, s.videoTrack().codec());
        assertEquals(320, s.videoTrack().width());
        assertEquals(240, s.videoTrack().height());
        assertEquals(CodecId.OPUS, s.audioTrack().codec());

        BrowserHarness.Result player = browser.playback("whep", http + "/live/fromweb/whep")
                .seconds(3).size(320, 240).timeoutSeconds(25).run(dir);
        System.out.println("WHEP playback of the WHIP stream: " + player.json());
        assertTrue(player.ok(), player.describe());
        assertTrue(((Number) player.get("info", "video", "framesDecoded")).intValue() >= 50, player.describe());
        assertEquals("audio/opus", player.get("info", "audio", "codec"), player.describe());

        BrowserHarness.Result published = publisher.get(60, TimeUnit.SECONDS);
        System.out.println("WHIP publisher: " + published.json());
        assertTrue(published.ok(), published.describe());
        assertEquals("video/H264", published.get("info", "video", "codec"), published.describe());
        assertTrue(((Number) published.get("info", "video", "pliCount")).intValue() >= 1, published.describe());
    }
}
