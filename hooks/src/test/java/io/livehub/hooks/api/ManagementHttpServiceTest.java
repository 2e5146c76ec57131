package io.livehub.hooks.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.livehub.MediaServer;
import io.livehub.MediaServer.Builder;
import io.livehub.hooks.SecretAuthorizer;
import io.livehub.rtmp.RtmpModule;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Calls every endpoint over HTTP, with and without credentials, on a server without streams. */
class ManagementHttpServiceTest {

    private static final String TOKEN = "t0k-3n";
    private static final String BEARER = "Bearer " + TOKEN;
    private static final String BASIC = "Basic "
            + Base64.getEncoder().encodeToString(("admin:" + TOKEN).getBytes(StandardCharsets.UTF_8));

    private static final List<String> GETS = List.of("/api/v1/versions", "/api/v1/summaries", "/api/v1/streams",
            "/api/v1/streams/vid-0000000000", "/api/v1/clients", "/api/v1/clients/1", "/api/v1/secret",
            "/api/v1/nothing", "/api/");

    private final SecretAuthorizer secrets = new SecretAuthorizer("pub");
    private MediaServer server;

    private ApiClient start(String token, String authorization) throws Exception {
        Builder b = MediaServer.builder().httpPort(0).listener(secrets)
                .module(RtmpModule.builder().host("127.0.0.1").port(0).build());
        server = b.build();
        server.httpRoutes().add(new ManagementHttpService(new ManagementApi(server, secrets), token));
        server.start();
        return new ApiClient(server.port("http"), authorization);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void everyEndpointWantsTheTokenWhenOneIsConfigured() throws Exception {
        ApiClient api = start(TOKEN, BEARER);
        for (String auth : new String[] {null, "Bearer wrong", "Basic " + Base64.getEncoder().encodeToString(
                "admin:wrong".getBytes(StandardCharsets.UTF_8)), "Basic !!", TOKEN}) {
            for (String path : GETS) {
                ApiClient.Answer a = api.as(auth).get(path);
                assertEquals(401, a.status(), path + " with " + auth);
                assertEquals(401, a.code());
                assertEquals(List.of("Bearer realm=\"livehub\"", "Basic realm=\"livehub\", charset=\"UTF-8\""),
                        a.raw().headers().allValues("www-authenticate"));
            }
            assertEquals(401, api.as(auth).send("DELETE", "/api/v1/clients/1", null).status());
            assertEquals(401, api.as(auth).send("PUT", "/api/v1/secret", "{\"publish\":\"x\"}").status());
        }
        assertEquals("pub", secrets.secret(), "refused requests change nothing");
        for (String auth : new String[] {BEARER, BASIC}) {
            ApiClient a = api.as(auth);
            assertEquals(200, a.get("/api/v1/versions").status());
            assertEquals(200, a.get("/api/v1/streams").status());
            assertEquals(200, a.get("/api/v1/clients").status());
            assertEquals(200, a.get("/api/v1/summaries").status());
            assertEquals(200, a.get("/api/v1/secret").status());
        }
        assertEquals(404, api.get("/live/x.flv").status(), "paths outside /api/ are not the API's");
    }

    @Test
    void shapesAndErrorsOnLoopbackWithoutAToken() throws Exception {
        ApiClient api = start(null, null);

        ApiClient.Answer v = api.get("/api/v1/versions");
        assertEquals(200, v.status());
        assertEquals("application/json", v.raw().headers().firstValue("content-type").orElse(""));
        assertEquals(0, v.code());
        assertTrue(v.json().path("server").asText().startsWith("vid-"));
        JsonNode d = v.json().path("data");
        ServerVersion expected = ServerVersion.parse(MediaServer.VERSION);
        assertEquals(expected.major(), d.path("major").asInt());
        assertEquals(expected.minor(), d.path("minor").asInt());
        assertEquals(expected.revision(), d.path("revision").asInt());
        assertEquals(MediaServer.VERSION, d.path("version").asText());
        assertEquals(MediaServer.COMMIT, d.path("commit").asText());

        JsonNode s = api.get("/api/v1/summaries").json().path("data");
        assertTrue(s.path("ok").asBoolean());
        assertEquals(ProcessHandle.current().pid(), s.path("self").path("pid").asLong());
        assertTrue(s.path("self").path("mem_kbyte").asLong() > 0);
        assertEquals(server.port("rtmp"), s.path("livehub").path("ports").path("rtmp").asInt());
        assertEquals(server.port("http"), s.path("livehub").path("ports").path("http").asInt());
        assertEquals(0, s.path("livehub").path("streams").asInt());
        assertTrue(s.path("livehub").path("uptime_ms").asLong() >= 0);
        assertTrue(s.path("livehub").path("heap_used_bytes").asLong() > 0);

        assertEquals(0, api.get("/api/v1/streams").json().path("streams").size());
        assertEquals(0, api.get("/api/v1/clients/").json().path("clients").size(), "a trailing slash is fine");

        ApiClient.Answer noStream = api.get("/api/v1/streams/vid-0000000000");
        assertEquals(404, noStream.status());
        assertEquals(ManagementHttpService.CODE_STREAM_NOT_FOUND, noStream.code());
        ApiClient.Answer noClient = api.get("/api/v1/clients/999");
        assertEquals(404, noClient.status());
        assertEquals(ManagementHttpService.CODE_CLIENT_NOT_FOUND, noClient.code());
        assertEquals(ManagementHttpService.CODE_CLIENT_NOT_FOUND,
                api.send("DELETE", "/api/v1/clients/999", null).code());
        ApiClient.Answer unknown = api.get("/api/v2/whatever");
        assertEquals(404, unknown.status());
        assertEquals(404, unknown.code());
        ApiClient.Answer wrongMethod = api.send("POST", "/api/v1/streams", "{}");
        assertEquals(405, wrongMethod.status());
        assertEquals("GET", wrongMethod.raw().headers().firstValue("allow").orElse(""));
        assertEquals(405, api.send("DELETE", "/api/v1/versions", null).status());
        assertEquals(403, api.get("/api/v1/secret").status(), "no secret without a token");
    }

    @Test
    void secretReadAndRotated() throws Exception {
        ApiClient api = start(TOKEN, BASIC);
        JsonNode d = api.get("/api/v1/secret").json().path("data");
        assertEquals("pub", d.path("publish").asText());
        assertEquals("", d.path("play").asText());

        ApiClient.Answer put = api.send("PUT", "/api/v1/secret", "{\"publish\":\"n3w\"}");
        assertEquals(200, put.status());
        assertEquals("n3w", put.json().path("data").path("publish").asText());
        assertEquals("n3w", secrets.secret());
        assertEquals(null, secrets.playSecret());

        api.send("PUT", "/api/v1/secret", "{\"play\":\"pl4y\",\"publish\":\"\"}");
        assertEquals(null, secrets.secret(), "empty opens publishing");
        assertEquals("pl4y", secrets.playSecret());

        for (String bad : new String[] {"not json", "[]", "{}", "{\"publish\":5}", "{\"other\":\"x\"}", ""}) {
            ApiClient.Answer a = api.send("PUT", "/api/v1/secret", bad);
            assertEquals(400, a.status(), bad);
            assertEquals(400, a.code());
        }
        assertEquals("pl4y", secrets.playSecret());
        assertEquals(405, api.send("DELETE", "/api/v1/secret", null).status());
    }

    @Test
    void withoutAnAuthorizerTheSecretIsNotFound() throws Exception {
        server = MediaServer.builder().httpPort(0).build();
        ManagementApi plain = new ManagementApi(server);
        server.httpRoutes().add(new ManagementHttpService(plain, ""));
        server.start();
        assertFalse(plain.managesSecrets());
        ApiClient.Answer a = new ApiClient(server.port("http"), null).get("/api/v1/secret");
        assertEquals(404, a.status());
        assertEquals(404, a.code());
    }
}
