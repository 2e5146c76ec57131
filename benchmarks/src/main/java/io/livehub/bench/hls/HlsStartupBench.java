package io.livehub.bench.hls;

import io.livehub.MediaServer;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Measures publish-to-playable time of HLS: from the moment a publisher starts (before its RTMP
 * connection) to the first media playlist that lists a playable segment (or, low-latency, a
 * part), and to the end of the download of that first segment or part. For each of MPEG-TS and
 * fMP4, default and low-latency, it starts a fresh in-process server (RTMP + HLS with the
 * module's defaults: muxing on demand, 2 s target), publishes the probe FLV in real time, and
 * polls the playlist every 20 ms from the publish start, as an impatient player would.
 *
 * <pre>{@code
 * java -cp benchmarks.jar io.livehub.bench.hls.HlsStartupBench --file=/tmp/probe.flv [--runs=5]
 * }</pre>
 *
 * <p>Thread-safety: single-threaded tool.
 */
public final class HlsStartupBench {

    private HlsStartupBench() {
    }

    public static void main(String[] args) throws Exception {
        Path file = null;
        int runs = 5;
        for (String a : args) {
            if (a.startsWith("--file=")) {
                file = Path.of(a.substring(7));
            } else if (a.startsWith("--runs=")) {
                runs = Integer.parseInt(a.substring(7));
            } else {
                System.err.println("usage: HlsStartupBench --file=probe.flv [--runs=N]");
                System.exit(2);
            }
        }
        if (file == null) {
            System.err.println("usage: HlsStartupBench --file=probe.flv [--runs=N]");
            System.exit(2);
        }
        System.out.println("| segments | mode | playlist with media, ms (median, min-max) | first segment/part loaded, ms |");
        System.out.println("|---|---|---:|---:|");
        for (HlsSegmentFormat format : HlsSegmentFormat.values()) {
            for (boolean ll : new boolean[] {false, true}) {
                List<Long> listed = new ArrayList<>();
                List<Long> loaded = new ArrayList<>();
                for (int i = 0; i < runs; i++) {
                    long[] r = once(file, HlsConfig.builder().segmentFormat(format).lowLatency(ll).build());
                    listed.add(r[0]);
                    loaded.add(r[1]);
                }
                System.out.printf(Locale.ROOT, "| %s | %s | %s | %s |%n", format, ll ? "low-latency" : "default",
                        summary(listed), summary(loaded));
            }
        }
        System.exit(0);
    }

    private static String summary(List<Long> values) {
        List<Long> s = new ArrayList<>(values);
        s.sort(null);
        return s.get(s.size() / 2) + " (" + s.get(0) + "-" + s.get(s.size() - 1) + ")";
    }

    /** Returns the milliseconds to the first playlist with media and to the first media loaded. */
    static long[] once(Path file, HlsConfig config) throws Exception {
        try (MediaServer server = MediaServer.builder().httpPort(0)
                .module(RtmpModule.builder().host("127.0.0.1").port(0).build())
                .module(new HlsModule(config)).start();
             StampedPublisher publisher = new StampedPublisher(file)) {
            String http = "http://127.0.0.1:" + server.port("http");
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            publisher.start("rtmp://127.0.0.1:" + server.port("rtmp") + "/live/startup");
            long t0 = publisher.startNanos();
            long deadline = t0 + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(http + "/live/startup.m3u8"))
                        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
                String media = r.statusCode() == 200 ? firstMedia(r.body()) : null;
                if (media != null) {
                    long listed = System.nanoTime();
                    HttpResponse<byte[]> m = client.send(HttpRequest.newBuilder(URI.create(http + "/live/" + media))
                            .build(), HttpResponse.BodyHandlers.ofByteArray());
                    if (m.statusCode() != 200 || m.body().length == 0) {
                        throw new IllegalStateException("GET " + media + ": " + m.statusCode());
                    }
                    long done = System.nanoTime();
                    return new long[] {TimeUnit.NANOSECONDS.toMillis(listed - t0), TimeUnit.NANOSECONDS.toMillis(done - t0)};
                }
                Thread.sleep(20);
            }
            throw new IllegalStateException("no playable playlist within 60 s");
        }
    }

    /** Returns the URI of the first part or segment a player could start with, or null. */
    static String firstMedia(String playlist) {
        for (String line : playlist.split("\n")) {
            if (line.startsWith("#EXT-X-PART:")) {
                int u = line.indexOf("URI=\"");
                return line.substring(u + 5, line.indexOf('"', u + 5));
            }
            if (!line.isEmpty() && !line.startsWith("#")) {
                return line;
            }
        }
        return null;
    }
}
