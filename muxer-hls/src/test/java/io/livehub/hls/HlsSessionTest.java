package io.livehub.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.MediaServer;
import io.livehub.event.Decision;
import io.livehub.event.MediaServerListener;
import io.livehub.event.PlayEvent;
import io.livehub.event.StopEvent;
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
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Play sessions of HLS viewers (SRS's {@code hls_ctx}): the first playlist request asks
 * {@code onPlay} with the query parameters, the playlist's URIs carry the session, later requests
 * of the session are not asked again, and {@code onStop} fires when the session idles out.
 */
class HlsSessionTest {

    private static final StreamKey KEY = StreamKey.of("live", "s");
    private static final Pattern CTX = Pattern.compile("hls_ctx=([0-9a-f]+)");

    private MediaServer server;
    private String http;
    private final HttpClient client = HttpClient.newHttpClient();
    private final List<PlayEvent> plays = new CopyOnWriteArrayList<>();
    private final List<StopEvent> stops = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private Publication start(HlsConfig config) throws Exception {
        server = MediaServer.builder().httpPort(0).hub(HubConfig.builder().timestampCorrection(false).build())
                .module(new HlsModule(config))
                .listener(new MediaServerListener() {
                    @Override
                    public CompletionStage<Decision> onPlay(PlayEvent event) {
                        plays.add(event);
                        boolean ok = "s3cret".equals(event.params().get("secret"));
                        return CompletableFuture.completedFuture(ok ? Decision.allow() : Decision.deny("bad secret"));
                    }

                    @Override
                    public void onStop(StopEvent event) {
                        stops.add(event);
                    }
                })
                .start();
        http = "http://127.0.0.1:" + server.port("http");
        Publication p = server.hub().publish(KEY, server.transport().workerGroup().next(), "pub");
        // The muxer (muxing always) subscribes before any frame is published.
        await(() -> server.hub().stream(KEY).subscriberCount() == 1);
        return p;
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(http + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void playIsDecidedOnceAndTheSessionStopsWhenIdle() throws Exception {
        Publication p = start(HlsConfig.builder().muxing(HlsMuxing.ALWAYS).playSessionTimeout(Duration.ofSeconds(1))
                .build());
        SyntheticMedia.feed(0, 6000, 0, SyntheticMedia.VIDEO, SyntheticMedia.AUDIO, p::publish);

        HttpResponse<String> denied = get("/live/s.m3u8?secret=wrong");
        assertEquals(403, denied.statusCode(), denied.body());
        assertEquals(1, plays.size());

        HttpResponse<String> first = get("/live/s.m3u8?secret=s3cret");
        assertEquals(200, first.statusCode(), first.body());
        assertEquals(2, plays.size());
        PlayEvent play = plays.get(1);
        assertEquals("s3cret", play.params().get("secret"));
        assertEquals("hls", play.client().protocol());
        Matcher m = CTX.matcher(first.body());
        assertTrue(m.find(), first.body());
        String ctx = m.group(1);
        // Every segment URI carries the session.
        for (String line : first.body().split("\n")) {
            if (!line.isEmpty() && !line.startsWith("#")) {
                assertTrue(line.endsWith("?hls_ctx=" + ctx), line);
            }
        }
        String segment = first.body().lines().filter(l -> l.startsWith("s-")).findFirst().orElseThrow();
        // The viewer's next requests are not asked again.
        for (int i = 0; i < 3; i++) {
            assertEquals(200, get("/live/s.m3u8?hls_ctx=" + ctx).statusCode());
            assertEquals(200, get("/live/" + segment).statusCode());
        }
        assertEquals(2, plays.size());
        assertTrue(stops.isEmpty());

        // Idle: onStop with the allowed viewer's client and parameters.
        await(() -> !stops.isEmpty());
        StopEvent stop = stops.get(0);
        assertEquals(play.client().clientId(), stop.client().clientId());
        assertEquals("s3cret", stop.params().get("secret"));
        // An expired session is a new viewer: asked again.
        assertEquals(403, get("/live/s.m3u8?hls_ctx=" + ctx).statusCode());
        p.close();
    }

    @Test
    void lowLatencyPartsHintsAndMultivariantCarryTheSession() throws Exception {
        Publication p = start(HlsConfig.builder().muxing(HlsMuxing.ALWAYS).segmentFormat(HlsSegmentFormat.FMP4)
                .lowLatency(true).build());
        SyntheticMedia.feed(0, 5000, 0, SyntheticMedia.VIDEO, SyntheticMedia.AUDIO, p::publish);
        await(() -> {
            try {
                return get("/live/s.m3u8?secret=s3cret").body().contains("s-1.m4s");
            } catch (Exception e) {
                return false;
            }
        });
        HttpResponse<String> multivariant = get("/live/s/index.m3u8?secret=s3cret");
        Matcher m = CTX.matcher(multivariant.body());
        assertTrue(m.find(), multivariant.body());
        String ctx = m.group(1);
        assertTrue(multivariant.body().contains("../s.m3u8?hls_ctx=" + ctx + "\n"), multivariant.body());
        String media = get("/live/s.m3u8?hls_ctx=" + ctx).body();
        assertTrue(media.contains("#EXT-X-MAP:URI=\"s-init.mp4?hls_ctx=" + ctx + "\""), media);
        assertTrue(media.matches("(?s).*#EXT-X-PART:DURATION=[0-9.]+,URI=\"s-1\\.0\\.m4s\\?hls_ctx=" + ctx
                + "\",INDEPENDENT=YES\n.*"), media);
        assertTrue(media.contains("#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"s-2.4.m4s?hls_ctx=" + ctx + "\"\n"), media);
        PlaylistChecker.Playlist parsed = new PlaylistChecker().check(media);
        assertNotNull(parsed);
        assertEquals(200, get("/live/s-init.mp4?hls_ctx=" + ctx).statusCode());
        assertEquals(200, get("/live/s-1.0.m4s?hls_ctx=" + ctx).statusCode());
        p.close();
    }

    private static void await(BooleanSupplier cond) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!cond.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "condition not met in 20 s");
            Thread.sleep(20);
        }
    }
}
