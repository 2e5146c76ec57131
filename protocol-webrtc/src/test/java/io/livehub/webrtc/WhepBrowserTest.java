package io.livehub.webrtc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.MediaServer;
import io.livehub.media.StreamKey;
import io.livehub.rtmp.RtmpModule;
import io.livehub.srt.SrtModule;
import io.livehub.testing.Await;
import io.livehub.testing.BrowserHarness;
import io.livehub.testing.ExternalProcess;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The slice's acceptance test: ffmpeg publishes an H.264 test pattern (with AAC audio, which
 * WebRTC cannot carry, so it plays video-only) over RTMP, and headless
 * Chromium plays it over WHEP (its own RTCPeerConnection, recvonly transceivers, the offer
 * POSTed to {@code /rtc/v1/whep/}) through ICE-lite on loopback, DTLS-SRTP and RTP. Passes
 * when the video element plays 3 s at the source's size and getStats() shows framesDecoded
 * rising. A second test publishes H.264 with Opus over SRT (ffmpeg cannot put Opus in FLV)
 * and checks that the browser also receives and decodes the audio. Tagged {@code interop}:
 * needs ffmpeg, node, Chromium and {@code npm ci} in {@code browser-tests/}.
 */
@Tag("interop")
class WhepBrowserTest {

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
    void chromiumPlaysAnRtmpStreamOverWhep() throws Exception {
        BrowserHarness browser = BrowserHarness.require();
        WebRtcModule webrtc = WebRtcModule.builder().host("127.0.0.1").rtcPort(0).build();
        server = MediaServer.builder().httpPort(0)
                .module(RtmpModule.builder().host("127.0.0.1").port(0).build())
                .module(webrtc)
                .start();
        String rtmp = "rtmp://127.0.0.1:" + server.port("rtmp");
        String http = "http://127.0.0.1:" + server.port("http");
        assertTrue(server.port("webrtc") > 0);

        publisher = ExternalProcess.start(dir, "ffmpeg", "-hide_banner", "-loglevel", "error", "-re",
                "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
                "-t", "40", "-c:v", "libx264", "-profile:v", "baseline", "-bf", "0", "-g", "30",
                "-preset", "ultrafast", "-tune", "zerolatency", "-pix_fmt", "yuv420p",
                "-c:a", "aac", "-b:a", "64k", "-f", "flv", rtmp + "/live/webrtc");
        Await.until(() -> {
            var s = server.hub().stream(StreamKey.of("live", "webrtc"));
            return s != null && s.isPublishing() && s.videoTrack() != null && s.audioTrack() != null
                    && s.framesIn() > 25;
        }, 20, "live/webrtc to go live with video and AAC audio");

        BrowserHarness.Result r = browser.playback("whep", http + "/rtc/v1/whep/?app=live&stream=webrtc")
                .seconds(3).size(320, 240).timeoutSeconds(25)
                .screenshot(Path.of("target", "browser-tests", "WhepBrowserTest.png").toAbsolutePath())
                .run(dir);
        System.out.println("browser playback: " + r.json());

        assertTrue(r.ok(), r.describe());
        assertTrue(r.errors().isEmpty(), r.describe());
        assertEquals(320, r.videoWidth(), r.describe());
        assertEquals(240, r.videoHeight(), r.describe());
        assertEquals("video/H264", r.get("info", "video", "codec"), r.describe());
        assertEquals(320, ((Number) r.get("info", "video", "frameWidth")).intValue(), r.describe());
        // framesDecoded keeps rising: over the samples of the last seconds it never falls and
        // ends well above where it started (25 fps for 3 s or more).
        List<?> history = (List<?>) r.get("info", "framesDecodedHistory");
        assertTrue(history != null && history.size() >= 4, r.describe());
        double first = ((Number) history.get(0)).doubleValue();
        double previous = first;
        for (Object o : history) {
            double v = ((Number) o).doubleValue();
            assertTrue(v >= previous, "framesDecoded fell: " + history);
            previous = v;
        }
        assertTrue(previous - first >= 50, "framesDecoded rose only from " + first + " to " + previous);
        // The source's audio is AAC, which WebRTC cannot carry: the answer rejected the audio
        // m-section, so the browser receives video only.
        assertEquals(null, r.get("info", "audio"), r.describe());
        assertTrue(publisher.isAlive(), "the publisher runs until the end: " + publisher.output());
    }

