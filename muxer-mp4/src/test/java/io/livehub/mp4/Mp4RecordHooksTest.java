package io.livehub.mp4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.livehub.MediaServer;
import io.livehub.hooks.HookAction;
import io.livehub.hooks.HookStyle;
import io.livehub.hooks.HttpHooks;
import io.livehub.hooks.HttpHooksConfig;
import io.livehub.hub.HubConfig;
import io.livehub.hub.Publication;
import io.livehub.media.StreamKey;
import io.livehub.testing.Await;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records a stream with the hooks module attached and checks the HTTP callbacks a hook server
 * receives: SRS Stack {@code on_record_begin}/{@code on_record_end} (uuid, artifact_code,
 * artifact_path, artifact_url) and SRS {@code on_dvr} (cwd, file).
 */
class Mp4RecordHooksTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final StreamKey KEY = StreamKey.of("live", "hooked");

    @TempDir
    Path dir;

    private HttpServer hookServer;
    private MediaServer server;
    private HttpHooks stack;
    private HttpHooks srs;
    private final Map<String, BlockingQueue<JsonNode>> bodies = new ConcurrentHashMap<>();

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (stack != null) {
            stack.close();
        }
        if (srs != null) {
            srs.close();
        }
        if (hookServer != null) {
            hookServer.stop(0);
        }
    }

    private BlockingQueue<JsonNode> queue(String path) {
        return bodies.computeIfAbsent(path, k -> new LinkedBlockingQueue<>());
    }

    @Test
    void recordEventsReachSrsStackAndSrsCallbacks() throws Exception {
        hookServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hookServer.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            queue(exchange.getRequestURI().getPath()).add(JSON.readTree(body));
            byte[] answer = "{\"code\":0}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        hookServer.start();
        String base = "http://127.0.0.1:" + hookServer.getAddress().getPort();
        stack = new HttpHooks(HttpHooksConfig.builder().style(HookStyle.SRS_STACK).opaque("token")
                .url(HookAction.ON_RECORD_BEGIN, base + "/begin").url(HookAction.ON_RECORD_END, base + "/end").build());
        srs = new HttpHooks(HttpHooksConfig.builder().style(HookStyle.SRS).cwd("/srv/livehub")
                .url(HookAction.ON_DVR, base + "/dvr").build());
        server = MediaServer.builder().httpPort(0).hub(HubConfig.builder().timestampCorrection(false).build())
                .module(Mp4RecordModule.builder(dir).all().urlPrefix("http://media.example/record/").build())
                .listener(stack).listener(srs)
                .start();

        Publication p = server.hub().publish(KEY, server.transport().workerGroup().next(), "pub");
        Await.until(() -> server.hub().stream(KEY).subscriberCount() == 1, 10, "the recorder subscribes");
        SyntheticMedia.feedSlowly(p, 0, 2000, SyntheticMedia.AUDIO);
        p.close();

        JsonNode begin = queue("/begin").poll(20, TimeUnit.SECONDS);
        assertNotNull(begin, "no on_record_begin");
        assertEquals("on_record_begin", begin.get("action").asText());
        assertEquals("token", begin.get("opaque").asText());
        assertEquals("live", begin.get("app").asText());
        assertEquals("hooked", begin.get("stream").asText());
        String uuid = begin.get("uuid").asText();
        assertTrue(uuid.length() >= 32, begin::toString);

        JsonNode end = queue("/end").poll(20, TimeUnit.SECONDS);
        assertNotNull(end, "no on_record_end");
        assertEquals("on_record_end", end.get("action").asText());
        assertEquals(uuid, end.get("uuid").asText());
        assertEquals(0, end.get("artifact_code").asInt());
        Path file = Path.of(end.get("artifact_path").asText());
        assertTrue(Files.exists(file) && file.startsWith(dir), end::toString);
        assertEquals("http://media.example/record/live/" + file.getFileName(), end.get("artifact_url").asText());

        JsonNode dvr = queue("/dvr").poll(20, TimeUnit.SECONDS);
        assertNotNull(dvr, "no on_dvr");
        assertEquals("on_dvr", dvr.get("action").asText());
        assertEquals("/srv/livehub", dvr.get("cwd").asText());
        assertEquals(file.toString(), dvr.get("file").asText());
        assertEquals("live/hooked", dvr.get("stream_url").asText().replaceFirst("^/", ""));
    }
}
