package io.livehub.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.MediaServer;
import io.livehub.event.CloseEvent;
import io.livehub.event.ConnectEvent;
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
 * {@code onConnect} and {@code onPlay} with the query parameters and is redirected to the same
 * URL with the session added, the playlist's URIs carry the session, later requests of the
 * session are not asked again, the viewer is a listed client while it plays, and {@code onStop}
 * then {@code onClose} fire when the session idles out. The session limits refuse what would
 * grow memory: long queries and hosts, too many sessions per address or per second, a used-up
 * budget.
 */
class HlsSessionTest {

    private static final StreamKey KEY = StreamKey.of("live", "s");
    private static final Pattern CTX = Pattern.compile("hls_ctx=([0-9a-f]+)");

    private MediaServer server;
    private String http;
    private final HttpClient client = HttpClient.newHttpClient();
    private final List<PlayEvent> plays = new CopyOnWriteArrayList<>();
    private final List<StopEvent> stops = new CopyOnWriteArrayList<>();
    private final List<String> sequence = new CopyOnWriteArrayList<>();

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
                    public CompletionStage<Decision> onConnect(ConnectEvent event) {
                        sequence.add("connect " + event.client().clientId() + " " + event.client().tcUrl() + " "
                                + event.client().pageUrl());
                        return CompletableFuture.completedFuture(Decision.allow());
                    }

                    @Override
                    public CompletionStage<Decision> onPlay(PlayEvent event) {
                        sequence.add("play " + event.client().clientId());
                        plays.add(event);
                        boolean ok = "s3cret".equals(event.params().get("secret"));
                        return CompletableFuture.completedFuture(ok ? Decision.allow() : Decision.deny("bad secret"));
                    }

                    @Override
                    public void onStop(StopEvent event) {
                        sequence.add("stop " + event.client().clientId());
                        stops.add(event);
                    }

