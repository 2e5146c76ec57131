package io.livehub.examples.full;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checks that the full server serves the management API with LIVEHUB_API_TOKEN, or on loopback without it. */
class FullServerApiTest {

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(LivehubServer s, String path, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + s.server().port("http") + path));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String[] args() {
        return new String[] {"--rtmp-port=0", "--http-port=0", "--srt-port=0", "--host=127.0.0.1", "--data-dir=" + dir};
    }

    @Test
    void theTokenIsRequiredWhenSet() throws Exception {
        ServerOptions o = ServerOptions.parse(args(), Map.of("LIVEHUB_API_TOKEN", " tok ", "LIVEHUB_SECRET", "pub"));
        assertEquals("tok", o.apiToken());
        try (LivehubServer s = LivehubServer.start(o)) {
            assertEquals(401, get(s, "/api/v1/versions", null).statusCode());
            assertEquals(401, get(s, "/api/v1/secret", "Bearer pub").statusCode());
            HttpResponse<String> ok = get(s, "/api/v1/secret", "Bearer tok");
            assertEquals(200, ok.statusCode());
            assertTrue(ok.body().contains("\"publish\":\"pub\""), ok.body());
            assertEquals("pub", s.api().secret());
        }
    }

    @Test
    void withoutATokenLoopbackIsServed() throws Exception {
        ServerOptions o = ServerOptions.parse(args(), Map.of("LIVEHUB_API_TOKEN", "", "LIVEHUB_SECRET", ""));
        assertNull(o.apiToken());
        try (LivehubServer s = LivehubServer.start(o)) {
            HttpResponse<String> r = get(s, "/api/v1/streams", null);
            assertEquals(200, r.statusCode());
            assertTrue(r.body().contains("\"streams\":[]"), r.body());
            assertEquals(403, get(s, "/api/v1/secret", null).statusCode(), "the secret needs a token");
            HttpResponse<String> cross = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + s.server().port("http") + "/api/v1/secret"))
                    .header("Origin", "http://evil.example").header("Content-Type", "text/plain")
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"publish\":\"x\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(403, cross.statusCode(), "a page on another origin cannot change the secret");
            assertTrue(cross.headers().firstValue("access-control-allow-origin").isEmpty());
        }
    }

    @Test
    void recordOnRecordsEveryStreamAndServesTheFilesBehindTheToken() throws Exception {
        ServerOptions o = ServerOptions.parse(args(), Map.of("LIVEHUB_API_TOKEN", "tok", "LIVEHUB_SECRET", "",
                "RECORD", "on"));
        try (LivehubServer s = LivehubServer.start(o);
                io.livehub.testing.FlvFrames flv = io.livehub.testing.FlvFrames.read("h264_aac.flv")) {
            io.livehub.media.StreamKey key = io.livehub.media.StreamKey.of("live", "rec");
            io.livehub.hub.Publication p = s.server().hub().publish(key, s.server().transport().workerGroup().next(), "t");
            io.livehub.testing.Await.until(() -> s.server().hub().stream(key).subscriberCount() == 1, 10,
                    "the recorder subscribes");
            p.executor().submit(() -> {
                for (io.livehub.media.MediaFrame f : flv.frames) {
                    p.publish(f.retain());
                }
                p.close();
            }).get(10, java.util.concurrent.TimeUnit.SECONDS);
            Path folder = dir.resolve("record/live");
            java.util.function.Supplier<java.util.List<Path>> finished = () -> {
                try (var files = java.nio.file.Files.list(folder)) {
                    return files.filter(f -> f.getFileName().toString().endsWith(".mp4")).toList();
                } catch (java.io.IOException e) {
                    return java.util.List.of();
                }
            };
            io.livehub.testing.Await.until(() -> finished.get().size() == 1, 20, "a finished recording");
            Path file = finished.get().get(0);
            String url = "/record/live/" + file.getFileName();
            assertEquals(401, get(s, url, null).statusCode());
            HttpResponse<byte[]> ok = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + s.server().port("http") + url)).header("Authorization", "Bearer tok").build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, ok.statusCode());
            assertEquals("video/mp4", ok.headers().firstValue("content-type").orElse(""));
            assertTrue(java.util.Arrays.equals(java.nio.file.Files.readAllBytes(file), ok.body()));
        }
    }
}
