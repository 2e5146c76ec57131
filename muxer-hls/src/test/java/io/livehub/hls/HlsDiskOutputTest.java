package io.livehub.hls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.MediaServer;
import io.livehub.event.HlsSegmentEvent;
import io.livehub.event.MediaServerListener;
import io.livehub.hls.internal.HlsDiskWriter;
import io.livehub.hub.HubConfig;
import io.livehub.hub.Publication;
import io.livehub.media.StreamKey;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Disk output ({@link HlsConfig#outputDirectory()}): files under {@code root/{app}/}, the same
 * bytes as over HTTP, no temporary file left, segments leaving the window deleted, everything
 * deleted when the muxer is released, segment events with the file path, and no path outside
 * the root whatever the names say.
 */
class HlsDiskOutputTest {

    private static final StreamKey KEY = StreamKey.of("live", "d");

    @TempDir
    Path root;

    private MediaServer server;
    private String http;
    private final HttpClient client = HttpClient.newHttpClient();
    private final List<HlsSegmentEvent> events = new CopyOnWriteArrayList<>();
    private long publishedMs;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void hostileNamesNeverLeaveTheRoot() {
        Path r = root.resolve("hls");
        assertEquals(r.resolve("live").resolve("a.m3u8"), HlsDiskWriter.resolve(r, "live", "a.m3u8"));
        for (String bad : new String[] {"..", ".", "../x", "a/../../b", "/etc/passwd", "a\\b", "a\u0000b", "a\nb",
                "", "c:x", "x".repeat(300)}) {
            assertNull(HlsDiskWriter.resolve(r, "live", bad), bad);
            assertNull(HlsDiskWriter.resolve(r, bad, "a.m3u8"), bad);
        }
        // A nested app is a nested folder, still inside the root.
        assertEquals(r.resolve("live").resolve("sub").resolve("a.m3u8"), HlsDiskWriter.resolve(r, "live/sub", "a.m3u8"));
        for (String bad : new String[] {"live/..", "live/../..", "live//sub", "live/", "/live", "live/./x"}) {
            assertNull(HlsDiskWriter.resolve(r, bad, "a.m3u8"), bad);
        }
        // Names that look odd but are plain file names stay inside.
        Path odd = HlsDiskWriter.resolve(r, "live", "..a");
        assertNotNull(odd);
        assertTrue(odd.startsWith(r));
    }

    @Test
    void writesPlaylistsAndSegmentsAtomicallyAndDeletesThem() throws Exception {
        Path dir = root.resolve("hls");
        start(HlsConfig.builder().muxing(HlsMuxing.ALWAYS).outputDirectory(dir).endedRetention(Duration.ofSeconds(1))
                .playSessions(false).build());
        Publication p = server.hub().publish(KEY, server.transport().workerGroup().next(), "pub");
        await(() -> server.hub().stream(KEY).subscriberCount() == 1);
        publish(p, 30_000);
        Path playlist = dir.resolve("live").resolve("d.m3u8");
        // 30 s: segments 0-13 complete (the one from 28 s waits for the keyframe at 30 s); the
        // window holds the last six, so eight left it. Then disk and HTTP agree.
        await(() -> !events.isEmpty());
        long first = events.get(0).seqNo();
        awaitOrShow(() -> read(playlist).contains("d-" + (first + 13) + ".ts\n")
                        && get("/live/d.m3u8").equals(read(playlist)),
                () -> files(dir.resolve("live")) + "\n" + read(playlist));
        String text = read(playlist);
        PlaylistChecker.Playlist listed = PlaylistChecker.parse(text);
        assertEquals(6, listed.segments.size(), text);
        String last = listed.segments.get(5).uri;
        byte[] file = Files.readAllBytes(dir.resolve("live").resolve(last));
        byte[] served = client.send(HttpRequest.newBuilder(URI.create(http + "/live/" + last)).build(),
                HttpResponse.BodyHandlers.ofByteArray()).body();
        assertArrayEquals(served, file, "the same bytes as over HTTP");
        // Exactly the listed segments and the playlist: those that left the window are gone, and
        // no temporary file is left.
        List<String> expected = new java.util.ArrayList<>();
        listed.segments.forEach(seg -> expected.add(seg.uri));
        expected.add("d.m3u8");
        expected.sort(null);
        awaitOrShow(() -> files(dir.resolve("live")).equals(expected), () -> files(dir.resolve("live")) + "\n" + text);
        // Events name the files.
        await(() -> events.size() >= 6);
        HlsSegmentEvent e = events.get(events.size() - 1);
        assertEquals(dir.resolve("live").resolve("d-" + e.seqNo() + ".ts").toString(), e.file());
        assertEquals(playlist.toString(), e.m3u8());
        assertEquals("/live/d-" + e.seqNo() + ".ts", e.url());

        p.close();
        await(() -> read(playlist).endsWith("#EXT-X-ENDLIST\n"));
        // Released after the retention time: its files are deleted.
        await(() -> files(dir.resolve("live")).isEmpty());
    }

    @Test
    void lowLatencyFmp4WritesThePlainPlaylistAndInitSegment() throws Exception {
        Path dir = root.resolve("out");
        start(HlsConfig.builder().muxing(HlsMuxing.ALWAYS).segmentFormat(HlsSegmentFormat.FMP4).lowLatency(true)
                .outputDirectory(dir).build());
        Publication p = server.hub().publish(KEY, server.transport().workerGroup().next(), "pub");
        await(() -> server.hub().stream(KEY).subscriberCount() == 1);
        publish(p, 9000);
        Path playlist = dir.resolve("live").resolve("d.m3u8");
        await(() -> !events.isEmpty());
        long first = events.get(0).seqNo();
        await(() -> read(playlist).contains("d-" + (first + 3) + ".m4s\n"));
        String text = read(playlist);
        assertFalse(text.contains("#EXT-X-PART"), text);
        assertFalse(text.contains("#EXT-X-SERVER-CONTROL"), text);
        assertTrue(text.contains("#EXT-X-MAP:URI=\"d-init-" + first + ".mp4\"\n"), text);
        assertTrue(Files.size(dir.resolve("live").resolve("d-init-" + first + ".mp4")) > 100);
        assertTrue(Files.size(dir.resolve("live").resolve("d-" + (first + 3) + ".m4s")) > 100);
        p.close();
    }

    @Test
    void aNestedAppIsWrittenInNestedFoldersInsideTheRoot() throws Exception {
        Path dir = root.resolve("nested");
        StreamKey nested = StreamKey.of("live/sub", "nested");
        start(HlsConfig.builder().muxing(HlsMuxing.ALWAYS).outputDirectory(dir).playSessions(false).build());
        Publication p = server.hub().publish(nested, server.transport().workerGroup().next(), "pub");
        await(() -> server.hub().stream(nested).subscriberCount() == 1);
        publish(p, 6000);
        Path playlist = dir.resolve("live").resolve("sub").resolve("nested.m3u8");
        await(() -> read(playlist).contains(".ts\n"));
        String text = read(playlist);
        String segment = PlaylistChecker.parse(text).segments.get(0).uri;
        assertTrue(Files.size(playlist.resolveSibling(segment)) > 1000, segment);
        assertEquals(text, get("/live/sub/nested.m3u8"), "disk and memory agree");
        p.close();
    }

    @Test
    void filesLeftByAPreviousRunAreRemovedAtStart() throws Exception {
        // What a server killed with -9 leaves: playlists without ENDLIST, segments, init segments,
        // a temporary file, in flat and nested app folders; and files that are not ours.
        Path dir = root.resolve("left");
        Path live = Files.createDirectories(dir.resolve("live"));
        Path sub = Files.createDirectories(live.resolve("sub"));
        for (Path f : List.of(live.resolve("gone.m3u8"), live.resolve("gone-2195000000.ts"),
                live.resolve("gone-2195000001.m4s"), live.resolve("gone-init-2195000000.mp4"),
                live.resolve(".gone.m3u8.tmp"), sub.resolve("deep.m3u8"), sub.resolve("deep-7.ts"))) {
            Files.writeString(f, "#EXTM3U\n");
        }
        Files.writeString(dir.resolve("index.html"), "not ours");
        Files.writeString(live.resolve("notes.txt"), "not ours");
        start(HlsConfig.builder().outputDirectory(dir).build());
        awaitOrShow(() -> files(live).equals(List.of("notes.txt")), () -> files(live).toString());
        assertFalse(Files.exists(sub), "a folder left empty is removed");
        assertTrue(Files.exists(dir.resolve("index.html")));
    }

    private void start(HlsConfig config) throws Exception {
        server = MediaServer.builder().httpPort(0).hub(HubConfig.builder().timestampCorrection(false).build())
                .module(new HlsModule(config))
                .listener(new MediaServerListener() {
                    @Override
                    public void onHlsSegment(HlsSegmentEvent event) {
                        events.add(event);
                    }
                })
                .start();
        http = "http://127.0.0.1:" + server.port("http");
    }

    /**
     * Publishes in one-second steps a few times faster than real time, so that the muxer's hub
     * queue (1024 frames) does not overflow even with paranoid leak detection.
     */
    private void publish(Publication p, long ms) throws InterruptedException {
        for (long end = publishedMs + ms; publishedMs < end; publishedMs += 1000) {
            SyntheticMedia.feed(publishedMs, publishedMs + 1000, 0, SyntheticMedia.VIDEO, SyntheticMedia.AUDIO,
                    p::publish);
            Thread.sleep(100);
        }
    }

    private String get(String path) {
        try {
            return client.send(HttpRequest.newBuilder(URI.create(http + path)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            return "";
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }

    private static List<String> files(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(f -> f.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            return List.of("?");
        }
    }

    private static void awaitOrShow(BooleanSupplier cond, java.util.function.Supplier<String> show)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!cond.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, () -> "condition not met in 20 s: " + show.get());
            Thread.sleep(100);
        }
    }

    private static void await(BooleanSupplier cond) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!cond.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "condition not met in 20 s");
            Thread.sleep(100);
        }
    }
}
