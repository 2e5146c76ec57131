package io.livehub.hooks.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.livehub.MediaServer;
import io.livehub.hooks.SecretAuthorizer;
import io.livehub.media.StreamKey;
import io.livehub.rtmp.HttpFlvModule;
import io.livehub.rtmp.RtmpModule;
import io.livehub.testing.ExternalProcess;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drives the HTTP API of a server with an ffmpeg publisher (H.264 + AAC) and ffmpeg RTMP and
 * HTTP-FLV players: streams and clients as SRS shows them, kicking, and secret rotation.
 */
@Tag("interop")
class ManagementApiInteropTest {

    private static final String TOKEN = "interop-token";

    @TempDir
    Path dir;

    private final SecretAuthorizer secrets = new SecretAuthorizer("pub");
    private MediaServer server;
    private ApiClient api;
    private String rtmp;

    @BeforeEach
    void start() throws Exception {
        server = MediaServer.builder().httpPort(0).listener(secrets)
                .module(RtmpModule.builder().host("127.0.0.1").port(0).build())
                .module(HttpFlvModule.builder().build()).build();
        server.httpRoutes().add(new ManagementHttpService(new ManagementApi(server, secrets), TOKEN));
        server.start();
        api = new ApiClient(server.port("http"), "Bearer " + TOKEN);
        rtmp = "rtmp://127.0.0.1:" + server.port("rtmp") + "/live/";
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private ExternalProcess publish(String path, int seconds) throws Exception {
        return ExternalProcess.start(dir, "ffmpeg", "-hide_banner", "-loglevel", "error", "-re",
                "-f", "lavfi", "-i", "testsrc=size=160x120:rate=25",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100", "-t", String.valueOf(seconds),
                "-c:v", "libx264", "-preset", "veryfast", "-profile:v", "high", "-pix_fmt", "yuv420p", "-g", "25",
                "-c:a", "aac", "-ac", "1", "-f", "flv", rtmp + path);
    }

    private ExternalProcess play(String url) throws Exception {
        return ExternalProcess.start(dir, "ffmpeg", "-hide_banner", "-loglevel", "error", "-i", url,
                "-c", "copy", "-f", "null", "-");
    }

    private static volatile JsonNode lastSeen;

    private static JsonNode await(Callable<JsonNode> probe, String what) throws Exception {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (true) {
            JsonNode n = probe.call();
            if (n != null) {
                return n;
            }
            assertTrue(System.nanoTime() < deadline, what + " not within 20 s; last seen: " + lastSeen);
            Thread.sleep(50);
        }
    }

    private Map<String, JsonNode> clientsByType() throws Exception {
        Map<String, JsonNode> m = new HashMap<>();
        for (JsonNode c : api.get("/api/v1/clients").json().path("clients")) {
            m.put(c.path("type").asText(), c);
        }
        return m;
    }

    @Test
    void streamsAndClientsAreListedAndKickingEndsTheConnection() throws Exception {
        StreamKey key = StreamKey.of("live", "api");
        String id = ManagementApi.streamId(key);
        try (ExternalProcess pub = publish("api?secret=pub", 30);
             ExternalProcess rtmpPlayer = play(rtmp + "api");
             ExternalProcess flvPlayer = play("http://127.0.0.1:" + server.port("http") + "/live/api.flv")) {
            JsonNode stream = await(() -> {
                JsonNode streams = api.get("/api/v1/streams").json().path("streams");
                JsonNode s = streams.path(0);
                lastSeen = streams;
                return streams.size() == 1 && s.path("clients").asInt() == 3 && !s.path("audio").isNull()
                        && s.path("send_bytes").asLong() > 2_000 && s.path("frames").asLong() > 25 ? s : null;
            }, "a stream with its publisher, two players and audio");
            assertEquals(id, stream.path("id").asText());
            assertEquals("api", stream.path("name").asText());
            assertEquals("live", stream.path("app").asText());
            assertEquals(StreamKey.DEFAULT_VHOST, stream.path("vhost").asText());
            assertEquals("/live/api", stream.path("url").asText());
            assertTrue(stream.path("tcUrl").asText().startsWith("rtmp://127.0.0.1:"), stream.toString());
            assertTrue(stream.path("live_ms").asLong() > System.currentTimeMillis() - 60_000);
            assertTrue(stream.path("publish").path("active").asBoolean());
            assertTrue(stream.path("recv_bytes").asLong() > 1_000, stream.toString());
            assertTrue(stream.path("kbps").path("recv_30s").asLong() > 0, stream.toString());
            assertTrue(stream.path("kbps").path("send_30s").asLong() > 0, stream.toString());
            assertEquals(2, stream.path("subscribers").asInt());
            JsonNode video = stream.path("video");
            assertEquals("H264", video.path("codec").asText());
            assertEquals("High", video.path("profile").asText());
            assertFalse(video.path("level").asText().isEmpty());
            assertEquals(160, video.path("width").asInt());
            assertEquals(120, video.path("height").asInt());
            JsonNode audio = stream.path("audio");
            assertEquals("AAC", audio.path("codec").asText());
            assertEquals("LC", audio.path("profile").asText());
            assertEquals(44100, audio.path("sample_rate").asInt());
            assertEquals(1, audio.path("channel").asInt());

            JsonNode one = api.get("/api/v1/streams/" + id).json().path("stream");
            assertEquals(id, one.path("id").asText());
            assertEquals("H264", one.path("video").path("codec").asText());

            Map<String, JsonNode> clients = clientsByType();
            assertEquals(3, clients.size(), clients.toString());
            JsonNode publisher = clients.get("fmle-publish");
            assertEquals(stream.path("publish").path("cid").asText(), publisher.path("id").asText());
            for (JsonNode c : clients.values()) {
                assertEquals(id, c.path("stream").asText());
                assertEquals("127.0.0.1", c.path("ip").asText());
                assertEquals("api", c.path("name").asText());
                assertTrue(c.path("alive").asDouble() > 0);
            }
            assertTrue(publisher.path("publish").asBoolean());
            assertEquals("rtmp", publisher.path("protocol").asText());
            assertEquals("publishing", publisher.path("role").asText());
            assertTrue(publisher.path("recv_bytes").asLong() > 1_000, publisher.toString());
            JsonNode flv = clients.get("flv-play");
            assertEquals("http-flv", flv.path("protocol").asText());
            assertEquals("playing", flv.path("role").asText());
            assertFalse(flv.path("publish").asBoolean());
            assertTrue(flv.path("send_bytes").asLong() > 1_000, flv.toString());
            assertEquals("rtmp", clients.get("rtmp-play").path("protocol").asText());
            String flvId = flv.path("id").asText();
            assertEquals("flv-play", api.get("/api/v1/clients/" + flvId).json().path("client").path("type").asText());

            assertEquals(401, api.as(null).send("DELETE", "/api/v1/clients/" + flvId, null).status());
            ApiClient.Answer kicked = api.send("DELETE", "/api/v1/clients/" + flvId, null);
            assertEquals(200, kicked.status());
            assertEquals(0, kicked.code());
            ExternalProcess.Result flvEnd = flvPlayer.await(20);
            assertNotEquals(-1, flvEnd.exitCode(), "the kicked HTTP-FLV player ends: " + flvEnd.describe());
            await(() -> api.get("/api/v1/clients/" + flvId).status() == 404 ? api.get("/api/v1/clients").json() : null,
                    "the kicked player leaving the list");
            assertEquals(2, clientsByType().size());

            String pubId = publisher.path("id").asText();
            assertEquals(200, api.send("DELETE", "/api/v1/clients/" + pubId, null).status());
            ExternalProcess.Result pubEnd = pub.await(20);
            assertNotEquals(-1, pubEnd.exitCode(), "the kicked publisher ends: " + pubEnd.describe());
            await(() -> {
                JsonNode streams = api.get("/api/v1/streams").json().path("streams");
                return streams.size() == 0 || !streams.path(0).path("publish").path("active").asBoolean()
                        ? streams : null;
            }, "the stream without publisher");
            assertFalse(clientsByType().containsKey("fmle-publish"));
        }
    }

    @Test
    void secretRotationThroughTheApiAppliesToTheNextPublish() throws Exception {
        ApiClient.Answer put = api.send("PUT", "/api/v1/secret", "{\"publish\":\"n3w\"}");
        assertEquals(200, put.status());

        ExternalProcess.Result refused;
        try (ExternalProcess old = publish("old?secret=pub", 3)) {
            refused = old.await(30);
        }
        assertNotEquals(0, refused.exitCode(), "the old secret is refused: " + refused.describe());
        assertEquals(0, api.get("/api/v1/streams").json().path("streams").size());

        try (ExternalProcess ok = publish("fresh?secret=n3w", 20)) {
            JsonNode s = await(() -> {
                JsonNode st = api.get("/api/v1/streams").json().path("streams").path(0);
                return st.path("publish").path("active").asBoolean() ? st : null;
            }, "publishing with the new secret");
            assertEquals("fresh", s.path("name").asText());
        }
    }
}
