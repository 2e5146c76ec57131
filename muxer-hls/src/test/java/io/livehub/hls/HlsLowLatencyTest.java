package io.livehub.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.MediaServer;
import io.livehub.hub.HubConfig;
import io.livehub.hub.Publication;
import io.livehub.media.StreamKey;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Low-Latency HLS over real HTTP with synthetic frames published straight into the hub: parts,
 * blocking playlist reload, the preload-hinted part, delta updates, the 400s of §6.2.5.2, HEAD
 * and 405; every playlist fetched (TS and fMP4, low-latency and not) goes through
 * {@link PlaylistChecker}.
 */
class HlsLowLatencyTest {

    private static final StreamKey KEY = StreamKey.of("live", "ll");

    private MediaServer server;
    private String http;
    private final HttpClient client = HttpClient.newHttpClient();
    private long publishedMs;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private Publication start(HlsConfig config) throws Exception {
        // Media is published faster than real time: the hub must not smooth it.
        server = MediaServer.builder().httpPort(0).hub(HubConfig.builder().timestampCorrection(false).build())
                .module(new HlsModule(config)).start();
        http = "http://127.0.0.1:" + server.port("http");
        Publication p = server.hub().publish(KEY, server.transport().workerGroup().next(), "test");
        await(() -> server.hub().stream(KEY).subscriberCount() == 1);
        return p;
    }

