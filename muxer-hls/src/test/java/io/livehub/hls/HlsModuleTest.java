package io.livehub.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.MediaServer;
import io.livehub.event.HlsSegmentEvent;
import io.livehub.event.MediaServerListener;
import io.livehub.hub.LiveStream;
import io.livehub.hub.Publication;
import io.livehub.media.StreamKey;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Serves HLS of streams published straight into the hub with synthetic frames, over real HTTP:
 * 404s, the wait for the first segment, headers, ENDLIST, release after the retention time and
 * when idle, segment events, and no leaked buffer at stop (the leak detector runs paranoid).
 */
class HlsModuleTest {

    private static final StreamKey KEY = StreamKey.of("live", "a");

    private MediaServer server;
    private String http;
    // Follows the 302 with which a new viewer's play session starts.
    private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
    private final List<HlsSegmentEvent> events = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private void start(HlsConfig config) throws Exception {
        server = MediaServer.builder().httpPort(0)
                .module(new HlsModule(config))
                .listener(new MediaServerListener() {
                    @Override
                    public void onHlsSegment(HlsSegmentEvent event) {
                        events.add(event);
                    }
                })
                .start();
        http = "http://127.0.0.1:" + server.port("http");
    }

    /** Publishes media from {@code fromMs} to {@code toMs} in one-second tasks, a little faster than real time. */
    private static void publish(Publication p, long fromMs, long toMs) throws InterruptedException {
        for (long t = fromMs; t < toMs; t += 1000) {
            SyntheticMedia.feed(t, Math.min(t + 1000, toMs), 0, SyntheticMedia.VIDEO, SyntheticMedia.AUDIO, p::publish);
            Thread.sleep(30);
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(http + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void onDemandPlaylistWaitsForTheFirstSegmentEndsAndIsReleased() throws Exception {
        start(HlsConfig.builder().endedRetention(Duration.ofSeconds(1)).playSessions(false).build());
        assertEquals(404, get("/live/a.m3u8").statusCode());
        assertEquals(400, get("/bad.m3u8").statusCode(), "no app in the path");

        Publication p = server.hub().publish(KEY, server.transport().workerGroup().next(), "test");
        publish(p, 0, 2000);
        await(() -> server.hub().stream(KEY).framesIn() > 50);
        CompletableFuture<HttpResponse<String>> first = client.sendAsync(
                HttpRequest.newBuilder(URI.create(http + "/live/a.m3u8")).build(), HttpResponse.BodyHandlers.ofString());
        await(() -> server.hub().stream(KEY).subscriberCount() == 1);
        assertFalse(first.isDone(), "no segment yet");
        publish(p, 2000, 8000);
        HttpResponse<String> r = first.get(10, TimeUnit.SECONDS);
        assertEquals(200, r.statusCode(), r.body());
        long seq0 = mediaSequence(r.body());
        assertTrue(r.body().startsWith("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:"
                + seq0 + "\n"), r.body());
        assertTrue(seq0 > 1_000_000_000L, "the sequence starts at the clock (tenths of a second since 2020)");
        // The muxer started at the cached keyframe of second 1: segments 1-3 s, 3-5 s, ...
        assertTrue(r.body().contains("#EXTINF:2.000,\na-" + seq0 + ".ts\n"), r.body());

        HttpResponse<String> multivariant = get("/live/a/index.m3u8");
        assertEquals(200, multivariant.statusCode(), multivariant.body());
        assertEquals("application/vnd.apple.mpegurl", multivariant.headers().firstValue("content-type").orElse(""));
        assertTrue(multivariant.body().matches("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=\\d+,AVERAGE-BANDWIDTH=\\d+,"
                + "CODECS=\"avc1\\.[0-9a-f]{6},mp4a\\.40\\.2\",RESOLUTION=\\d+x\\d+\n\\.\\./a\\.m3u8\n"),
                multivariant.body());

        HttpResponse<String> seg = get("/live/a-" + seq0 + ".ts");
        assertEquals(200, seg.statusCode());
        assertEquals("video/mp2t", seg.headers().firstValue("content-type").orElse(""));
        assertEquals("*", seg.headers().firstValue("access-control-allow-origin").orElse(""));
        assertEquals(404, get("/live/a-77.ts").statusCode());
        assertEquals(404, get("/live/a-init.mp4").statusCode(), "no fMP4 names in TS mode");

        p.close();
        await(() -> {
            try {
                return get("/live/a.m3u8").body().endsWith("#EXT-X-ENDLIST\n");
            } catch (Exception e) {
                return false;
            }
        });
        // Released after the retention time: the playlist and its segments are gone.
        await(() -> {
            try {
                return get("/live/a-" + seq0 + ".ts").statusCode() == 404;
            } catch (Exception e) {
                return false;
            }
        });
        assertEquals(404, get("/live/a.m3u8").statusCode());
        await(() -> server.hub().stream(KEY) == null);
    }

    @Test
    void alwaysMuxesWithoutRequestsAndReportsSegments() throws Exception {
        start(HlsConfig.builder().muxing(HlsMuxing.ALWAYS).segmentFormat(HlsSegmentFormat.FMP4).playSessions(false)
                .build());
        Publication p = server.hub().publish(KEY, server.transport().workerGroup().next(), "pub-1");
        await(() -> server.hub().stream(KEY).subscriberCount() == 1);
        publish(p, 0, 9000);
        await(() -> events.size() >= 3);
        HlsSegmentEvent e = events.get(0);
        long first = e.seqNo();
        assertEquals("/live/a-" + first + ".m4s", e.url());
        assertEquals("/live/a.m3u8", e.m3u8Url());
        assertEquals(Duration.ofSeconds(2), e.duration());
        assertEquals("pub-1", e.clientId());

        HttpResponse<String> r = get("/live/a.m3u8");
        assertTrue(r.body().contains("#EXT-X-MAP:URI=\"a-init-" + first + ".mp4\"\n"), r.body());
        assertEquals(200, get("/live/a-init-" + first + ".mp4").statusCode());
        HttpResponse<String> seg = get("/live/a-" + (first + 1) + ".m4s");
        assertEquals("video/iso.segment", seg.headers().firstValue("content-type").orElse(""));
        p.close();
        // Stopping the server with segments in memory releases them (checked by the leak detector).
    }

    @Test
    void onDemandMuxerIsReleasedWhenIdle() throws Exception {
        start(HlsConfig.builder().idleTimeout(Duration.ofSeconds(1)).build());
        Publication p = server.hub().publish(KEY, server.transport().workerGroup().next(), "test");
        publish(p, 0, 1000);
        CompletableFuture<HttpResponse<String>> first = client.sendAsync(
                HttpRequest.newBuilder(URI.create(http + "/live/a.m3u8")).build(), HttpResponse.BodyHandlers.ofString());
        // The request starts the muxer; frames published before it subscribes would not reach it.
        LiveStream live = server.hub().stream(KEY);
        await(() -> live.subscriberCount() == 1);
        publish(p, 1000, 5000);
        assertEquals(200, first.get(10, TimeUnit.SECONDS).statusCode());
        await(() -> live.subscriberCount() == 0);
        p.close();
    }

    @Test
    void aNewPublishAfterTheMuxerWasReleasedNeverReusesASegmentName() throws Exception {
        start(HlsConfig.builder().muxing(HlsMuxing.ALWAYS).segmentFormat(HlsSegmentFormat.FMP4)
                .endedRetention(Duration.ofSeconds(1)).playSessions(false).build());
        Publication p = server.hub().publish(KEY, server.transport().workerGroup().next(), "pub-1");
        await(() -> server.hub().stream(KEY).subscriberCount() == 1);
        publish(p, 0, 7000);
        await(() -> events.size() >= 2);
        p.close();
        // The muxer is released after the retention time; the hub then forgets the stream.
        await(() -> server.hub().stream(KEY) == null);
        List<String> firstUrls = events.stream().map(HlsSegmentEvent::url).toList();
        long firstLast = events.get(events.size() - 1).seqNo();
        events.clear();

        Publication again = server.hub().publish(KEY, server.transport().workerGroup().next(), "pub-2");
        await(() -> server.hub().stream(KEY).subscriberCount() == 1);
        publish(again, 0, 7000);
        await(() -> events.size() >= 2);
        for (HlsSegmentEvent e : events) {
            assertFalse(firstUrls.contains(e.url()), e.url() + " was a segment of the first publish " + firstUrls);
            assertTrue(e.seqNo() > firstLast, "the sequence goes on: " + e.seqNo() + " after " + firstLast);
        }
        String text = get("/live/a.m3u8").body();
        Matcher init = Pattern.compile("#EXT-X-MAP:URI=\"(a-init-\\d+\\.mp4)\"").matcher(text);
        assertTrue(init.find(), text);
        assertFalse(firstUrls.stream().anyMatch(u -> u.endsWith(init.group(1))));
        again.close();
    }

    /** Returns the {@code EXT-X-MEDIA-SEQUENCE} of a playlist. */
    static long mediaSequence(String playlist) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("#EXT-X-MEDIA-SEQUENCE:(\\d+)\n").matcher(playlist);
        assertTrue(m.find(), playlist);
        return Long.parseLong(m.group(1));
    }

    private static void await(BooleanSupplier cond) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!cond.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "condition not met in 10 s");
            Thread.sleep(20);
        }
    }
}
