package io.livehub.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.MediaServer;
import io.livehub.event.HlsSegmentEvent;
import io.livehub.event.MediaServerListener;
import io.livehub.media.StreamKey;
import io.livehub.rtmp.RtmpModule;
import io.livehub.testing.Await;
import io.livehub.testing.ExternalProcess;
import io.livehub.testing.Ffprobe;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Plays HLS with ffmpeg: ffmpeg publishes H.264 + AAC over RTMP, another ffmpeg reads the
 * playlist over HTTP and copies 150 video frames (6 s) to a file that ffprobe checks; the
 * playlist, segment and 404 responses are checked with Java's HTTP client. Once with MPEG-TS
 * segments muxed on demand, once with fMP4 segments muxed always. Tagged {@code interop}.
 */
@Tag("interop")
class HlsInteropTest {

    @TempDir
    Path dir;

    private MediaServer server;
    private ExternalProcess publisher;
    private final List<HlsSegmentEvent> events = new CopyOnWriteArrayList<>();
    // Follows the 302 with which a new viewer's play session starts, as players do.
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NORMAL).build();

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
    void ffmpegReadsHlsOfAStreamPublishedOverRtmp(HlsSegmentFormat format) throws Exception {
        boolean ts = format == HlsSegmentFormat.TS;
        HlsConfig config = HlsConfig.builder().segmentFormat(format)
                .muxing(ts ? HlsMuxing.ON_DEMAND : HlsMuxing.ALWAYS).build();
        server = MediaServer.builder().httpPort(0)
                .module(RtmpModule.builder().host("127.0.0.1").port(0).build())
                .module(new HlsModule(config))
                .listener(new MediaServerListener() {
                    @Override
                    public void onHlsSegment(HlsSegmentEvent event) {
                        events.add(event);
                    }
                })
                .start();
        String rtmp = "rtmp://127.0.0.1:" + server.port("rtmp");
        String http = "http://127.0.0.1:" + server.port("http");

        HttpResponse<String> unknown = get(http + "/live/nobody.m3u8");
        assertEquals(404, unknown.statusCode(), "unknown streams get 404, not an empty playlist");

        publisher = ExternalProcess.start(dir, "ffmpeg", "-hide_banner", "-loglevel", "error", "-re",
                "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
                "-t", "40", "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency",
                "-g", "25", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "64k", "-f", "flv", rtmp + "/live/x");
        Await.live(server, StreamKey.of("live", "x"), 25);

        // The first request of an on-demand stream waits for its first segment.
        HttpResponse<String> playlist = get(http + "/live/x.m3u8");
        assertEquals(200, playlist.statusCode(), playlist.body());
        assertEquals("application/vnd.apple.mpegurl", playlist.headers().firstValue("content-type").orElse(""));
        assertEquals("max-age=1", playlist.headers().firstValue("cache-control").orElse(""));
        assertEquals("*", playlist.headers().firstValue("access-control-allow-origin").orElse(""));
        String text = playlist.body();
        // The URL of this viewer's play session, to which the first request was redirected.
        String session = playlist.uri().toString();
        assertTrue(session.contains("?hls_ctx="), session);
        assertTrue(text.startsWith("#EXTM3U\n#EXT-X-VERSION:" + (ts ? 3 : 7) + "\n#EXT-X-TARGETDURATION:2\n"), text);
        assertTrue(text.contains("#EXT-X-PROGRAM-DATE-TIME:"), text);
        // The playlist's URIs carry the viewer's play session (hls_ctx), which ffmpeg follows below.
        Matcher init = Pattern.compile("#EXT-X-MAP:URI=\"(x-init-\\d+\\.mp4)\\?hls_ctx=").matcher(text);
        assertTrue(ts != init.find(), text);
        Matcher m = Pattern.compile("(x-\\d+\\." + (ts ? "ts" : "m4s") + ")\\?hls_ctx=[0-9a-f]+\n").matcher(text);
        assertTrue(m.find(), text);

        HttpResponse<byte[]> segment = getBytes(http + "/live/" + m.group(1));
        assertEquals(200, segment.statusCode());
        assertEquals(ts ? "video/mp2t" : "video/iso.segment", segment.headers().firstValue("content-type").orElse(""));
        assertEquals("public, max-age=60, immutable", segment.headers().firstValue("cache-control").orElse(""));
        assertEquals("*", segment.headers().firstValue("access-control-allow-origin").orElse(""));
        assertTrue(segment.body().length > 1000);
        if (ts) {
            assertEquals(0x47, segment.body()[0] & 0xFF);
        } else {
            HttpResponse<byte[]> initSegment = getBytes(http + "/live/" + init.group(1));
            assertEquals(200, initSegment.statusCode());
            assertEquals("video/mp4", initSegment.headers().firstValue("content-type").orElse(""));
            assertEquals("ftyp", new String(initSegment.body(), 4, 4, java.nio.charset.StandardCharsets.US_ASCII));
        }
        assertEquals(404, get(http + "/live/x-999999." + (ts ? "ts" : "m4s")).statusCode());

        Path out = dir.resolve("hls-" + format + ".flv");
        ExternalProcess.Result read = ExternalProcess.run(dir, 60, "ffmpeg", "-hide_banner", "-loglevel", "error",
                "-y", "-i", http + "/live/x.m3u8", "-frames:v", "150", "-c", "copy", "-f", "flv", out.toString());
        assertEquals(0, read.exitCode(), read.describe());

        Ffprobe p = Ffprobe.of(dir, out);
        assertNotNull(p.stream("video"), p.toString());
        assertNotNull(p.stream("audio"), p.toString());
        assertEquals("h264", p.stream("video").codec());
        assertEquals("aac", p.stream("audio").codec());
        assertEquals(320, p.stream("video").width());
        assertEquals(240, p.stream("video").height());
        assertEquals(150, p.packets("video").size(), p.toString());
        // 6 s of AAC at 44.1 kHz is 258 frames. An fMP4 segment stores its video samples, then
        // its audio samples, so ffmpeg meets the 150th video frame before the last segment's audio.
        int audio = p.packets("audio").size();
        int expected = (ts ? 6 : 4) * 44100 / 1024 - 10;
        assertTrue(audio > expected, "audio packets: " + audio + ", expected more than " + expected);
        assertTrue(p.packets("video").get(0).keyframe(), "the first segment starts on a keyframe");
        assertTrue(p.timestampsIncrease(), "timestamps increase");

        assertTrue(events.size() >= 3, "segment events: " + events);
        HlsSegmentEvent e = events.get(0);
        assertEquals("/live/x.m3u8", e.m3u8Url());
        assertTrue(e.url().matches("/live/x-\\d+\\." + (ts ? "ts" : "m4s")), e.url());
        assertTrue(e.duration().toMillis() >= 1900 && e.duration().toMillis() <= 3100, e.toString());

        publisher.close();
        publisher = null;
        await(() -> {
            try {
                return get(session).body().endsWith("#EXT-X-ENDLIST\n");
            } catch (Exception ex) {
                return false;
            }
        }, 15);
    }

    /**
     * ffmpeg reads a low-latency playlist (it takes the segments and ignores the LL tags) and
     * every playlist fetched while it reads passes {@link PlaylistChecker}; a viewer following
     * the live edge with blocking reloads sees parts appear in order.
     */
    @ParameterizedTest
    @EnumSource(HlsSegmentFormat.class)
    void ffmpegReadsLowLatencyHls(HlsSegmentFormat format) throws Exception {
        server = MediaServer.builder().httpPort(0)
                .module(RtmpModule.builder().host("127.0.0.1").port(0).build())
                // Bare playlist URLs for the blocking reloads: sessions are the other tests' subject.
                .module(new HlsModule(HlsConfig.builder().segmentFormat(format).lowLatency(true).playSessions(false)
                        .build()))
                .start();
        String rtmp = "rtmp://127.0.0.1:" + server.port("rtmp");
        String http = "http://127.0.0.1:" + server.port("http");
        publisher = ExternalProcess.start(dir, "ffmpeg", "-hide_banner", "-loglevel", "error", "-re",
                "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
                "-t", "40", "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency",
                "-g", "25", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "64k", "-f", "flv", rtmp + "/live/ll");
        Await.live(server, StreamKey.of("live", "ll"), 25);

        // Follow the live edge with blocking reloads for the next part, checking every playlist.
        PlaylistChecker checker = new PlaylistChecker();
        PlaylistChecker.Playlist p = checker.check(get(http + "/live/ll.m3u8").body());
        for (int i = 0; i < 20; i++) {
            long msn = p.nextSequence();
            int part = p.trailingParts.size();
            HttpResponse<String> r = get(http + "/live/ll.m3u8?_HLS_msn=" + msn + "&_HLS_part=" + part);
            assertEquals(200, r.statusCode(), r.body());
            PlaylistChecker.Playlist next = checker.check(r.body());
            String wanted = "ll-" + msn + "." + part + (format == HlsSegmentFormat.TS ? ".ts" : ".m4s");
            assertTrue(next.partUris().contains(wanted) || next.nextSequence() > msn,
                    "the blocking reload for " + wanted + " holds it or a later segment\n" + r.body());
            p = next;
        }

        Path out = dir.resolve("ll.flv");
        ExternalProcess.Result read = ExternalProcess.run(dir, 60, "ffmpeg", "-hide_banner", "-loglevel", "error",
                "-y", "-i", http + "/live/ll.m3u8", "-frames:v", "100", "-c", "copy", "-f", "flv", out.toString());
        assertEquals(0, read.exitCode(), read.describe());
        Ffprobe probe = Ffprobe.of(dir, out);
        assertEquals("h264", probe.stream("video").codec());
        assertEquals("aac", probe.stream("audio").codec());
        assertEquals(100, probe.packets("video").size(), probe.toString());
        assertTrue(probe.packets("video").get(0).keyframe(), "the first segment starts on a keyframe");
        assertTrue(probe.timestampsIncrease(), "timestamps increase");
    }

    /**
     * An ffmpeg HLS player that reads for about 8 s is one viewer: its first playlist request is
     * redirected to the same URL with its query and {@code hls_ctx}, ffmpeg reloads that URL, so
     * the listener sees exactly one connect, play, stop and close with one client id, and the
     * management registry lists the viewer (protocol {@code hls}) while it plays.
     */
    @org.junit.jupiter.api.Test
    void anFfmpegPlayerIsOneSessionWithOnePlayAndOneStop() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        server = MediaServer.builder().httpPort(0)
                .module(RtmpModule.builder().host("127.0.0.1").port(0).build())
                .module(HlsModule.builder().config(HlsConfig.builder().playSessionTimeout(Duration.ofSeconds(5))
                        .build()).build())
                .listener(new MediaServerListener() {
                    @Override
                    public java.util.concurrent.CompletionStage<io.livehub.event.Decision> onConnect(
                            io.livehub.event.ConnectEvent e) {
                        if (e.client().protocol().equals("hls")) {
                            seen.add("connect " + e.client().clientId());
                        }
                        return java.util.concurrent.CompletableFuture.completedFuture(io.livehub.event.Decision.allow());
                    }

                    @Override
                    public java.util.concurrent.CompletionStage<io.livehub.event.Decision> onPlay(
                            io.livehub.event.PlayEvent e) {
                        seen.add("play " + e.client().clientId() + " token=" + e.params().get("token"));
                        return java.util.concurrent.CompletableFuture.completedFuture(io.livehub.event.Decision.allow());
                    }

                    @Override
                    public void onStop(io.livehub.event.StopEvent e) {
                        seen.add("stop " + e.client().clientId());
                    }

                    @Override
                    public void onClose(io.livehub.event.CloseEvent e) {
                        if (e.client().protocol().equals("hls")) {
                            seen.add("close " + e.client().clientId());
                        }
                    }
                })
                .start();
        String rtmp = "rtmp://127.0.0.1:" + server.port("rtmp");
        String http = "http://127.0.0.1:" + server.port("http");
        publisher = ExternalProcess.start(dir, "ffmpeg", "-hide_banner", "-loglevel", "error", "-re",
                "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
                "-t", "60", "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency",
                "-g", "25", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "64k", "-f", "flv", rtmp + "/live/one");
        Await.live(server, StreamKey.of("live", "one"), 25);
        ExternalProcess player = ExternalProcess.start(dir, "ffmpeg", "-hide_banner", "-loglevel", "error",
                "-i", http + "/live/one.m3u8?token=abc", "-t", "8", "-c", "copy", "-f", "null", "-");
        List<String> listed = new CopyOnWriteArrayList<>();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
        while (player.isAlive() && System.nanoTime() < end) {
            server.clients().list().forEach(c -> listed.add(c.protocol() + " " + c.id()));
            Thread.sleep(100);
        }
        ExternalProcess.Result result = player.await(5);
        assertEquals(0, result.exitCode(), result.describe());
        // The session idles out (5 s, more than a reload interval and the first-segment wait) after the player left.
        await(() -> seen.stream().anyMatch(l -> l.startsWith("close ")), 15);
        assertEquals(4, seen.size(), seen.toString());
        String id = seen.get(0).substring("connect ".length());
        assertEquals(List.of("connect " + id, "play " + id + " token=abc", "stop " + id, "close " + id), seen);
        assertTrue(listed.contains("hls " + id), "listed while it played: " + listed);
    }

    private HttpResponse<String> get(String url) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).header("Origin", "http://example.com")
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<byte[]> getBytes(String url) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).header("Origin", "http://example.com")
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static void await(BooleanSupplier cond, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!cond.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "condition not met in " + seconds + " s");
            Thread.sleep(50);
        }
    }
}
