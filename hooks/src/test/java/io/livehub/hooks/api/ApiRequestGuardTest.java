package io.livehub.hooks.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.MediaServer;
import io.livehub.hooks.SecretAuthorizer;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A web page must not drive or read the management API through the visitor's browser: no CORS
 * header for it, cross-origin and non-JSON writes refused, foreign Host names (DNS rebinding)
 * refused; the secret is not served without a token (issue 13, item 2; issue 17). Raw sockets,
 * because an HTTP client library will not send a made-up Host.
 */
class ApiRequestGuardTest {

    private static final String TOKEN = "t0k-3n";
    private final SecretAuthorizer secrets = new SecretAuthorizer("pub");
    private MediaServer server;
    private int port;

    private void start(ApiRequestGuard guard) throws Exception {
        server = MediaServer.builder().httpPort(0).listener(secrets).build();
        server.httpRoutes().add(new ManagementHttpService(new ManagementApi(server, secrets), guard));
        server.start();
        port = server.port("http");
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** A raw answer: status line code and the head's lines. */
    private record Raw(int status, List<String> head, String body) {
        String header(String name) {
            for (String h : head) {
                int colon = h.indexOf(':');
                if (colon > 0 && h.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    return h.substring(colon + 1).trim();
                }
            }
            return null;
        }
    }

    private Raw request(String method, String path, String body, String... headers) throws Exception {
        StringBuilder sb = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
        boolean hostGiven = false;
        for (String h : headers) {
            hostGiven |= h.toLowerCase().startsWith("host:");
            sb.append(h).append("\r\n");
        }
        if (!hostGiven) {
            sb.append("Host: 127.0.0.1:").append(port).append("\r\n");
        }
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        sb.append("Content-Length: ").append(bytes.length).append("\r\nConnection: close\r\n\r\n");
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(sb.toString().getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            String text = all.toString(StandardCharsets.UTF_8);
            int end = text.indexOf("\r\n\r\n");
            List<String> head = List.of(text.substring(0, end).split("\r\n"));
            return new Raw(Integer.parseInt(head.get(0).split(" ")[1]), head, text.substring(end + 4));
        }
    }

    @Test
    void withoutATokenPagesOnOtherOriginsGetNothing() throws Exception {
        start(ApiRequestGuard.of(null));
        Raw same = request("GET", "/api/v1/versions", null);
        assertEquals(200, same.status());
        assertNull(same.header("Access-Control-Allow-Origin"), "no CORS for the API, whatever the endpoint's");

        Raw crossGet = request("GET", "/api/v1/streams", null, "Origin: http://evil.example");
        assertEquals(403, crossGet.status());
        assertNull(crossGet.header("Access-Control-Allow-Origin"));

        Raw sameOriginPage = request("GET", "/api/v1/streams", null, "Origin: http://127.0.0.1:" + port);
        assertEquals(200, sameOriginPage.status(), "a page served by the server itself may call it");

        for (String m : new String[] {"POST", "PUT"}) {
            Raw textPlain = request(m, "/api/v1/secret", "{\"publish\":\"x\"}", "Content-Type: text/plain");
            assertEquals(415, textPlain.status(), m);
            Raw crossPlain = request(m, "/api/v1/secret", "{\"publish\":\"x\"}",
                    "Content-Type: text/plain", "Origin: http://evil.example");
            assertEquals(403, crossPlain.status(), m);
            Raw crossJson = request(m, "/api/v1/secret", "{\"publish\":\"x\"}",
                    "Content-Type: application/json", "Origin: null");
            assertEquals(403, crossJson.status(), m);
        }
        assertEquals(404, request("DELETE", "/api/v1/clients/1", null).status(),
                "DELETE carries no body and is not asked for a type (the client is unknown)");
        assertEquals("pub", secrets.secret(), "refused writes change nothing");

        Raw rebound = request("GET", "/api/v1/streams", null, "Host: attacker.example:" + port);
        assertEquals(403, rebound.status(), "DNS rebinding: a foreign Host");
        for (String host : new String[] {"localhost:" + port, "127.0.0.1", "[::1]:" + port, "LOCALHOST"}) {
            assertEquals(200, request("GET", "/api/v1/streams", null, "Host: " + host).status(), host);
        }
    }

    @Test
    void withoutATokenTheSecretIsNotServed() throws Exception {
        start(ApiRequestGuard.of(null));
        Raw get = request("GET", "/api/v1/secret", null);
        assertEquals(403, get.status());
        assertFalse(get.body().contains("pub"), get.body());
        Raw put = request("PUT", "/api/v1/secret", "{\"publish\":\"x\"}", "Content-Type: application/json");
        assertEquals(403, put.status());
        assertEquals("pub", secrets.secret());
    }

    @Test
    void withATokenCorsIsAsConfiguredAndTheRestHolds() throws Exception {
        start(ApiRequestGuard.builder().token(TOKEN).allowedOrigins(List.of("https://console.example")).build());
        String auth = "Authorization: Bearer " + TOKEN;

        Raw plain = request("GET", "/api/v1/versions", null, auth);
        assertEquals(200, plain.status());
        assertNull(plain.header("Access-Control-Allow-Origin"));

        Raw foreign = request("GET", "/api/v1/streams", null, auth, "Origin: http://evil.example");
        assertEquals(403, foreign.status());
        assertNull(foreign.header("Access-Control-Allow-Origin"));

        Raw console = request("GET", "/api/v1/streams", null, auth, "Origin: https://console.example");
        assertEquals(200, console.status());
        assertEquals("https://console.example", console.header("Access-Control-Allow-Origin"));

        assertEquals(415, request("PUT", "/api/v1/secret", "{\"publish\":\"x\"}", auth,
                "Content-Type: text/plain").status());
        assertEquals(403, request("POST", "/api/v1/secret", "{\"publish\":\"x\"}", auth,
                "Content-Type: text/plain", "Origin: http://evil.example").status());
        assertEquals("pub", secrets.secret());
        Raw put = request("PUT", "/api/v1/secret", "{\"publish\":\"n3w\"}", auth,
                "Content-Type: application/json; charset=utf-8");
        assertEquals(200, put.status());
        assertEquals("n3w", secrets.secret());
        // With a token the Host is not the machine's behind a proxy or a public name: served.
        assertEquals(200, request("GET", "/api/v1/streams", null, auth, "Host: live.example.com").status());
    }

    @Test
    void withATokenAndAHostListForeignHostsAreRefused() throws Exception {
        start(ApiRequestGuard.builder().token(TOKEN).allowedHosts(List.of("live.example.com")).build());
        String auth = "Authorization: Bearer " + TOKEN;
        assertEquals(200, request("GET", "/api/v1/streams", null, auth, "Host: live.example.com:443").status());
        assertEquals(403, request("GET", "/api/v1/streams", null, auth, "Host: attacker.example").status());
    }

    @Test
    void hostNamesAreParsedWithoutPortsAndBrackets() {
        assertEquals("localhost", ApiRequestGuard.hostName("LocalHost:8080"));
        assertEquals("0:0:0:0:0:0:0:1", ApiRequestGuard.hostName("[::1]:1985"));
        assertEquals("live.example.com", ApiRequestGuard.hostName("live.example.com."));
        assertNull(ApiRequestGuard.hostName("[::1"));
        assertTrue(ApiRequestGuard.of(null).access().toString().contains("loopback"));
    }
}
