package io.livehub.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.MediaServer;
import io.livehub.rtmp.RtmpModule;
import io.livehub.testing.Json;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The console's files over HTTP: types, caching validators, the ports it reports, and no way out of its file set. */
class ConsoleModuleTest {

    private final HttpClient http = HttpClient.newHttpClient();
    private MediaServer server;
    private int port;

    @BeforeEach
    void start() throws Exception {
        server = MediaServer.builder().httpPort(0)
                .module(RtmpModule.builder().host("127.0.0.1").port(0).build())
                .module(ConsoleModule.builder().build()).start();
        port = server.port("http");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesPagesScriptsAndPlayerLibrariesWithTheirTypes() throws Exception {
        Map<String, String> types = Map.of(
                "/", "text/html; charset=utf-8",
                "/console/console.js", "text/javascript; charset=utf-8",
                "/console/console.css", "text/css; charset=utf-8",
                "/players/?app=live&stream=x", "text/html; charset=utf-8",
                "/players/player.js", "text/javascript; charset=utf-8",
                "/console/vendor/hls.min.js", "text/javascript; charset=utf-8",
                "/console/vendor/mpegts.js", "text/javascript; charset=utf-8");
        for (Map.Entry<String, String> e : types.entrySet()) {
            HttpResponse<String> r = get(e.getKey());
            assertEquals(200, r.statusCode(), e.getKey());
            assertEquals(e.getValue(), r.headers().firstValue("content-type").orElse(""), e.getKey());
            assertEquals("nosniff", r.headers().firstValue("x-content-type-options").orElse(""));
            assertTrue(r.headers().firstValue("content-security-policy").orElse("").contains("script-src 'self'"));
            assertFalse(r.body().isEmpty(), e.getKey());
        }
        assertTrue(get("/").body().contains("<title>Livehub console</title>"));
        assertTrue(get("/console/vendor/hls.min.js").headers().firstValue("cache-control").orElse("")
                .startsWith("public, max-age="));
        assertEquals("no-cache", get("/console/console.js").headers().firstValue("cache-control").orElse(""));
    }

    @Test
    void etagAnswers304() throws Exception {
        HttpResponse<String> first = get("/console/console.js");
        String etag = first.headers().firstValue("etag").orElseThrow();
        assertTrue(etag.matches("\"[0-9a-f]{24}\""), etag);
        HttpResponse<String> again = get("/console/console.js", "If-None-Match", etag);
        assertEquals(304, again.statusCode());
        assertEquals("", again.body());
        assertEquals(200, get("/console/console.js", "If-None-Match", "\"other\"").statusCode());
        HttpResponse<String> head = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/console/console.js")).method("HEAD",
                HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, head.statusCode());
        assertEquals(etag, head.headers().firstValue("etag").orElse(""));
        assertEquals("", head.body());
    }

    @Test
    void configTellsVersionAndBoundPorts() throws Exception {
        HttpResponse<String> r = get("/console/config.json");
        assertEquals(200, r.statusCode());
        assertEquals("application/json", r.headers().firstValue("content-type").orElse(""));
        Map<String, Object> json = Json.parseObject(r.body());
        assertEquals(MediaServer.VERSION, json.get("version"));
        assertEquals(MediaServer.COMMIT, json.get("commit"));
        assertEquals(server.port("rtmp"), ((Number) Json.at(json, "ports", "rtmp")).intValue());
        assertEquals(port, ((Number) Json.at(json, "ports", "http")).intValue());
    }

    @Test
    void bundledMpegtsIsThePinnedRelease() throws Exception {
        // mpegts.js 1.8.2, dist/mpegts.js of the npm package (see README.md); a new copy changes this.
        try (InputStream in = ConsoleModule.class.getClassLoader().getResourceAsStream(ConsoleModule.MPEGTS)) {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(in.readAllBytes());
            assertEquals("bda31748736a69cb610c2edf4623e633f1f4f47b5bda83668c8d287e51b0c3a8",
                    HexFormat.of().formatHex(hash));
        }
        assertEquals("1.4.12", ConsoleModule.webjarVersion(getClass().getClassLoader(), "hls.js"));
    }

    /** Sends a raw request line, so that no client normalises the path first. */
    private String raw(String target) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            OutputStream out = s.getOutputStream();
            out.write(("GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String head = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            return head.substring(0, head.indexOf("\r\n"));
        }
    }

    @Test
    void nothingOutsideItsFilesIsServed() throws Exception {
        for (String target : new String[] {"/console/../../pom.xml", "/console/%2e%2e/%2e%2e/pom.xml",
                "/console/..%2fMediaServer.class", "/console/www/index.html", "/io/livehub/console/www/index.html",
                "/console/vendor/../ConsoleModule.class", "/console//console.js", "/console/console.js%00",
                "/META-INF/resources/webjars/hls.js/1.4.12/dist/hls.min.js", "/console/vendor/hls.js"}) {
            assertEquals("HTTP/1.1 404 Not Found", raw(target), target);
        }
        assertEquals(405, http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode());
    }
}
