package io.livehub.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.livehub.MediaServer;
import io.livehub.hooks.HookReceiver.Answer;
import io.livehub.hooks.HookReceiver.Request;
import io.livehub.media.StreamKey;
import io.livehub.rtmp.HttpFlvModule;
import io.livehub.rtmp.RtmpModule;
import io.livehub.testing.ExternalProcess;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs real ffmpeg publishers and players against a Livehub server whose events go to a hook
 * server on loopback, and checks each callback's fields, the order of the callbacks and that
 * the hook's answer decides.
 */
@Tag("interop")
class HttpHooksInteropTest {

    @TempDir
    Path dir;

    private HookReceiver receiver;
    private final List<HttpHooks> hooks = new ArrayList<>();
    private MediaServer server;
    private String rtmp;
    private String http;

    private void start(HttpHooksConfig... configs) throws Exception {
        MediaServer.Builder b = MediaServer.builder().httpPort(0)
                .module(RtmpModule.builder().host("127.0.0.1").port(0).build())
                .module(HttpFlvModule.builder().build());
        for (HttpHooksConfig c : configs) {
            HttpHooks h = new HttpHooks(c);
            hooks.add(h);
            b.listener(h);
        }
        server = b.start();
        rtmp = "rtmp://127.0.0.1:" + server.port("rtmp");
        http = "http://127.0.0.1:" + server.port("http");
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        hooks.forEach(HttpHooks::close);
        if (receiver != null) {
            receiver.close();
        }
    }

