package io.livehub.mp4;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.MediaServer;
import io.livehub.testing.Await;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Serves finished recordings over HTTP with ranges, behind an access rule; deletes old ones. */
class RecordHttpTest {

    @TempDir
    Path dir;

    private Path root;
    private MediaServer server;
    private final HttpClient client = HttpClient.newHttpClient();
    private byte[] big;

    @BeforeEach
    void files() throws Exception {
        root = dir.resolve("rec");
        Files.createDirectories(root.resolve("live"));
        big = new byte[9 << 20]; // three file regions
        new Random(7).nextBytes(big);
        Files.write(root.resolve("live/cam1-1.mp4"), big);
        Files.writeString(root.resolve("live/cam1-2.mp4.part"), "in progress");
        Files.writeString(dir.resolve("secret.mp4"), "outside the root");
        Files.createSymbolicLink(root.resolve("live/link.mp4"), dir.resolve("secret.mp4"));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private void start(Mp4RecordModule.Builder module) throws Exception {
        server = MediaServer.builder().httpPort(0).module(module.build()).start();
    }

    private HttpResponse<byte[]> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port("http") + path));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void servesFinishedFilesWithRanges() throws Exception {
        start(Mp4RecordModule.builder(root).httpPath("/record/"));
        HttpResponse<byte[]> full = get("/record/live/cam1-1.mp4");
        assertEquals(200, full.statusCode());
        assertArrayEquals(big, full.body());
        assertEquals("video/mp4", full.headers().firstValue("content-type").orElse(""));
        assertEquals("bytes", full.headers().firstValue("accept-ranges").orElse(""));

        HttpResponse<byte[]> part = get("/record/live/cam1-1.mp4", "Range", "bytes=10-19");
        assertEquals(206, part.statusCode());
        assertEquals("bytes 10-19/" + big.length, part.headers().firstValue("content-range").orElse(""));
        assertArrayEquals(Arrays.copyOfRange(big, 10, 20), part.body());

        HttpResponse<byte[]> tail = get("/record/live/cam1-1.mp4", "Range", "bytes=-5");
        assertArrayEquals(Arrays.copyOfRange(big, big.length - 5, big.length), tail.body());
        HttpResponse<byte[]> open = get("/record/live/cam1-1.mp4", "Range", "bytes=" + (big.length - 3) + "-");
        assertArrayEquals(Arrays.copyOfRange(big, big.length - 3, big.length), open.body());

        HttpResponse<byte[]> beyond = get("/record/live/cam1-1.mp4", "Range", "bytes=" + big.length + "-");
        assertEquals(416, beyond.statusCode());
        assertEquals("bytes */" + big.length, beyond.headers().firstValue("content-range").orElse(""));

        HttpResponse<byte[]> head = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + server.port("http") + "/record/live/cam1-1.mp4")).method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, head.statusCode());
        assertEquals(String.valueOf(big.length), head.headers().firstValue("content-length").orElse(""));
        assertEquals(0, head.body().length);

        HttpResponse<byte[]> post = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + server.port("http") + "/record/live/cam1-1.mp4")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(405, post.statusCode());
    }

    @Test
    void neverServesFilesInProgressOrOutsideTheRoot() throws Exception {
        start(Mp4RecordModule.builder(root).httpPath("/record/"));
        for (String path : new String[] {"/record/live/cam1-2.mp4.part", "/record/live/cam1-2.mp4",
            "/record/%2e%2e/secret.mp4", "/record/live/%2e%2e/%2e%2e/secret.mp4", "/record/live/link.mp4",
            "/record/live/..%2f..%2fsecret.mp4", "/record/live/cam1-1.mp4%00.txt", "/record/", "/record/live"}) {
            assertEquals(404, get(path).statusCode(), path);
        }
    }

    @Test
    void asksTheAccessRule() throws Exception {
        start(Mp4RecordModule.builder(root).httpPath("/record/").httpAccess((remote, auth) ->
                "Bearer s3cret".equals(auth) ? RecordHttpAccess.Verdict.ALLOW : RecordHttpAccess.Verdict.UNAUTHORIZED));
        HttpResponse<byte[]> denied = get("/record/live/cam1-1.mp4");
        assertEquals(401, denied.statusCode());
        assertTrue(denied.headers().firstValue("www-authenticate").isPresent());
        assertEquals(200, get("/record/live/cam1-1.mp4", "Authorization", "Bearer s3cret").statusCode());
    }

    @Test
    void deletesRecordingsOlderThanTheRetention() throws Exception {
        Path old = root.resolve("live/old.mp4");
        Files.writeString(old, "old");
        Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(Duration.ofDays(8))));
        Path oldPart = root.resolve("live/old2.mp4.part");
        Files.writeString(oldPart, "x");
        Files.setLastModifiedTime(oldPart, FileTime.from(Instant.now().minus(Duration.ofDays(8))));
        start(Mp4RecordModule.builder(root).retention(Duration.ofDays(7))
                .config(c -> c.recoverAtStart(false)));
        Await.until(() -> !Files.exists(old), 10, "old recording deleted");
        assertTrue(Files.exists(root.resolve("live/cam1-1.mp4")), "a new recording stays");
        assertTrue(Files.exists(oldPart), "a file in progress is not the retention's");
        assertFalse(Files.exists(old));
    }

    @Test
    void deletesTheOldestRecordingsWhileSpaceIsShort() throws Exception {
        Path a = root.resolve("live/a.mp4");
        Path b = root.resolve("live/b.flv");
        Files.writeString(a, "a");
        Files.writeString(b, "b");
        Files.setLastModifiedTime(a, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
        Files.setLastModifiedTime(b, FileTime.from(Instant.now().minus(Duration.ofHours(1))));
        // More free space than any disk has: every finished recording goes, oldest first.
        start(Mp4RecordModule.builder(root).minFreeBytes(Long.MAX_VALUE).config(c -> c.recoverAtStart(false)));
        Await.until(() -> !Files.exists(b), 10, "recordings deleted");
        assertFalse(Files.exists(a));
        assertFalse(Files.exists(root.resolve("live/cam1-1.mp4")));
        assertTrue(Files.exists(root.resolve("live/cam1-2.mp4.part")), "a file in progress is never deleted");
    }
}
