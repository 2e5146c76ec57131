package io.livehub.bench.hls;

import io.livehub.MediaServer;
import io.livehub.bench.load.LatencyHistogram;
import io.livehub.hls.HlsConfig;
import io.livehub.hls.HlsModule;
import io.livehub.hls.HlsSegmentFormat;
import io.livehub.rtmp.RtmpModule;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Measures the end-to-end latency of Low-Latency HLS: a probe client follows the playlist as an
 * LL-HLS player does (blocking playlist reloads with {@code _HLS_msn}/{@code _HLS_part}, and a
 * request for the preload-hinted part, which the server answers when the part is complete),
 * fetches every part, finds the publisher's SEI stamps in it ({@link StampScanner}) and records
 * arrival time minus stamp time for every video frame. One machine, one clock. With
 * {@code --segments} it follows the plain playlist instead (polling every 200 ms, whole
 * segments), for comparison.
 *
 * <p>It starts its own server (RTMP + HLS) and publisher ({@link StampedPublisher}) in this
 * process unless {@code --url} names a playlist on a running server that someone else publishes
 * the probe stream to.
 *
 * <pre>{@code
 * java -cp benchmarks.jar io.livehub.bench.hls.HlsLatencyProbe --file=/tmp/probe.flv [--format=FMP4|TS]
 *     [--duration=60] [--warmup=10] [--segments] [--part-target=200]
 * java -cp benchmarks.jar io.livehub.bench.hls.HlsLatencyProbe --url=http://127.0.0.1:8080/live/bench.m3u8
 * }</pre>
 *
 * <p>Thread-safety: single-threaded tool (the in-process server and publisher have their own
 * threads).
 */
public final class HlsLatencyProbe {

    private static final Pattern PART_URI = Pattern.compile("-(\\d+)\\.(\\d+)\\.(m4s|ts)$");

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String playlistUrl;
    private final String base;
    private final LatencyHistogram latency = new LatencyHistogram();
    private final Set<String> fetched = new HashSet<>();
    private long warmupEndNanos;
    private long lastSequence = -1;
    private long frames;
    private long gaps;
    private long bytes;
    private long requests;

    HlsLatencyProbe(String playlistUrl) {
        this.playlistUrl = playlistUrl;
        this.base = playlistUrl.substring(0, playlistUrl.lastIndexOf('/') + 1);
    }