    private static Set<String> keys(JsonNode n) {
        Set<String> s = new TreeSet<>();
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            s.add(it.next());
        }
        return s;
    }

    private static Set<String> set(String... names) {
        return new TreeSet<>(List.of(names));
    }

    private static final Set<String> SRS_CONNECT = set("server_id", "service_id", "action", "client_id", "ip",
            "vhost", "app", "stream", "param", "tcUrl", "pageUrl");
    private static final Set<String> SRS_CLOSE = set("server_id", "service_id", "action", "client_id", "ip",
            "vhost", "app", "send_bytes", "recv_bytes");
    private static final Set<String> SRS_STREAM = set("server_id", "service_id", "action", "client_id", "ip",
            "vhost", "app", "tcUrl", "stream", "param", "stream_url", "stream_id");
    private static final Set<String> SRS_PLAY = set("server_id", "service_id", "action", "client_id", "ip",
            "vhost", "app", "stream", "tcUrl", "param", "pageUrl", "stream_url", "stream_id");

    @Test
    void callbacksOfARealPublishPlayAndStopCarrySrsAndSrsStackFields() throws Exception {
        receiver = HookReceiver.start(0);
        start(HttpHooksConfig.builder().allEvents(receiver.url("/srs")).serverId("vid-test001")
                        .serviceId("svc00001").build(),
                HttpHooksConfig.builder().style(HookStyle.SRS_STACK).allEvents(receiver.url("/stack"))
                        .opaque("mytoken").build());
        StreamKey key = StreamKey.of("live", "show");
        try (ExternalProcess pub = Ffmpeg.publish(dir, rtmp + "/live/show?token=abc", 30)) {
            Ffmpeg.await(() -> Ffmpeg.live(server, key), "publishing");
            ExternalProcess play = Ffmpeg.play(dir, rtmp + "/live/show?viewer=v1");
            ExternalProcess flv = Ffmpeg.play(dir, http + "/live/show.flv?viewer=v2");
            ExternalProcess.Result r1 = play.await(30);
            assertEquals(0, r1.exitCode(), r1.describe());
            ExternalProcess.Result r2 = flv.await(30);
            assertEquals(0, r2.exitCode(), r2.describe());
            assertTrue(pub.isAlive(), "the publisher outlives the players");
            // Closing the publisher (SIGTERM) ends the publish, as a stopped encoder does.
        }
        // Per style: 2 closes (publisher, RTMP player; SRS sends none for an HTTP-FLV player), 2 stops,
        // 1 unpublish.
        receiver.await(l -> l.stream().filter(q -> q.action().equals("on_close")).count() == 4
                && l.stream().filter(q -> q.action().equals("on_stop")).count() == 4
                && l.stream().filter(q -> q.action().equals("on_unpublish")).count() == 2);
        for (HttpHooks h : hooks) {
            assertTrue(h.awaitIdle(Duration.ofSeconds(10)));
        }
        List<Request> all = receiver.requests();
        for (Request q : all) {
            assertEquals("application/json", q.contentType());
            assertEquals("POST", q.method());
        }
        List<Request> srs = all.stream().filter(q -> q.path().equals("/srs")).collect(Collectors.toList());
        List<Request> stack = all.stream().filter(q -> q.path().equals("/stack")).collect(Collectors.toList());
        assertEquals(srs.size(), srs.stream().map(Request::requestId).distinct().count(), "one id per event");

        // ---- SRS style: order per client, then every field ----
        Map<String, List<Request>> byClient = new LinkedHashMap<>();
        for (Request q : srs) {
            byClient.computeIfAbsent(q.clientId(), k -> new ArrayList<>()).add(q);
        }
        assertEquals(3, byClient.size(), receiver.summary());
        Map<List<String>, JsonNode> seen = new LinkedHashMap<>();
        String rtmpPort = Integer.toString(server.port("rtmp"));
        for (List<Request> events : byClient.values()) {
            List<String> actions = events.stream().map(Request::action).collect(Collectors.toList());
            seen.put(actions, events.get(0).json());
            for (Request q : events) {
                JsonNode j = q.json();
                assertEquals("vid-test001", j.get("server_id").asText());
                assertEquals("svc00001", j.get("service_id").asText());
                assertEquals("127.0.0.1", j.get("ip").asText());
                assertEquals("__defaultVhost__", j.get("vhost").asText());
                assertEquals("live", j.get("app").asText());
                switch (q.action()) {
                    case "on_connect":
                        assertEquals(SRS_CONNECT, keys(j), j.toString());
                        assertEquals("", j.get("stream").asText());
                        assertEquals("", j.get("param").asText());
                        assertEquals("rtmp://127.0.0.1:" + rtmpPort + "/live", j.get("tcUrl").asText());
                        assertEquals("", j.get("pageUrl").asText());
                        break;
                    case "on_close":
                        assertEquals(SRS_CLOSE, keys(j), j.toString());
                        assertTrue(j.get("send_bytes").asLong() + j.get("recv_bytes").asLong() > 1000, j.toString());
                        break;
                    case "on_play":
                        assertEquals(SRS_PLAY, keys(j), j.toString());
                        assertStream(j);
                        assertTrue(j.get("param").asText().matches("\\?viewer=v[12]"), j.toString());
                        break;
                    default:
                        assertEquals(SRS_STREAM, keys(j), j.toString());
                        assertStream(j);
                        if (q.action().endsWith("publish")) {
                            assertEquals("?token=abc", j.get("param").asText());
                            assertEquals("rtmp://127.0.0.1:" + rtmpPort + "/live", j.get("tcUrl").asText());
                        }
                        break;
                }
            }
        }
        assertTrue(seen.containsKey(List.of("on_connect", "on_publish", "on_unpublish", "on_close")), seen.keySet().toString());
        assertTrue(seen.containsKey(List.of("on_connect", "on_play", "on_stop", "on_close")), seen.keySet().toString());
        assertTrue(seen.containsKey(List.of("on_play", "on_stop")), "HTTP-FLV: as SRS, no on_connect and no on_close: "
                + seen.keySet());
        Request publisherClose = srs.stream().filter(q -> q.action().equals("on_close")
                && q.clientId().equals(srs.stream().filter(p -> p.action().equals("on_publish")).findFirst()
                .orElseThrow().clientId())).findFirst().orElseThrow();
        assertTrue(publisherClose.json().get("recv_bytes").asLong() > 10_000, publisherClose.json().toString());
        Request flvPlay = srs.stream().filter(q -> q.action().equals("on_play")
                && q.json().get("tcUrl").asText().startsWith("http://")).findFirst().orElseThrow();
        assertEquals("http://127.0.0.1:" + server.port("http") + "/live", flvPlay.json().get("tcUrl").asText());
        assertEquals("?viewer=v2", flvPlay.json().get("param").asText());

        // ---- SRS Stack style ----
        Request stackPublish = stack.stream().filter(q -> q.action().equals("on_publish")).findFirst().orElseThrow();
        HookBodiesTest.assertJson("{'request_id':'" + stackPublish.requestId() + "','action':'on_publish',"
                + "'opaque':'mytoken','vhost':'__defaultVhost__','app':'live','stream':'show','param':'?token=abc'}",
                stackPublish.json());
        Request stackUnpublish = stack.stream().filter(q -> q.action().equals("on_unpublish")).findFirst().orElseThrow();
        HookBodiesTest.assertJson("{'request_id':'" + stackUnpublish.requestId() + "','action':'on_unpublish',"
                + "'opaque':'mytoken','vhost':'__defaultVhost__','app':'live','stream':'show'}", stackUnpublish.json());
        assertTrue(stack.indexOf(stackPublish) < stack.indexOf(stackUnpublish));
        assertEquals(stack.size(), stack.stream().map(q -> q.json().get("request_id").asText()).distinct().count());
    }

    private static void assertStream(JsonNode j) {
        assertEquals("show", j.get("stream").asText());
        assertEquals("/live/show", j.get("stream_url").asText());
        assertEquals(HookBodies.streamId(StreamKey.of("live", "show")), j.get("stream_id").asText());
    }

    private void assertRefused(String url, StreamKey key) throws Exception {
        ExternalProcess.Result r;
        try (ExternalProcess pub = Ffmpeg.publish(dir, url, 3)) {
            r = pub.await(30);
        }
        assertNotEquals(0, r.exitCode(), "publish must fail: " + r.describe());
        assertNull(server.hub().stream(key), "nothing of a refused publish reaches the hub");
    }

    @Test
    void codeOneRefusesThePublish() throws Exception {
        receiver = HookReceiver.start(0);
        receiver.answer(q -> q.action().equals("on_publish") ? Answer.code(1) : Answer.ok());
        start(HttpHooksConfig.builder().allEvents(receiver.url("/hooks")).build());
        StreamKey key = StreamKey.of("live", "refused");
        assertRefused(rtmp + "/live/refused", key);
        List<Request> got = receiver.await(l -> l.stream().anyMatch(q -> q.action().equals("on_close")));
        assertEquals(List.of("on_connect", "on_publish", "on_close"),
                got.stream().map(Request::action).collect(Collectors.toList()));
    }

    @Test
    void slowHookIsWaitedForOnlyUntilTheTimeoutThenRefused() throws Exception {
        receiver = HookReceiver.start(0);
        receiver.answer(q -> new Answer(200, "0", 5000));
        start(HttpHooksConfig.builder().url(HookAction.ON_PUBLISH, receiver.url("/slow"))
                .timeout(Duration.ofMillis(500)).build());
        long begin = System.nanoTime();
        assertRefused(rtmp + "/live/slow", StreamKey.of("live", "slow"));
        long ms = (System.nanoTime() - begin) / 1_000_000;
        assertEquals(1, receiver.requests().size());
        assertTrue(ms < 4000, "refused after " + ms + " ms, not after the hook's 5 s");
    }

    @Test
    void deadHookRefusesThePublish() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        start(HttpHooksConfig.builder().url(HookAction.ON_PUBLISH, "http://127.0.0.1:" + port + "/dead").build());
        assertRefused(rtmp + "/live/dead", StreamKey.of("live", "dead"));
    }
}
