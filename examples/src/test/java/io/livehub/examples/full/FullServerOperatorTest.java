package io.livehub.examples.full;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.MediaServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The full server's operator features: --version, /metrics, the console, /healthz and /readyz, and their switches. */
class FullServerOperatorTest {

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(LivehubServer s, String path, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.server().port("http") + path));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String[] args(String... more) {
        String[] base = {"--rtmp-port=0", "--http-port=0", "--srt-port=0", "--host=127.0.0.1", "--data-dir=" + dir};
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    @Test
    void versionFlagPrintsVersionAndCommit() {
        assertThrows(ServerOptions.VersionRequested.class,
                () -> ServerOptions.parse(new String[] {"--rtmp-port=1", "--version"}, Map.of()));
        String line = OperatorOptions.versionLine();
        assertTrue(line.startsWith("livehub-server " + MediaServer.VERSION + " (commit " + MediaServer.COMMIT), line);
        assertTrue(ServerOptions.USAGE.contains("--version"));
    }

    @Test
    void switchesFromFlagsOverEnvironment() {
        OperatorOptions d = ServerOptions.parse(new String[0], Map.of()).operator();
        assertTrue(d.metrics());
        assertTrue(d.console());
        assertNull(d.metricsToken());
        OperatorOptions o = ServerOptions.parse(new String[] {"--metrics=false"},
                Map.of("LIVEHUB_CONSOLE", "off", "LIVEHUB_METRICS", "true", "LIVEHUB_METRICS_TOKEN", " m ")).operator();
        assertFalse(o.metrics());
        assertFalse(o.console());
        assertEquals("m", o.metricsToken());
        assertThrows(IllegalArgumentException.class,
                () -> ServerOptions.parse(new String[] {"--console=maybe"}, Map.of()));
    }

    @Test
    void servesMetricsConsoleAndHealthByDefault() throws Exception {
        ServerOptions o = ServerOptions.parse(args(), Map.of("LIVEHUB_SECRET", "", "LIVEHUB_METRICS_TOKEN", "mt"));
        try (LivehubServer s = LivehubServer.start(o)) {
            assertEquals(401, get(s, "/metrics", null).statusCode());
            HttpResponse<String> m = get(s, "/metrics", "Bearer mt");
            assertEquals(200, m.statusCode());
            assertTrue(m.body().contains("livehub_build_info{version=\"" + MediaServer.VERSION + "\"} 1"), m.body());
            HttpResponse<String> console = get(s, "/", null);
            assertEquals(200, console.statusCode());
            assertTrue(console.body().contains("<title>Livehub console</title>"));
            assertEquals(200, get(s, "/players/?app=live&stream=livestream", null).statusCode());
            assertEquals("{\"status\":\"ready\"}\n", get(s, "/readyz", null).body());
            assertEquals(200, get(s, "/healthz", null).statusCode());
            String config = get(s, "/console/config.json", null).body();
            assertTrue(config.contains("\"rtmp\":" + s.server().port("rtmp")), config);
            assertTrue(config.contains("\"srt\":" + s.server().port("srt")), config);
        }
    }

    @Test
    void metricsAndConsoleCanBeTurnedOff() throws Exception {
        ServerOptions o = ServerOptions.parse(args("--metrics=false", "--console=false"), Map.of("LIVEHUB_SECRET", ""));
        try (LivehubServer s = LivehubServer.start(o)) {
            assertEquals(404, get(s, "/metrics", null).statusCode());
            assertEquals(404, get(s, "/", null).statusCode());
            assertEquals(200, get(s, "/readyz", null).statusCode());
        }
    }
}
