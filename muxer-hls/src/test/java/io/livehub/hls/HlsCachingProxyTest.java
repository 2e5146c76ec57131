package io.livehub.hls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.MediaServer;
import io.livehub.media.StreamKey;
import io.livehub.rtmp.RtmpModule;
import io.livehub.testing.Await;
import io.livehub.testing.ExternalProcess;
import io.livehub.testing.Ffprobe;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Puts a caching nginx in front of Low-Latency HLS, as a CDN would be: nginx's {@code proxy_cache}
 * with nothing tuned, so that it caches only what the response headers allow. Segments, parts, the
 * init segment and blocking playlist reloads must be served from the cache on a second request with
 * the same bytes; the plain playlist must keep moving (a cache never serves a stale window); and
 * ffmpeg plays through the proxy. Tagged {@code interop} (needs nginx and ffmpeg).
 */
@Tag("interop")
class HlsCachingProxyTest {

    @TempDir
    Path dir;

    private MediaServer server;
    private ExternalProcess publisher;
    private ExternalProcess nginx;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void stop() throws Exception {
        if (nginx != null) {
            nginx.close();
        }
        if (publisher != null) {
            publisher.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void cachingNginxServesSegmentsPartsAndBlockingReloadsFromItsCacheAndKeepsPlaylistsFresh() throws Exception {
        server = MediaServer.builder().httpPort(0)
                .module(RtmpModule.builder().host("127.0.0.1").port(0).build())
                // Behind a caching CDN play sessions are off: per-viewer playlists must not be cached.
                .module(HlsModule.builder().config(HlsConfig.builder().segmentFormat(HlsSegmentFormat.FMP4)
                        .lowLatency(true).playSessions(false).build()).build())
                .start();
        String origin = "http://127.0.0.1:" + server.port("http");
        publisher = ExternalProcess.start(dir, "ffmpeg", "-hide_banner", "-loglevel", "error", "-re",
                "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
                "-t", "60", "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency",
                "-g", "25", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "64k", "-f", "flv",
                "rtmp://127.0.0.1:" + server.port("rtmp") + "/live/c");
        Await.live(server, StreamKey.of("live", "c"), 25);

        String cdn = startNginx(origin);

        // Wait until the playlist lists two complete segments.
        PlaylistChecker.Playlist first = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (first == null || first.segments.size() < 2) {
            assertTrue(System.nanoTime() < deadline, "no playlist with two segments through the proxy");
            Thread.sleep(200);
            HttpResponse<String> r = get(cdn + "/live/c.m3u8");
            if (r.statusCode() == 200) {
                first = new PlaylistChecker().check(r.body());
            }
        }

        // Segments, the init segment and parts: a miss, then a hit with the origin's bytes.
        PlaylistChecker.Segment segment = first.segments.get(0);
        assertCachedLikeOrigin(cdn, origin, "/live/" + segment.uri);
        assertCachedLikeOrigin(cdn, origin, "/live/" + segment.map);
        assertCachedLikeOrigin(cdn, origin, "/live/" + first.partUris().get(first.partUris().size() - 1));

        // A blocking reload for the next part is answered when the part exists; the same request
        // again is served by the cache, so a CDN collapses the viewers waiting for the same part.
        PlaylistChecker.Playlist latest = new PlaylistChecker().check(get(cdn + "/live/c.m3u8").body());
        long msn = latest.nextSequence();
        int part = latest.trailingParts.size();
        String wanted = "c-" + msn + "." + part + ".m4s";
        String blocking = "/live/c.m3u8?_HLS_msn=" + msn + "&_HLS_part=" + part;
        HttpResponse<String> held = get(cdn + blocking);
        assertEquals(200, held.statusCode(), held.body());
        PlaylistChecker.Playlist answered = new PlaylistChecker().check(held.body());
        assertTrue(answered.partUris().contains(wanted) || answered.nextSequence() > msn,
                "the blocking reload through the proxy holds " + wanted + "\n" + held.body());
        HttpResponse<String> again = get(cdn + blocking);
        assertEquals("HIT", again.headers().firstValue("x-cache-status").orElse(""), again.headers().toString());
        assertEquals(held.body(), again.body());

        // The plain playlist is cached for at most its max-age: through the proxy it moves on.
        long startSequence = new PlaylistChecker().check(get(cdn + "/live/c.m3u8").body()).nextSequence();
        await(() -> {
            try {
                return new PlaylistChecker().check(get(cdn + "/live/c.m3u8").body()).nextSequence() > startSequence + 1;
            } catch (Exception e) {
                return false;
            }
        }, 15, "the playlist through the proxy to list two more segments");

        // A player through the proxy.
        Path out = dir.resolve("through-proxy.flv");
        ExternalProcess.Result read = ExternalProcess.run(dir, 60, "ffmpeg", "-hide_banner", "-loglevel", "error",
                "-y", "-i", cdn + "/live/c.m3u8", "-frames:v", "75", "-c", "copy", "-f", "flv", out.toString());
        assertEquals(0, read.exitCode(), read.describe());
        Ffprobe probe = Ffprobe.of(dir, out);
        assertEquals("h264", probe.stream("video").codec());
        assertEquals("aac", probe.stream("audio").codec());
        assertEquals(75, probe.packets("video").size(), probe.toString());
        assertTrue(probe.packets("video").get(0).keyframe(), "the first segment starts on a keyframe");
    }

    private void assertCachedLikeOrigin(String cdn, String origin, String path) throws Exception {
        HttpResponse<byte[]> direct = getBytes(origin + path);
        assertEquals(200, direct.statusCode(), path);
        HttpResponse<byte[]> one = getBytes(cdn + path);
        HttpResponse<byte[]> two = getBytes(cdn + path);
        assertEquals(200, one.statusCode(), path);
        assertEquals(200, two.statusCode(), path);
        assertEquals("HIT", two.headers().firstValue("x-cache-status").orElse(""),
                path + " is served from the cache the second time: " + two.headers());
        assertArrayEquals(direct.body(), one.body(), path);
        assertArrayEquals(direct.body(), two.body(), path);
    }

    /** Starts nginx as a plain caching reverse proxy of {@code origin}; returns its base URL. */
    private String startNginx(String origin) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path conf = dir.resolve("nginx.conf");
        // One process (no master, so no switch to an unprivileged user that could not write the
        // cache folder); nothing about caching is configured beyond the cache itself, so what it
        // caches follows the origin's Cache-Control headers.
        Files.writeString(conf, String.join("\n",
                "daemon off;",
                "master_process off;",
                "error_log " + dir.resolve("nginx-error.log") + " warn;",
                "pid " + dir.resolve("nginx.pid") + ";",
                "events { worker_connections 256; }",
                "http {",
                "  access_log off;",
                "  client_body_temp_path " + dir.resolve("body") + ";",
                "  proxy_temp_path " + dir.resolve("proxy") + ";",
                "  fastcgi_temp_path " + dir.resolve("fastcgi") + ";",
                "  uwsgi_temp_path " + dir.resolve("uwsgi") + ";",
                "  scgi_temp_path " + dir.resolve("scgi") + ";",
                "  proxy_cache_path " + dir.resolve("cache") + " levels=1:2 keys_zone=hls:1m max_size=256m inactive=60s use_temp_path=off;",
                "  server {",
                "    listen 127.0.0.1:" + port + ";",
                "    location / {",
                "      proxy_pass " + origin + ";",
                "      proxy_http_version 1.1;",
                "      proxy_cache hls;",
                "      proxy_cache_lock on;",
                "      proxy_cache_lock_timeout 10s;",
                "      add_header X-Cache-Status $upstream_cache_status always;",
                "    }",
                "  }",
                "}",
                ""));
        nginx = ExternalProcess.start(dir, "nginx", "-p", dir.toString(), "-e", dir.resolve("nginx-error.log").toString(),
                "-c", conf.toString());
        String base = "http://127.0.0.1:" + port;
        await(() -> {
            try {
                get(base + "/live/none.m3u8");
                return true;
            } catch (Exception e) {
                return false;
            }
        }, 10, "nginx to listen");
        return base;
    }

    private HttpResponse<String> get(String url) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<byte[]> getBytes(String url) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private void await(BooleanSupplier cond, int seconds, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!cond.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "waited " + seconds + " s for " + what
                    + (nginx == null ? "" : "\nnginx: " + nginx.output()));
            Thread.sleep(100);
        }
    }
}