    /** Returns the wall clock in microseconds since the epoch. */
    static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
    }

    public static void main(String[] args) throws Exception {
        Path file = null;
        String url = null;
        HlsSegmentFormat format = HlsSegmentFormat.FMP4;
        long duration = 60;
        long warmup = 10;
        boolean segments = false;
        long partTarget = 200;
        for (String a : args) {
            int eq = a.indexOf('=');
            String name = eq < 0 ? a : a.substring(0, eq);
            String v = eq < 0 ? "" : a.substring(eq + 1);
            switch (name) {
                case "--file" -> file = Path.of(v);
                case "--url" -> url = v;
                case "--format" -> format = HlsSegmentFormat.valueOf(v);
                case "--duration" -> duration = Long.parseLong(v);
                case "--warmup" -> warmup = Long.parseLong(v);
                case "--segments" -> segments = true;
                case "--part-target" -> partTarget = Long.parseLong(v);
                default -> {
                    System.err.println("usage: HlsLatencyProbe (--file=probe.flv | --url=PLAYLIST) [--format=FMP4|TS]"
                            + " [--duration=S] [--warmup=S] [--segments] [--part-target=MS]");
                    System.exit(2);
                }
            }
        }
        if (url != null) {
            new HlsLatencyProbe(url).run(duration, warmup, segments);
            System.exit(0);
        }
        if (file == null) {
            System.err.println("HlsLatencyProbe: --file or --url is required");
            System.exit(2);
        }
        HlsConfig config = HlsConfig.builder().segmentFormat(format).lowLatency(!segments)
                .partTarget(Duration.ofMillis(partTarget)).build();
        try (MediaServer server = MediaServer.builder().httpPort(0)
                .module(RtmpModule.builder().host("127.0.0.1").port(0).build())
                .module(new HlsModule(config)).start();
             StampedPublisher publisher = new StampedPublisher(file)) {
            publisher.start("rtmp://127.0.0.1:" + server.port("rtmp") + "/live/probe");
            System.out.println("probe: " + config);
            new HlsLatencyProbe("http://127.0.0.1:" + server.port("http") + "/live/probe.m3u8")
                    .run(duration, warmup, segments);
        }
        System.exit(0);
    }

    void run(long durationSeconds, long warmupSeconds, boolean segments) throws Exception {
        long start = System.nanoTime();
        warmupEndNanos = start + TimeUnit.SECONDS.toNanos(warmupSeconds);
        long end = warmupEndNanos + TimeUnit.SECONDS.toNanos(durationSeconds);
        String playlist = get(playlistUrl);
        // Start at the live edge: what is listed now is not fetched.
        if (segments) {
            fetched.addAll(segmentUris(playlist));
        } else {
            fetched.addAll(partUris(playlist));
        }
        while (System.nanoTime() < end) {
            if (segments) {
                Thread.sleep(200);
                playlist = get(playlistUrl);
                for (String uri : segmentUris(playlist)) {
                    if (fetched.add(uri)) {
                        fetchMedia(uri);
                    }
                }
                continue;
            }
            for (String uri : partUris(playlist)) {
                if (fetched.add(uri)) {
                    fetchMedia(uri);
                }
            }
            String hint = preloadHint(playlist);
            if (hint == null) {
                playlist = get(playlistUrl);
                continue;
            }
            // The hinted part: the server answers when it is complete (404 when the segment
            // ended before it); then a blocking reload for the part after it.
            if (!fetched.contains(hint) && fetchMedia(hint)) {
                fetched.add(hint);
            }
            Matcher m = PART_URI.matcher(hint);
            if (!m.find()) {
                throw new IllegalStateException("unexpected part name " + hint);
            }
            long msn = Long.parseLong(m.group(1));
            int part = Integer.parseInt(m.group(2));
            String sep = playlistUrl.contains("?") ? "&" : "?";
            playlist = get(playlistUrl + sep + "_HLS_msn=" + msn + "&_HLS_part=" + (part + 1));
        }
        report(segments);
    }

    private boolean fetchMedia(String uri) throws Exception {
        requests++;
        HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(URI.create(base + uri))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
        long arrival = nowMicros();
        if (r.statusCode() != 200) {
            return false;
        }
        bytes += r.body().length;
        boolean counting = System.nanoTime() >= warmupEndNanos;
        for (StampScanner.Stamp s : StampScanner.scan(r.body())) {
            if (lastSequence >= 0 && s.sequence() > lastSequence + 1 && counting) {
                gaps += s.sequence() - lastSequence - 1;
            }
            lastSequence = Math.max(lastSequence, s.sequence());
            if (counting) {
                latency.record(arrival - s.epochMicros());
                frames++;
            }
        }
        return true;
    }

    private String get(String url) throws Exception {
        requests++;
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET " + url + ": " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    private void report(boolean segments) {
        System.out.printf(Locale.ROOT, "probe: %s, %d video frames measured, %d missing, %d requests, %.1f MB%n",
                segments ? "whole segments (polling)" : "parts (blocking reload + preload hint)", frames, gaps,
                requests, bytes / 1e6);
        System.out.printf(Locale.ROOT, "latency ms: p50 %.0f  p90 %.0f  p99 %.0f  min %.0f  max %.0f  mean %.0f%n",
                latency.percentile(50) / 1e3, latency.percentile(90) / 1e3, latency.percentile(99) / 1e3,
                latency.min() / 1e3, latency.max() / 1e3, latency.mean() / 1e3);
    }

    static List<String> partUris(String playlist) {
        List<String> out = new ArrayList<>();
        for (String line : playlist.split("\n")) {
            if (line.startsWith("#EXT-X-PART:")) {
                int u = line.indexOf("URI=\"");
                out.add(line.substring(u + 5, line.indexOf('"', u + 5)));
            }
        }
        return out;
    }

    static List<String> segmentUris(String playlist) {
        List<String> out = new ArrayList<>();
        for (String line : playlist.split("\n")) {
            if (!line.isEmpty() && !line.startsWith("#")) {
                out.add(line);
            }
        }
        return out;
    }

    static String preloadHint(String playlist) {
        for (String line : playlist.split("\n")) {
            if (line.startsWith("#EXT-X-PRELOAD-HINT:") && line.contains("TYPE=PART")) {
                int u = line.indexOf("URI=\"");
                return line.substring(u + 5, line.indexOf('"', u + 5));
            }
        }
        return null;
    }
}
