package io.livehub.virtual.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.livehub.MediaServer;
import io.livehub.media.StreamKey;
import io.livehub.testing.Await;
import io.livehub.virtual.VirtualLiveModule;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drives the OME-shaped virtual live API over a raw socket (so Host and Origin can be set),
 * playing a tiny hand-built MP4 (the fuzz seed) looped forever.
 */
class VirtualLiveHttpServiceTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String APP = "/v1/vhosts/default/apps/live";

    @TempDir
    Path media;

    private MediaServer server;
    private VirtualLiveModule virtual;

    private void start(String token) throws Exception {
        try (InputStream in = getClass().getResourceAsStream(
                "/io/livehub/virtual/mp4/Mp4FuzzTestInputs/readsFile/handbuilt_avc_aac_progressive")) {
            Files.write(media.resolve("tiny.mp4"), in.readAllBytes());
        }
        virtual = VirtualLiveModule.builder().mediaRoot(media).httpApi(token).build();
        server = MediaServer.builder().httpPort(0).module(virtual).start();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private record Answer(int status, JsonNode body) {
    }

    private Answer call(String method, String path, String body, String... headers) throws Exception {
        int port = server.port("http");
        StringBuilder req = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
        boolean host = false;
        for (String h : headers) {
            host |= h.toLowerCase().startsWith("host:");
            req.append(h).append("\r\n");
        }
        if (!host) {
            req.append("Host: 127.0.0.1:").append(port).append("\r\n");
        }
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        req.append("Content-Length: ").append(bytes.length).append("\r\nConnection: close\r\n\r\n");
        try (Socket s = new Socket("127.0.0.1", port)) {
            OutputStream out = s.getOutputStream();
            out.write(req.toString().getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.flush();
            String text = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int status = Integer.parseInt(text.substring(9, 12));
            String json = text.substring(text.indexOf("\r\n\r\n") + 4);
            return new Answer(status, json.isEmpty() ? null : JSON.readTree(json));
        }
    }

    private Answer post(String action, String body, String... headers) throws Exception {
        String[] all = new String[headers.length + 1];
        all[0] = "Content-Type: application/json";
        System.arraycopy(headers, 0, all, 1, headers.length);
        return call("POST", APP + ":" + action, body, all);
    }

    @Test
    void startsListsAndStopsAVirtualStream() throws Exception {
        start(null);
        Answer started = post("startVirtual", "{\"stream\":{\"name\":\"tiny\"},\"file\":\"tiny.mp4\"}");
        assertEquals(200, started.status(), String.valueOf(started.body()));
        assertEquals(200, started.body().get("statusCode").asInt());
        assertEquals("OK", started.body().get("message").asText());
        JsonNode r = started.body().get("response");
        assertEquals("tiny", r.get("stream").get("name").asText());
        assertEquals("tiny.mp4", r.get("file").asText());
        assertEquals("playing", r.get("state").asText());
        assertEquals(0, r.get("loops").asInt(), "forever by default");
        Await.live(server, StreamKey.of("live", "tiny"), 3);

        Answer busy = post("startVirtual", "{\"stream\":{\"name\":\"tiny\"},\"file\":\"tiny.mp4\"}");
        assertEquals(409, busy.status());
        assertEquals(409, busy.body().get("statusCode").asInt());

        Answer list = call("GET", APP + ":virtuals", null);
        assertEquals(200, list.status());
        assertEquals(1, list.body().get("response").size());
        assertEquals("tiny", list.body().get("response").get(0).get("stream").get("name").asText());
        assertEquals(0, call("GET", "/v1/vhosts/default/apps/other:virtuals", null).body().get("response").size());

        assertEquals(200, post("stopVirtual", "{\"stream\":{\"name\":\"tiny\"}}").status());
        assertTrue(virtual.list().isEmpty());
        assertEquals(404, post("stopVirtual", "{\"stream\":{\"name\":\"tiny\"}}").status());
    }

    @Test
    void answersBadRequestsWithTheirStatus() throws Exception {
        start(null);
        assertEquals(400, post("startVirtual", "{\"stream\":{\"name\":\"x\"},\"file\":\"../etc/passwd\"}").status());
        assertEquals(404, post("startVirtual", "{\"stream\":{\"name\":\"x\"},\"file\":\"missing.mp4\"}").status());
        assertEquals(400, post("startVirtual", "{\"file\":\"tiny.mp4\"}").status(), "no stream name");
        assertEquals(400, post("startVirtual", "{\"stream\":{\"name\":\"a/b\"},\"file\":\"tiny.mp4\"}").status());
        assertEquals(400, post("startVirtual", "not json").status());
        assertEquals(415, call("POST", APP + ":startVirtual", "{}", "Content-Type: text/plain").status(),
                "writes only as application/json");
        assertEquals(405, call("GET", APP + ":startVirtual", null).status());
        Files.write(media.resolve("text.mp4"), "hello, not a video".getBytes(StandardCharsets.UTF_8));
        Answer unsupported = post("startVirtual", "{\"stream\":{\"name\":\"x\"},\"file\":\"text.mp4\"}");
        assertEquals(415, unsupported.status());
        assertTrue(unsupported.body().get("message").asText().contains("text.mp4"));
        assertTrue(virtual.list().isEmpty());
    }

    @Test
    void withoutATokenOnlyLoopbackHostsAndOriginsAreServed() throws Exception {
        start(null);
        String body = "{\"stream\":{\"name\":\"x\"},\"file\":\"tiny.mp4\"}";
        assertEquals(403, post("startVirtual", body, "Host: evil.example:80").status(), "DNS rebinding");
        assertEquals(403, post("startVirtual", body, "Origin: http://evil.example").status(), "cross-site");
        assertTrue(virtual.list().isEmpty());
        assertEquals(403, call("GET", APP + ":virtuals", null, "Origin: http://localhost:3000").status(),
                "a page of another origin, even on this machine");
        assertEquals(200, call("GET", APP + ":virtuals", null,
                "Origin: http://127.0.0.1:" + server.port("http")).status(), "the server's own pages");
    }

    @Test
    void withATokenCredentialsAreRequired() throws Exception {
        start("s3cret");
        assertEquals(401, call("GET", APP + ":virtuals", null).status());
        assertEquals(401, call("GET", APP + ":virtuals", null, "Authorization: Bearer wrong").status());
        assertEquals(200, call("GET", APP + ":virtuals", null, "Authorization: Bearer s3cret").status());
    }
}