                    @Override
                    public void onClose(CloseEvent event) {
                        sequence.add("close " + event.client().clientId());
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

    /** Asks for a playlist as a new viewer and follows the 302 to the session's URL; returns the playlist. */
    private HttpResponse<String> play(String path) throws Exception {
        HttpResponse<String> r = get(path);
        assertEquals(302, r.statusCode(), r.body());
        String location = r.headers().firstValue("location").orElseThrow();
        assertEquals("no-store", r.headers().firstValue("cache-control").orElse(""));
        return get(location);
    }

    @Test
    void playIsDecidedOnceAndTheSessionStopsWhenIdle() throws Exception {
        Publication p = start(HlsConfig.builder().muxing(HlsMuxing.ALWAYS).playSessionTimeout(Duration.ofSeconds(1))
                .build());
        SyntheticMedia.feed(0, 6000, 0, SyntheticMedia.VIDEO, SyntheticMedia.AUDIO, p::publish);

        HttpResponse<String> denied = get("/live/s.m3u8?secret=wrong");
        assertEquals(403, denied.statusCode(), denied.body());
        assertEquals(1, plays.size());
        await(() -> sequence.size() == 3);
        assertEquals(0, server.clients().size(), "a denied viewer keeps nothing");

        HttpResponse<String> redirect = client.send(HttpRequest.newBuilder(URI.create(http
                + "/live/s.m3u8?secret=s3cret&x=1")).header("Referer", "http://page.example/watch").build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(302, redirect.statusCode(), redirect.body());
        String location = redirect.headers().firstValue("location").orElseThrow();
        Matcher lm = Pattern.compile("/live/s\\.m3u8\\?secret=s3cret&x=1&hls_ctx=([0-9a-f]{24})").matcher(location);
        assertTrue(lm.matches(), "the viewer's query plus hls_ctx: " + location);
        String ctx = lm.group(1);
        assertEquals(2, plays.size());
        PlayEvent play = plays.get(1);
        assertEquals("s3cret", play.params().get("secret"));
        assertEquals("hls", play.client().protocol());
        assertEquals(1, server.clients().size(), "the viewer is listed while it plays");
        assertEquals("hls", server.clients().list().iterator().next().protocol());
        assertEquals(play.client().clientId(), server.clients().list().iterator().next().id());

        HttpResponse<String> first = get(location);
        assertEquals(200, first.statusCode(), first.body());
        // Every segment URI carries the session.
        for (String line : first.body().split("\n")) {
            if (!line.isEmpty() && !line.startsWith("#")) {
                assertTrue(line.endsWith("?hls_ctx=" + ctx), line);
            }
        }
        String segment = first.body().lines().filter(l -> l.startsWith("s-")).findFirst().orElseThrow();
        // The viewer's next requests are not asked again.
        for (int i = 0; i < 3; i++) {
            assertEquals(200, get(location).statusCode());
            assertEquals(200, get("/live/" + segment).statusCode());
        }
        assertEquals(2, plays.size());
        assertTrue(stops.isEmpty());
        assertTrue(server.clients().list().iterator().next().bytesOut() > 0, "bytes sent are counted");

        // Idle: onStop then onClose with the allowed viewer's client and parameters.
        await(() -> !stops.isEmpty() && sequence.size() == 7);
        StopEvent stop = stops.get(0);
        String id = play.client().clientId();
        assertEquals(id, stop.client().clientId());
        assertEquals("s3cret", stop.params().get("secret"));
        assertEquals(List.of("connect " + id + " http://127.0.0.1:" + server.port("http") + "/live http://page.example/watch",
                "play " + id, "stop " + id, "close " + id), sequence.subList(3, 7));
        assertEquals(0, server.clients().size());
        // An expired session is a new viewer: asked again.
        assertEquals(403, get("/live/s.m3u8?hls_ctx=" + ctx).statusCode());
        // A player that keeps reloading its old URL (ffmpeg does) gets its id again, without a
        // redirect: one new session, not one per reload.
        HttpResponse<String> again = get(location);
        assertEquals(200, again.statusCode(), again.body());
        assertTrue(again.body().contains("?hls_ctx=" + ctx + "\n"), again.body());
        assertEquals(200, get(location).statusCode());
        assertEquals(4, plays.size(), "asked once more for the old URL, then known");
        assertEquals(1, server.clients().size());
        assertTrue(!server.clients().list().iterator().next().id().equals(id), "a new client id");
        p.close();
    }

    @Test
    void limitsRefuseWhatWouldGrowMemory() throws Exception {
        Publication p = start(HlsConfig.builder().muxing(HlsMuxing.ALWAYS).sessionLimits(HlsSessionLimits.builder()
                .maxSessionsPerAddress(3).newSessionsPerSecondPerAddress(100).maxRefererLength(16).build()).build());
        SyntheticMedia.feed(0, 6000, 0, SyntheticMedia.VIDEO, SyntheticMedia.AUDIO, p::publish);

        HttpResponse<String> longQuery = get("/live/s.m3u8?secret=s3cret&pad=" + "x".repeat(1100));
        assertEquals(400, longQuery.statusCode(), longQuery.body());
        HttpResponse<String> longHost = client.send(HttpRequest.newBuilder(URI.create(http + "/live/s.m3u8?secret=s3cret"))
                .header("Referer", "http://page.example/" + "r".repeat(5000)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(302, longHost.statusCode(), "a long Referer is cut, not refused");
        assertEquals("http://page.exam", server.clients().list().iterator().next().info().pageUrl());
        assertTrue(plays.isEmpty() || plays.size() == 1, "nothing was asked for the refused request");

        assertEquals(302, get("/live/s.m3u8?secret=s3cret").statusCode());
        assertEquals(302, get("/live/s.m3u8?secret=s3cret").statusCode());
        HttpResponse<String> tooMany = get("/live/s.m3u8?secret=s3cret");
        assertEquals(429, tooMany.statusCode(), tooMany.body());
        assertTrue(tooMany.headers().firstValue("retry-after").isPresent());
        assertEquals(3, server.clients().size());
        assertEquals(3, plays.size(), "a refused viewer is not asked");
        HlsModule module = (HlsModule) server.modules().get(0);
        assertEquals(2, module.refusedViewers(), "the 400 and the 429 are counted");
        assertEquals(3, module.viewerCount());
        p.close();
    }

    @Test
    void theBudgetAndTheRateBoundSessionsOfEveryAddress() {
        HlsSessionLimits d = HlsSessionLimits.defaults();
        assertTrue(d.sessionBytes() > 2L * (d.maxQueryLength() + d.maxHostLength() + d.maxRefererLength()));
        assertEquals(d.memoryBudget() / d.sessionBytes(), d.maxSessions());
        assertTrue(d.maxSessions() * d.sessionBytes() <= 128L << 20);
        HlsSessionLimits tiny = HlsSessionLimits.builder().memoryBudget(1 << 20).build();
        assertEquals((1 << 20) / tiny.sessionBytes(), tiny.maxSessions());
    }

    @Test
    void aHostHeaderOverItsLimitIsRefused() throws Exception {
        Publication p = start(HlsConfig.builder().muxing(HlsMuxing.ALWAYS).sessionLimits(HlsSessionLimits.builder()
                .maxHostLength(32).build()).build());
        SyntheticMedia.feed(0, 6000, 0, SyntheticMedia.VIDEO, SyntheticMedia.AUDIO, p::publish);
        int port = server.port("http");
        String longHost = RawHttp.get(port, "/live/s.m3u8?secret=s3cret", "h".repeat(40) + ".example:" + port);
        assertTrue(longHost.startsWith("HTTP/1.1 400"), longHost);
        assertTrue(longHost.toLowerCase(java.util.Locale.ROOT).contains("cache-control: no-store"), longHost);
        String ok = RawHttp.get(port, "/live/s.m3u8?secret=s3cret", "127.0.0.1:" + port);
        assertTrue(ok.startsWith("HTTP/1.1 302"), ok);
        assertEquals(1, plays.size(), "the refused request was not asked");
        p.close();
    }

    @Test
    void lowLatencyPartsHintsAndMultivariantCarryTheSession() throws Exception {
        Publication p = start(HlsConfig.builder().muxing(HlsMuxing.ALWAYS).segmentFormat(HlsSegmentFormat.FMP4)
                .lowLatency(true).build());
        SyntheticMedia.feed(0, 5000, 0, SyntheticMedia.VIDEO, SyntheticMedia.AUDIO, p::publish);
        String watching = get("/live/s.m3u8?secret=s3cret").headers().firstValue("location").orElseThrow();
        await(() -> {
            try {
                String body = get(watching).body();
                return body.contains("s-" + (HlsModuleTest.mediaSequence(body) + 1) + ".m4s");
            } catch (Exception e) {
                return false;
            }
        });
        HttpResponse<String> multivariant = play("/live/s/index.m3u8?secret=s3cret");
        Matcher m = CTX.matcher(multivariant.body());
        assertTrue(m.find(), multivariant.body());
        String ctx = m.group(1);
        assertTrue(multivariant.body().contains("../s.m3u8?hls_ctx=" + ctx + "\n"), multivariant.body());
        String media = get("/live/s.m3u8?hls_ctx=" + ctx).body();
        long seq0 = HlsModuleTest.mediaSequence(media);
        assertTrue(media.contains("#EXT-X-MAP:URI=\"s-init-" + seq0 + ".mp4?hls_ctx=" + ctx + "\""), media);
        assertTrue(media.matches("(?s).*#EXT-X-PART:DURATION=[0-9.]+,URI=\"s-" + (seq0 + 1) + "\\.0\\.m4s\\?hls_ctx="
                + ctx + "\",INDEPENDENT=YES\n.*"), media);
        assertTrue(media.contains("#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"s-" + (seq0 + 2) + ".4.m4s?hls_ctx=" + ctx
                + "\"\n"), media);
        PlaylistChecker.Playlist parsed = new PlaylistChecker().check(media);
        assertNotNull(parsed);
        assertEquals(200, get("/live/s-init-" + seq0 + ".mp4?hls_ctx=" + ctx).statusCode());
        assertEquals(200, get("/live/s-" + (seq0 + 1) + ".0.m4s?hls_ctx=" + ctx).statusCode());
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
