package io.livehub.hooks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.event.Decision;
import io.livehub.hooks.HookReceiver.Answer;
import io.livehub.hooks.HookReceiver.Request;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drives {@link HttpHooks} with events against a real HTTP server on loopback: decisions with
 * several URLs, slow, dead and HTTPS hook servers, retries, ordering and the queue's bound.
 */
class HttpHooksTest {

    @TempDir
    Path dir;

    private final List<AutoCloseable> closeLater = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closeLater.size() - 1; i >= 0; i--) {
            closeLater.get(i).close();
        }
    }

    private <T extends AutoCloseable> T later(T c) {
        closeLater.add(c);
        return c;
    }

    private HookReceiver receiver() throws Exception {
        return later(HookReceiver.start(0));
    }

    private HttpHooks hooks(HttpHooksConfig.Builder b) {
        return later(new HttpHooks(b.build()));
    }

    /** Returns a loopback port nothing listens on. */
    private static int deadPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static Decision await(CompletionStage<Decision> stage) throws Exception {
        return stage.toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    private static final RetryPolicy FAST_RETRY =
            new RetryPolicy(50, Duration.ofMillis(50), Duration.ofMillis(200), 0.5);

    @Test
    void decisionIsAllowedOnlyWhenEveryUrlAnswersZeroInOrder() throws Exception {
        HookReceiver r = receiver();
        HttpHooks hooks = hooks(HttpHooksConfig.builder()
                .url(HookAction.ON_PUBLISH, r.url("/first"), r.url("/second")));

        assertTrue(await(hooks.onPublish(TestEvents.publish("1", Map.of()))).allowed());
        assertEquals(List.of("/first", "/second"), r.requests().stream().map(Request::path).collect(Collectors.toList()));

        r.answer(q -> q.path().equals("/second") ? Answer.code(1) : new Answer(200, "{\"code\":0}", 0));
        Decision d = await(hooks.onPublish(TestEvents.publish("2", Map.of())));
        assertFalse(d.allowed());
        assertEquals("on_publish hook refused (code 1)", d.reason());
        assertEquals(4, r.requests().size());

        r.answer(q -> new Answer(200, "1", 0));
        assertFalse(await(hooks.onPublish(TestEvents.publish("3", Map.of()))).allowed());
        assertEquals(5, r.requests().size(), "a refusal stops before the next URL");

        r.answer(q -> new Answer(500, "0", 0));
        assertFalse(await(hooks.onPublish(TestEvents.publish("4", Map.of()))).allowed());
        r.answer(q -> new Answer(200, " ".repeat(20_000) + "0", 0));
        assertEquals("on_publish hook refused (answer too long)",
                await(hooks.onPublish(TestEvents.publish("5", Map.of()))).reason());
    }

    @Test
    void eachProtocolGetsTheCallbacksSrsSendsForIt() throws Exception {
        int dead = deadPort();
        HttpHooks hooks = hooks(HttpHooksConfig.builder().allEvents("http://127.0.0.1:" + dead + "/hooks")
                .timeout(Duration.ofSeconds(2)));
        java.net.InetSocketAddress peer = new java.net.InetSocketAddress("127.0.0.1", 5000);
        java.util.function.Function<String, io.livehub.event.ClientInfo> client =
                p -> new io.livehub.event.ClientInfo(p, "9", peer, "http://h/live", "");
        for (String p : List.of("http-flv", "hls", "webrtc", "file", "record", "push")) {
            assertTrue(await(hooks.onConnect(new io.livehub.event.ConnectEvent(client.apply(p), "", "live", Map.of(),
                    TestEvents.TIME))).allowed(), "no on_connect is sent for " + p + ", so nothing can deny it");
        }
        for (String p : List.of("record", "push")) {
            assertTrue(await(hooks.onPlay(new io.livehub.event.PlayEvent(client.apply(p), TestEvents.KEY, Map.of(),
                    TestEvents.TIME))).allowed(), "no on_play is sent for " + p);
        }
        for (String p : List.of("rtmp", "rtmps", "srt")) {
            assertFalse(await(hooks.onConnect(new io.livehub.event.ConnectEvent(client.apply(p), "", "live",
                    Map.of(), TestEvents.TIME))).allowed(), "on_connect is sent for " + p + " (and fails: dead URL)");
        }
        for (String p : List.of("rtmp", "http-flv", "hls", "srt", "webrtc")) {
            assertFalse(await(hooks.onPlay(new io.livehub.event.PlayEvent(client.apply(p), TestEvents.KEY, Map.of(),
                    TestEvents.TIME))).allowed(), "on_play is sent for " + p + " (and fails: dead URL)");
        }
    }

    @Test
    void everyRequestIsJsonWithARequestIdAndASignature() throws Exception {
        HookReceiver r = receiver();
        HttpHooks hooks = hooks(HttpHooksConfig.builder().style(HookStyle.SRS_STACK).allEvents(r.url("/hooks"))
                .signingKey("hmac-key"));
        assertTrue(await(hooks.onPlay(TestEvents.play("1", Map.of()))).allowed());
        hooks.onStop(TestEvents.stop("1"));
        List<Request> got = r.await(l -> l.size() == 2);
        HookSigner verifier = new HookSigner("hmac-key");
        Set<String> ids = new HashSet<>();
        for (Request q : got) {
            assertEquals("POST", q.method());
            assertEquals("application/json", q.contentType());
            assertEquals(q.json().get("request_id").asText(), q.requestId());
            assertTrue(verifier.verify(q.body(), q.signature()), q.signature());
            ids.add(q.requestId());
        }
        assertEquals(2, ids.size(), "one request id per event");
    }

    @Test
    void slowHookDeniesAfterTheTimeoutOrAllowsWhenFailOpen() throws Exception {
        HookReceiver r = receiver();
        r.answer(q -> new Answer(200, "0", 3000));
        HttpHooks closed = hooks(HttpHooksConfig.builder().url(HookAction.ON_PUBLISH, r.url("/slow"))
                .timeout(Duration.ofMillis(300)));
        long start = System.nanoTime();
        Decision d = await(closed.onPublish(TestEvents.publish("1", Map.of())));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertFalse(d.allowed());
        assertEquals("on_publish hook unavailable (no answer within 300 ms)", d.reason());
        assertTrue(ms >= 250 && ms < 2000, "decided after " + ms + " ms");

        HttpHooks open = hooks(HttpHooksConfig.builder().url(HookAction.ON_PUBLISH, r.url("/slow"))
                .timeout(Duration.ofMillis(300)).failOpen(true));
        assertTrue(await(open.onPublish(TestEvents.publish("2", Map.of()))).allowed());
    }

    @Test
    void deadHookDeniesOrAllowsWhenFailOpen() throws Exception {
        String url = "http://127.0.0.1:" + deadPort() + "/hooks?token=t0ps3cret";
        HttpHooks closed = hooks(HttpHooksConfig.builder().url(HookAction.ON_CONNECT, url));
        Decision d = await(closed.onConnect(TestEvents.connect("1")));
        assertFalse(d.allowed());
        assertFalse(d.reason().contains("t0ps3cret"));
        HttpHooks open = hooks(HttpHooksConfig.builder().url(HookAction.ON_CONNECT, url).failOpen(true));
        assertTrue(await(open.onConnect(TestEvents.connect("1"))).allowed());
        assertEquals("http://127.0.0.1:1/hooks?...", HttpHooks.redact(java.net.URI.create(
                "http://user:pw@127.0.0.1:1/hooks?token=t0ps3cret#x")));
    }

    @Test
    void httpsWithATrustedSelfSignedCertificate() throws Exception {
        TestTls tls = TestTls.create(dir);
        HookReceiver r = later(HookReceiver.startHttps(0, tls.server));
        HttpHooks trusting = hooks(HttpHooksConfig.builder().url(HookAction.ON_PUBLISH, r.url("/tls"))
                .sslContext(tls.client));
        assertTrue(await(trusting.onPublish(TestEvents.publish("1", Map.of()))).allowed());
        assertEquals(1, r.requests().size());

        HttpHooks untrusting = hooks(HttpHooksConfig.builder().url(HookAction.ON_PUBLISH, r.url("/tls")));
        Decision d = await(untrusting.onPublish(TestEvents.publish("2", Map.of())));
        assertFalse(d.allowed(), "an untrusted certificate fails closed");
    }

    @Test
    void failedNotificationIsRetriedWithTheSameRequestId() throws Exception {
        HookReceiver r = receiver();
        AtomicInteger calls = new AtomicInteger();
        r.answer(q -> calls.incrementAndGet() <= 2 ? new Answer(503, "busy", 0) : Answer.ok());
        HttpHooks hooks = hooks(HttpHooksConfig.builder().style(HookStyle.SRS_STACK)
                .url(HookAction.ON_UNPUBLISH, r.url("/hooks")).retry(FAST_RETRY));
        hooks.onUnpublish(TestEvents.unpublish("1"));
        assertTrue(hooks.awaitIdle(Duration.ofSeconds(20)));
        List<Request> got = r.requests();
        assertEquals(3, got.size());
        for (Request q : got) {
            assertEquals(got.get(0).requestId(), q.requestId());
            assertArrayEquals(got.get(0).body(), q.body());
        }
        assertEquals(1, hooks.delivered());
        assertEquals(0, hooks.failed());
    }

    @Test
    void clientErrorIsNotRetried() throws Exception {
        HookReceiver r = receiver();
        r.answer(q -> new Answer(404, "", 0));
        HttpHooks hooks = hooks(HttpHooksConfig.builder().url(HookAction.ON_STOP, r.url("/gone")).retry(FAST_RETRY));
        hooks.onStop(TestEvents.stop("1"));
        assertTrue(hooks.awaitIdle(Duration.ofSeconds(20)));
        assertEquals(1, r.requests().size());
        assertEquals(1, hooks.failed());
    }

    @Test
    void notificationsToADeadServerArriveOnceEachInOrderWhenItComesBack() throws Exception {
        int port = deadPort();
        HttpHooks hooks = hooks(HttpHooksConfig.builder().allEvents("http://127.0.0.1:" + port + "/hooks")
                .retry(FAST_RETRY));
        // Two clients, each with its events in order; notifications return at once.
        hooks.onUnpublish(TestEvents.unpublish("1"));
        hooks.onStop(TestEvents.stop("2"));
        hooks.onClose(TestEvents.close("1"));
        hooks.onClose(TestEvents.close("2"));
        assertEquals(4, hooks.pending());
        Thread.sleep(400);
        assertEquals(4, hooks.pending(), "nothing is lost while the server is down");

        HookReceiver r = later(HookReceiver.start(port));
        assertTrue(hooks.awaitIdle(Duration.ofSeconds(20)));
        List<Request> got = r.requests();
        assertEquals(4, got.size(), r.summary());
        assertEquals(4, got.stream().map(Request::requestId).distinct().count(), "each arrives once");
        assertEquals(4, hooks.delivered());
        assertEquals(List.of("on_unpublish", "on_close"), actionsOf(got, "1"));
        assertEquals(List.of("on_stop", "on_close"), actionsOf(got, "2"));
    }

    private static List<String> actionsOf(List<Request> got, String clientId) {
        return got.stream().filter(q -> q.clientId().equals(clientId)).map(Request::action).collect(Collectors.toList());
    }

    @Test
    void queueHoldsAtMostItsCapacityAndDropsTheOldest() throws Exception {
        int port = deadPort();
        HttpHooks hooks = hooks(HttpHooksConfig.builder().url(HookAction.ON_CLOSE, "http://127.0.0.1:" + port + "/h")
                .queueCapacity(3).retry(new RetryPolicy(100, Duration.ofMillis(100), Duration.ofMillis(100), 0)));
        for (int i = 1; i <= 10; i++) {
            hooks.onClose(TestEvents.close(Integer.toString(i)));
            assertTrue(hooks.pending() <= 3, "held " + hooks.pending());
        }
        assertEquals(7, hooks.dropped());
        HookReceiver r = later(HookReceiver.start(port));
        assertTrue(hooks.awaitIdle(Duration.ofSeconds(20)));
        assertEquals(3, r.requests().size(), r.summary());
        assertEquals(3, hooks.delivered());
    }
}
