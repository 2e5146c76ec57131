package io.livehub.srt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.MediaServer;
import io.livehub.hub.LiveStream;
import io.livehub.media.StreamKey;
import io.livehub.testing.ExternalProcess;
import io.livehub.testing.Ffprobe;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ffmpeg (libsrt) publishes encrypted MPEG-TS over SRT to a server with a passphrase and
 * plays it back encrypted, with AES-128 and AES-256, with key refreshes forced every 1000
 * packets in both directions; wrong and missing passphrases are refused.
 */
@Tag("interop")
class SrtEncryptionEndToEndTest {

    static final String SECRET = "livehub-e2e-passphrase";

    @TempDir
    Path dir;

    private MediaServer server;
    private SrtModule srtModule;
    private String srt;

    @BeforeEach
    void start() throws Exception {
        srtModule = SrtModule.builder().host("127.0.0.1").port(0).passphrase(SECRET).kmRefreshRate(100)
                .kmPreAnnounce(25).build();
        server = MediaServer.builder().httpPort(-1).module(srtModule).start();
        srt = "srt://127.0.0.1:" + server.port("srt");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private void awaitLive(StreamKey key, ExternalProcess pub) throws Exception {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (true) {
            LiveStream s = server.hub().stream(key);
            if (s != null && s.isPublishing() && s.videoTrack() != null && s.audioTrack() != null
                    && s.framesIn() > 50) {
                return;
            }
            assertTrue(System.nanoTime() < deadline, "stream " + key + " did not go live: " + pub.output());
            Thread.sleep(20);
        }
    }

    /**
     * Publishes H.264 and AAC in an MPEG-TS padded to 3 Mbit/s (null packets): some 285 SRT
     * packets a second, so that the publisher's key refreshes come every few seconds.
     */
    private ExternalProcess publisher(String url, int seconds) throws Exception {
        return ExternalProcess.start(dir, "ffmpeg", "-hide_banner", "-loglevel", "error", "-re",
                "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25", "-f", "lavfi", "-i", "sine",
                "-t", String.valueOf(seconds), "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency",
                "-g", "25", "-pix_fmt", "yuv420p", "-c:a", "aac", "-f", "mpegts", "-muxrate", "3000000", url);
    }

    /** Records {@code frames} video frames over SRT, then decodes the file and expects no error. */
    private Ffprobe play(String url, int frames, Path out) throws Exception {
        ExternalProcess.Result r = ExternalProcess.run(dir, 60, "ffmpeg", "-hide_banner", "-loglevel", "error",
                "-y", "-i", url, "-frames:v", String.valueOf(frames), "-c", "copy", "-f", "mpegts", out.toString());
        assertEquals(0, r.exitCode(), r.describe());
        ExternalProcess.Result decode = ExternalProcess.run(dir, 60, "ffmpeg", "-hide_banner", "-v", "error",
                "-i", out.toString(), "-f", "null", "-");
        assertEquals(0, decode.exitCode(), decode.describe());
        assertEquals("", decode.output().strip(), "decode errors: " + decode.describe());
        Ffprobe p = Ffprobe.of(dir, out);
        assertNotNull(p.stream("video"), p.toString());
        assertEquals("h264", p.stream("video").codec());
        assertEquals(320, p.stream("video").width());
        assertEquals(frames, p.packets("video").size(), p.toString());
        assertTrue(p.packets("video").get(0).keyframe(), "starts on a keyframe");
        assertTrue(p.timestampsIncrease());
        return p;
    }

    @Test
    void aes128PublishAndPlayWithKeyRefreshBothWays() throws Exception {
        StreamKey key = StreamKey.of("live", "enc128");
        try (ExternalProcess pub = publisher(srt + "?streamid=#!::r=live/enc128,m=publish&pkt_size=1316"
                + "&latency=200000&passphrase=" + SECRET + "&pbkeylen=16&kmrefreshrate=1000&kmpreannounce=200", 16)) {
            awaitLive(key, pub);
            // 250 frames are some hundreds of packets: several switches of our key at 100 packets per key.
            play(srt + "?streamid=#!::r=live/enc128,m=request&latency=200000&passphrase=" + SECRET, 250,
                    dir.resolve("play128.ts"));
            ExternalProcess.Result r = pub.await(40);
            assertEquals(0, r.exitCode(), r.describe());
        }
        SrtListener l = srtModule.listener();
        assertTrue(l.keysReceived() >= 3, "publisher's refreshed keys installed: " + l.keysReceived());
        assertTrue(l.keySwitches() >= 2, "player's key switches: " + l.keySwitches());
    }

    @Test
    void aes256PublishAndPlay() throws Exception {
        StreamKey key = StreamKey.of("live", "enc256");
        try (ExternalProcess pub = publisher(srt + "?streamid=#!::r=live/enc256,m=publish&pkt_size=1316"
                + "&latency=200000&passphrase=" + SECRET + "&pbkeylen=32", 10)) {
            awaitLive(key, pub);
            play(srt + "?streamid=#!::r=live/enc256,m=request&latency=200000&passphrase=" + SECRET
                    + "&pbkeylen=32", 50, dir.resolve("play256.ts"));
            ExternalProcess.Result r = pub.await(40);
            assertEquals(0, r.exitCode(), r.describe());
        }
    }

    @Test
    void wrongAndMissingPassphrasesAreRefusedAndACorrectPublisherGetsIn() throws Exception {
        String url = srt + "?streamid=#!::r=live/guarded,m=publish&pkt_size=1316&latency=200000";
        ExternalProcess.Result wrong = ExternalProcess.run(dir, 30, "ffmpeg", "-hide_banner", "-loglevel", "error",
                "-f", "lavfi", "-i", "testsrc=size=160x120:rate=25", "-t", "2", "-c:v", "libx264", "-f", "mpegts",
                url + "&passphrase=not-the-passphrase");
        assertNotEquals(0, wrong.exitCode(), wrong.describe());
        ExternalProcess.Result missing = ExternalProcess.run(dir, 30, "ffmpeg", "-hide_banner", "-loglevel", "error",
                "-f", "lavfi", "-i", "testsrc=size=160x120:rate=25", "-t", "2", "-c:v", "libx264", "-f", "mpegts", url);
        assertNotEquals(0, missing.exitCode(), missing.describe());
        assertTrue(srtModule.listener().rejectedHandshakes() >= 2, "rejections counted: "
                + srtModule.listener().rejectedHandshakes());
        assertEquals(null, server.hub().stream(StreamKey.of("live", "guarded")), "nothing was published");
        try (ExternalProcess pub = publisher(url + "&passphrase=" + SECRET, 6)) {
            awaitLive(StreamKey.of("live", "guarded"), pub);
            ExternalProcess.Result r = pub.await(40);
            assertEquals(0, r.exitCode(), r.describe());
        }
    }
}