    /**
     * Publishes the next {@code ms} of media, then pauses a tenth of that, so that the muxer's
     * hub queue (1024 frames) does not overflow on a loaded machine with paranoid leak detection.
     */
    private void publish(Publication p, long ms) throws InterruptedException {
        SyntheticMedia.feed(publishedMs, publishedMs + ms, 0, SyntheticMedia.VIDEO, SyntheticMedia.AUDIO, p::publish);
        publishedMs += ms;
        Thread.sleep(ms / 10);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(http + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<byte[]> bytes(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(http + path)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    /**
     * Returns whether {@code playlist}, whose first listed segment is the muxer's {@code listed}th,
     * hints part {@code part} of the muxer's {@code segment}th segment.
     */
    private static boolean hints(String playlist, int listed, int segment, int part, String ext) {
        if (!playlist.contains("#EXT-X-MEDIA-SEQUENCE:")) {
            return false;
        }
        long first = HlsModuleTest.mediaSequence(playlist) - listed;
        return playlist.contains("#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"ll-" + (first + segment) + "." + part + ext
                + "\"\n");
    }

    private static HlsConfig.Builder ll(HlsSegmentFormat format) {
        // Play sessions (a 302 per new viewer) are HlsSessionTest's: here every fetch is a bare URL.
        return HlsConfig.builder().muxing(HlsMuxing.ALWAYS).segmentFormat(format).lowLatency(true).playSessions(false);
    }

    @ParameterizedTest
    @CsvSource({"FMP4", "TS"})
    void blockingReloadForTheNextPartReturnsWhenItExists(HlsSegmentFormat format) throws Exception {
        Publication pub = start(ll(format).build());
        publish(pub, 5000);
        // Frames up to 4.96 s: segments 0 and 1 and four parts of segment 2 (counted from the
        // muxer's first sequence) are complete.
        String ext = format == HlsSegmentFormat.FMP4 ? ".m4s" : ".ts";
        await(() -> hints(body("/live/ll.m3u8"), 0, 2, 4, ext));
        PlaylistChecker checker = new PlaylistChecker();
        PlaylistChecker.Playlist before = checker.check(get("/live/ll.m3u8").body());
        assertEquals(1, before.preloadHints.size(), before.text);
        String hinted = before.preloadHints.get(0).substring("PART ".length());
        assertFalse(before.partUris().contains(hinted), "the hinted part is not complete yet\n" + before.text);
        long msn = before.nextSequence();
        int part = before.trailingParts.size();
        assertEquals("ll-" + msn + "." + part + ext, hinted, before.text);

        CompletableFuture<HttpResponse<String>> blocked = client.sendAsync(HttpRequest.newBuilder(
                URI.create(http + "/live/ll.m3u8?_HLS_msn=" + msn + "&_HLS_part=" + part)).build(),
                HttpResponse.BodyHandlers.ofString());
        CompletableFuture<HttpResponse<byte[]>> hintedPart = client.sendAsync(HttpRequest.newBuilder(
                URI.create(http + "/live/" + hinted)).build(), HttpResponse.BodyHandlers.ofByteArray());
        // Another request round trip, so the server has seen the blocked ones; nothing was published since.
        assertEquals(before.text, get("/live/ll.m3u8").body());
        assertFalse(blocked.isDone(), "the blocking reload waits for the part");
        assertFalse(hintedPart.isDone(), "the hinted part is answered when it is complete");

        publish(pub, 1000);
        HttpResponse<String> r = blocked.get(20, TimeUnit.SECONDS);
        assertEquals(200, r.statusCode(), r.body());
        PlaylistChecker.Playlist after = checker.check(r.body());
        assertTrue(after.partUris().contains(hinted), "the response holds the part\n" + r.body());
        assertTrue(r.headers().firstValue("cache-control").orElse("").contains("max-age="));
        HttpResponse<byte[]> partBytes = hintedPart.get(20, TimeUnit.SECONDS);
        assertEquals(200, partBytes.statusCode());
        assertTrue(partBytes.body().length > 0);
        assertTrue(partBytes.headers().firstValue("cache-control").orElse("").contains("immutable"));
        // The part's bytes are those the segment starts with or continues with.
        pub.close();
    }

    @Test
    void playlistHasPartsServerControlAndDeltaUpdates() throws Exception {
        Publication pub = start(ll(HlsSegmentFormat.FMP4).build());
        PlaylistChecker checker = new PlaylistChecker();
        for (int i = 0; i < 40; i++) {
            publish(pub, 1000);
            if (i >= 4) {
                fetchAndCheck(checker, "/live/ll.m3u8");
                fetchAndCheck(checker, "/live/ll.m3u8?_HLS_skip=YES");
            }
        }
        // Frames up to 39.96 s: segments 0-18 and nine parts of segment 19 are complete; the
        // window lists 7-18.
        await(() -> hints(body("/live/ll.m3u8"), 7, 19, 9, ".m4s"));
        PlaylistChecker.Playlist full = checker.check(get("/live/ll.m3u8").body());
        String text = full.text;
        assertTrue(text.contains("#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,CAN-SKIP-UNTIL=12.000,PART-HOLD-BACK=0.600\n"),
                text);
        assertTrue(text.contains("#EXT-X-PART-INF:PART-TARGET=0.200\n"), text);
        assertEquals(12, full.segments.size(), "the low-latency window is 12 segments\n" + text);
        assertTrue(text.matches("(?s).*#EXT-X-PART:DURATION=0\\.2\\d*,URI=\"ll-\\d+\\.0\\.m4s\",INDEPENDENT=YES\n.*"),
                text);
        // The segments of the synthetic stream are 2 s (a keyframe every second): 10 parts of 0.2 s.
        PlaylistChecker.Segment lastSegment = full.segments.get(full.segments.size() - 1);
        assertEquals(10, lastSegment.parts.size(), text);
        assertTrue(full.segments.get(0).parts.isEmpty(), "old segments list no parts");

        PlaylistChecker.Playlist delta = checker.check(get("/live/ll.m3u8?_HLS_skip=YES").body());
        assertTrue(delta.skipped > 0, delta.text);
        assertTrue(delta.text.contains("#EXT-X-VERSION:9\n"), delta.text);
        assertEquals(full.nextSequence(), delta.nextSequence());
        PlaylistChecker.Playlist v2 = checker.check(get("/live/ll.m3u8?_HLS_skip=v2").body());
        assertTrue(v2.text.contains(",RECENTLY-REMOVED-DATERANGES=\"\"\n"), v2.text);

        // Parts of the listed segments and the segments themselves are served.
        String partUri = lastSegment.parts.get(3).uri();
        HttpResponse<byte[]> part = bytes("/live/" + partUri);
        assertEquals(200, part.statusCode());
        assertEquals("video/iso.segment", part.headers().firstValue("content-type").orElse(""));
        assertEquals(200, bytes("/live/" + lastSegment.uri).statusCode());

        // §6.2.5.2: _HLS_part without _HLS_msn, an msn too far ahead, malformed values.
        assertEquals(400, get("/live/ll.m3u8?_HLS_part=1").statusCode());
        assertEquals(400, get("/live/ll.m3u8?_HLS_msn=" + (full.nextSequence() + 5)).statusCode());
        assertEquals(400, get("/live/ll.m3u8?_HLS_msn=x").statusCode());
        assertEquals(400, get("/live/ll.m3u8?_HLS_skip=NO").statusCode());
        // An msn already there is answered at once.
        HttpResponse<String> old = get("/live/ll.m3u8?_HLS_msn=" + (full.nextSequence() - 2) + "&_HLS_part=0");
        assertEquals(200, old.statusCode());
        checker.check(old.body());

        pub.close();
        await(() -> {
            try {
                return get("/live/ll.m3u8").body().endsWith("#EXT-X-ENDLIST\n");
            } catch (Exception e) {
                return false;
            }
        });
        PlaylistChecker.Playlist ended = checker.check(get("/live/ll.m3u8").body());
        assertTrue(ended.preloadHints.isEmpty());
        // A blocking request on an ended stream is answered at once.
        assertEquals(200, get("/live/ll.m3u8?_HLS_msn=" + (ended.nextSequence() + 1)).statusCode());
    }

    @Test
    void blockingReloadTimesOutWith503() throws Exception {
        Publication pub = start(ll(HlsSegmentFormat.FMP4).targetDuration(Duration.ofSeconds(1)).build());
        publish(pub, 4000);
        await(() -> ok("/live/ll.m3u8"));
        PlaylistChecker.Playlist p = PlaylistChecker.parse(get("/live/ll.m3u8").body());
        // Nothing more is published: the next segment never comes.
        HttpResponse<String> r = get("/live/ll.m3u8?_HLS_msn=" + (p.nextSequence() + 1));
        assertEquals(503, r.statusCode(), r.body());
        pub.close();
    }

    @ParameterizedTest
    @CsvSource({"TS,false", "FMP4,false", "TS,true", "FMP4,true"})
    void livePlaylistsFollowTheRulesOverTime(HlsSegmentFormat format, boolean lowLatency) throws Exception {
        Publication pub = start(HlsConfig.builder().muxing(HlsMuxing.ALWAYS).segmentFormat(format)
                .lowLatency(lowLatency).playSessions(false).build());
        PlaylistChecker checker = new PlaylistChecker();
        // 24 s, a new publisher from time 0 (a discontinuity) and 12 s more, checked every 400 ms of media.
        for (int i = 0; i < 90; i++) {
            if (i == 60) {
                pub.close();
                await(() -> !server.hub().stream(KEY).isPublishing());
                pub = server.hub().publish(KEY, server.transport().workerGroup().next(), "test-2");
                publishedMs = 0;
            }
            publish(pub, 400);
            if (i > 10) {
                fetchAndCheck(checker, "/live/ll.m3u8");
                if (lowLatency) {
                    fetchAndCheck(checker, "/live/ll.m3u8?_HLS_skip=YES");
                }
            }
        }
        await(() -> body("/live/ll.m3u8").contains("#EXT-X-DISCONTINUITY\n"));
        checker.check(get("/live/ll.m3u8").body());
        assertTrue(checker.checked() > 70);
        HttpResponse<String> head = client.send(HttpRequest.newBuilder(URI.create(http + "/live/ll.m3u8"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, head.statusCode());
        assertEquals("", head.body());
        assertTrue(head.headers().firstValueAsLong("content-length").orElse(0) > 0);
        pub.close();
    }

    @Test
    void headGivesTheHeadersWithoutABodyAndOtherMethodsGet405() throws Exception {
        Publication pub = start(HlsConfig.builder().muxing(HlsMuxing.ALWAYS).playSessions(false).build());
        publish(pub, 6000);
        await(() -> ok("/live/ll.m3u8"));
        long first = HlsModuleTest.mediaSequence(body("/live/ll.m3u8"));
        for (String path : List.of("/live/ll.m3u8", "/live/ll-" + first + ".ts", "/live/ll/index.m3u8")) {
            HttpResponse<byte[]> get = bytes(path);
            HttpResponse<byte[]> head = client.send(HttpRequest.newBuilder(URI.create(http + path))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, head.statusCode(), path);
            assertEquals(0, head.body().length, path);
            assertEquals(get.headers().firstValue("content-type"), head.headers().firstValue("content-type"), path);
            assertEquals(get.headers().firstValue("cache-control"), head.headers().firstValue("cache-control"), path);
            assertEquals(String.valueOf(get.body().length), head.headers().firstValue("content-length").orElse(""),
                    path);
            // The connection still works after a HEAD response.
            assertEquals(200, bytes(path).statusCode());
            HttpResponse<String> post = client.send(HttpRequest.newBuilder(URI.create(http + path))
                    .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(405, post.statusCode(), path);
            assertEquals("GET, HEAD", post.headers().firstValue("allow").orElse(""));
        }
        pub.close();
    }

    private void fetchAndCheck(PlaylistChecker checker, String path) throws Exception {
        HttpResponse<String> r = get(path);
        if (r.statusCode() == 404) {
            return; // no complete segment yet
        }
        assertEquals(200, r.statusCode(), r.body());
        assertNotNull(checker.check(r.body()));
    }

    private String body(String path) {
        try {
            return get(path).body();
        } catch (Exception e) {
            return "";
        }
    }

    private boolean ok(String path) {
        try {
            return get(path).statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    private static void await(BooleanSupplier cond) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!cond.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "condition not met in 20 s");
            Thread.sleep(20);
        }
    }
}