    @Test
    void chromiumPlaysOpusAudioFromAnSrtSource() throws Exception {
        BrowserHarness browser = BrowserHarness.require();
        server = MediaServer.builder().httpPort(0)
                .module(SrtModule.builder().host("127.0.0.1").port(0).build())
                .module(WebRtcModule.builder().host("127.0.0.1").rtcPort(0).build())
                .start();
        String http = "http://127.0.0.1:" + server.port("http");
        publisher = ExternalProcess.start(dir, "ffmpeg", "-hide_banner", "-loglevel", "error", "-re",
                "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
                "-t", "40", "-c:v", "libx264", "-profile:v", "baseline", "-bf", "0", "-g", "30",
                "-preset", "ultrafast", "-tune", "zerolatency", "-pix_fmt", "yuv420p",
                "-c:a", "libopus", "-b:a", "64k", "-f", "mpegts",
                "srt://127.0.0.1:" + server.port("srt") + "?streamid=#!::r=live/opus,m=publish&pkt_size=1316");
        Await.until(() -> {
            var s = server.hub().stream(StreamKey.of("live", "opus"));
            return s != null && s.isPublishing() && s.videoTrack() != null && s.audioTrack() != null
                    && s.framesIn() > 50;
        }, 20, "live/opus to go live with video and audio");

        BrowserHarness.Result r = browser.playback("whep", http + "/live/opus/whep")
                .seconds(3).size(320, 240).timeoutSeconds(25).run(dir);
        System.out.println("browser playback: " + r.json());

        assertTrue(r.ok(), r.describe());
        assertEquals("audio/opus", r.get("info", "audio", "codec"), r.describe());
        assertTrue(((Number) r.get("info", "audio", "packetsReceived")).intValue() >= 100, r.describe());
        assertTrue(((Number) r.get("info", "audio", "totalSamplesReceived")).longValue() >= 48_000, r.describe());
        assertTrue(((Number) r.get("info", "video", "framesDecoded")).intValue() >= 50, r.describe());
    }

    @Test
    void chromiumPlaysHighProfileThoughTheOfferHasNone() throws Exception {
        BrowserHarness browser = BrowserHarness.require();
        server = MediaServer.builder().httpPort(0)
                .module(RtmpModule.builder().host("127.0.0.1").port(0).build())
                .module(WebRtcModule.builder().host("127.0.0.1").rtcPort(0).build())
                .start();
        String http = "http://127.0.0.1:" + server.port("http");
        // High profile: Chromium 156's offer has no High payload type, so Constrained Baseline
        // is answered, and the decoder copes. (With B-frames it would not: browsers' WebRTC
        // decoders do not reorder, and only the keyframes show; see the README.)
        publisher = ExternalProcess.start(dir, "ffmpeg", "-hide_banner", "-loglevel", "error", "-re",
                "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25",
                "-t", "40", "-c:v", "libx264", "-profile:v", "high", "-bf", "0", "-g", "30",
                "-preset", "veryfast", "-pix_fmt", "yuv420p",
                "-f", "flv", "rtmp://127.0.0.1:" + server.port("rtmp") + "/live/high");
        Await.live(server, StreamKey.of("live", "high"), 25);

        BrowserHarness.Result r = browser.playback("whep", http + "/live/high/whep")
                .seconds(3).size(320, 240).timeoutSeconds(25).run(dir);
        System.out.println("browser playback: " + r.json());
        assertTrue(r.ok(), r.describe());
        List<?> history = (List<?>) r.get("info", "framesDecodedHistory");
        double first = ((Number) history.get(0)).doubleValue();
        double last = ((Number) history.get(history.size() - 1)).doubleValue();
        assertTrue(last - first >= 50, "framesDecoded rose only from " + first + " to " + last);
    }
}
