package io.livehub.examples.full;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.livehub.testing.BrowserHarness;
import io.livehub.testing.ExternalProcess;
import io.livehub.testing.Interop;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The full example server with a hook server laid out as SRS's own demo hook server is (each
 * group of events on its own path, 500 for any other action), configured per event as an SRS
 * user would: one RTMP publisher, then players over RTMP, HTTP-FLV, HLS (ffmpeg and hls.js in
 * Chromium) and SRT. Nothing is denied, every path gets only its own actions, each player makes
 * exactly one {@code on_play} and one {@code on_stop} with one client id and the publisher's
 * vhost, app and stream, each is listed by {@code /api/v1/clients} with its protocol while it
 * plays, and {@code stream_id} is the management API's id of the stream.
 */
@Tag("interop")
class FullServerHooksInteropTest {

    private static final Map<String, Set<String>> SRS_PATHS = Map.of(
            "/api/v1/clients", Set.of("on_connect", "on_close"),
            "/api/v1/streams", Set.of("on_publish", "on_unpublish"),
            "/api/v1/sessions", Set.of("on_play", "on_stop"),
            "/api/v1/dvrs", Set.of("on_dvr"),
            "/api/v1/hls", Set.of("on_hls"));

    @TempDir
    Path dir;

    private final ObjectMapper json = new ObjectMapper();
    private final List<JsonNode> calls = new CopyOnWriteArrayList<>();
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private HttpServer hookServer;
    private LivehubServer server;
    private final List<ExternalProcess> processes = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (ExternalProcess p : processes) {
            p.close();
        }
        if (server != null) {
            server.close();
        }
        if (hookServer != null) {
            hookServer.stop(0);
        }
    }

    private void startHookServer() throws IOException {
        hookServer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        SRS_PATHS.forEach((path, actions) -> hookServer.createContext(path, exchange -> {
            JsonNode body = json.readTree(exchange.getRequestBody().readAllBytes());
            String action = body.path("action").asText();
            byte[] answer;
            int status;
            if (actions.contains(action)) {
                ((com.fasterxml.jackson.databind.node.ObjectNode) body).put("_path", path);
                calls.add(body);
                status = 200;
                answer = "0".getBytes(StandardCharsets.US_ASCII);
            } else {
                violations.add(action + " sent to " + path);
                status = 500;
                answer = "{\"code\":500}".getBytes(StandardCharsets.US_ASCII);
            }
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        }));
        hookServer.start();
    }

    private String hook(String path) {
        return "http://127.0.0.1:" + hookServer.getAddress().getPort() + path;
    }

    private ExternalProcess run(String... args) throws IOException {
        ExternalProcess p = ExternalProcess.start(dir, args[0], java.util.Arrays.copyOfRange(args, 1, args.length));
        processes.add(p);
        return p;
    }

    private static void await(String what, int seconds, BooleanSupplier cond) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (!cond.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, what + " not in " + seconds + " s");
            Thread.sleep(50);
        }
    }

    private JsonNode api(String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.server().port("http") + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return json.readTree(r.body());
    }

    private List<JsonNode> calls(String action) {
        return calls.stream().filter(c -> c.path("action").asText().equals(action)).collect(Collectors.toList());
    }

    @Test
    void everyProtocolsPlayerMakesOnePlayAndOneStopOnSrsPerEventPaths() throws Exception {
        Interop.require("ffmpeg");
        BrowserHarness browser = BrowserHarness.require();
        startHookServer();
        Map<String, String> env = new HashMap<>();
        env.put("LIVEHUB_SECRET", "");
        env.put("LIVEHUB_HOOK_ON_CONNECT", hook("/api/v1/clients"));
        env.put("LIVEHUB_HOOK_ON_CLOSE", hook("/api/v1/clients"));
        env.put("LIVEHUB_HOOK_ON_PUBLISH", hook("/api/v1/streams"));
        env.put("LIVEHUB_HOOK_ON_UNPUBLISH", hook("/api/v1/streams"));
        env.put("LIVEHUB_HOOK_ON_PLAY", hook("/api/v1/sessions"));
        env.put("LIVEHUB_HOOK_ON_STOP", hook("/api/v1/sessions"));
        env.put("LIVEHUB_HOOK_ON_DVR", hook("/api/v1/dvrs"));
        env.put("LIVEHUB_HOOK_ON_HLS", hook("/api/v1/hls"));
        server = LivehubServer.start(ServerOptions.parse(new String[] {"--rtmp-port=0", "--http-port=0",
                "--srt-port=0", "--host=127.0.0.1", "--data-dir=" + dir, "--hls-session-timeout=3"}, env));
        int rtmp = server.server().port("rtmp");
        int httpPort = server.server().port("http");
        int srt = server.server().port("srt");

        ExternalProcess publisher = run("ffmpeg", "-hide_banner", "-loglevel", "error", "-re",
                "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25", "-f", "lavfi", "-i", "sine",
                "-t", "60", "-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-pix_fmt", "yuv420p",
                "-c:a", "aac", "-f", "flv", "rtmp://127.0.0.1:" + rtmp + "/live/show");
        await("the publish", 20, () -> calls("on_publish").size() == 1
                && server.server().hub().streams().stream().anyMatch(s -> s.isPublishing() && s.framesIn() > 50));

        Map<String, ExternalProcess> players = new HashMap<>();
        players.put("rtmp", run("ffmpeg", "-hide_banner", "-loglevel", "error", "-i",
                "rtmp://127.0.0.1:" + rtmp + "/live/show", "-t", "8", "-f", "null", "-"));
        players.put("http-flv", run("ffmpeg", "-hide_banner", "-loglevel", "error", "-i",
                "http://127.0.0.1:" + httpPort + "/live/show.flv", "-t", "8", "-f", "null", "-"));
        players.put("hls", run("ffmpeg", "-hide_banner", "-loglevel", "error", "-i",
                "http://127.0.0.1:" + httpPort + "/live/show.m3u8", "-t", "8", "-f", "null", "-"));
        players.put("srt", run("ffmpeg", "-hide_banner", "-loglevel", "error", "-i",
                "srt://127.0.0.1:" + srt + "?streamid=#!::r=live/show,m=request", "-t", "8", "-f", "null", "-"));

        // While they play, the management API lists each with its protocol.
        Map<String, Boolean> listed = new ConcurrentHashMap<>();
        await("every player in /api/v1/clients", 20, () -> {
            try {
                for (JsonNode c : api("/api/v1/clients").path("clients")) {
                    listed.put(c.path("protocol").asText(), true);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return listed.keySet().containsAll(Set.of("rtmp", "http-flv", "hls", "srt"));
        });
        String apiStreamId = api("/api/v1/streams").path("streams").get(0).path("id").asText();

        BrowserHarness.Result hlsJs = browser.playback("hls", "http://127.0.0.1:" + httpPort + "/live/show.m3u8")
                .seconds(3).size(320, 240).timeoutSeconds(40).run(dir);
        assertTrue(hlsJs.ok() && hlsJs.advanced() >= 3.0, hlsJs.describe());

        for (Map.Entry<String, ExternalProcess> e : players.entrySet()) {
            ExternalProcess.Result r = e.getValue().await(40);
            assertEquals(0, r.exitCode(), e.getKey() + ": " + r.describe());
        }
        // Five players: ffmpeg over four protocols and hls.js; each stops once it is gone (an HLS
        // viewer when its session has been idle for the configured 3 s).
        await("five on_stop", 40, () -> calls("on_stop").size() >= 5);
        Thread.sleep(1000); // anything extra would arrive now
        publisher.close();
        await("on_unpublish", 20, () -> calls("on_unpublish").size() == 1);

        assertTrue(violations.isEmpty(), "SRS's per-path hook server got foreign actions: " + violations);
        JsonNode publish = calls("on_publish").get(0);
        List<JsonNode> plays = calls("on_play");
        List<JsonNode> stops = calls("on_stop");
        assertEquals(5, plays.size(), plays.toString());
        assertEquals(5, stops.size(), stops.toString());
        Set<String> playIds = plays.stream().map(p -> p.path("client_id").asText()).collect(Collectors.toSet());
        Set<String> stopIds = stops.stream().map(p -> p.path("client_id").asText()).collect(Collectors.toSet());
        assertEquals(5, playIds.size(), "one client id per player: " + plays);
        assertEquals(playIds, stopIds, "each on_stop matches an on_play");
        for (JsonNode p : plays) {
            assertEquals(publish.path("vhost").asText(), p.path("vhost").asText(), p.toString());
            assertEquals("live", p.path("app").asText(), p.toString());
            assertEquals("show", p.path("stream").asText(), p.toString());
            assertEquals(apiStreamId, p.path("stream_id").asText(), "stream_id is the API's id: " + p);
        }
        assertEquals("__defaultVhost__", publish.path("vhost").asText());
        assertEquals(apiStreamId, publish.path("stream_id").asText());
        // Only RTMP and SRT clients connect and close, as in SRS: the publisher and two players.
        await("on_close", 20, () -> calls("on_close").size() == 3);
        assertEquals(3, calls("on_connect").size(), calls("on_connect").toString());
        assertEquals(server.server().serverId(), publish.path("server_id").asText());
        assertEquals(server.server().serverId(), api("/api/v1/versions").path("server").asText());
    }
}
