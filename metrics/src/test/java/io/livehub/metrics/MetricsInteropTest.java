package io.livehub.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.MediaServer;
import io.livehub.media.StreamKey;
import io.livehub.rtmp.RtmpModule;
import io.livehub.testing.Await;
import io.livehub.testing.ExternalProcess;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_2.Metrics;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scrapes {@code /metrics} of a server that ffmpeg publishes to over RTMP and ffmpeg plays
 * from, and reads the scrapes with the Prometheus client's own parser (the protobuf
 * exposition, which the endpoint negotiates from {@code Accept} as Prometheus does).
 */
@Tag("interop")
class MetricsInteropTest {

    private static final String PROTOBUF =
            "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited";

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    /** One scrape: every sample by family name and its labels, rendered {@code name{a="b",...}}. */
    private record Scrape(Map<String, Metrics.MetricFamily> families, Map<String, Double> samples) {
        Double value(String family, Map<String, String> labels) {
            return samples.get(family + new TreeMap<>(labels));
        }
    }

    private Scrape scrape(int port) throws Exception {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .header("Accept", PROTOBUF).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("application/vnd.google.protobuf"),
                r.headers().toString());
        Map<String, Metrics.MetricFamily> families = new HashMap<>();
        Map<String, Double> samples = new HashMap<>();
        try (InputStream in = new ByteArrayInputStream(r.body())) {
            Metrics.MetricFamily f;
            while ((f = Metrics.MetricFamily.parseDelimitedFrom(in)) != null) {
                families.put(f.getName(), f);
                for (Metrics.Metric m : f.getMetricList()) {
                    Map<String, String> labels = new TreeMap<>();
                    m.getLabelList().forEach(l -> labels.put(l.getName(), l.getValue()));
                    double v = f.getType() == Metrics.MetricType.COUNTER ? m.getCounter().getValue()
                            : f.getType() == Metrics.MetricType.GAUGE ? m.getGauge().getValue() : Double.NaN;
                    samples.put(f.getName() + labels, v);
                }
            }
        }
        return new Scrape(families, samples);
    }

    private static Map<String, String> stream(String... more) {
        Map<String, String> m = new TreeMap<>(Map.of("vhost", StreamKey.DEFAULT_VHOST, "app", "live", "stream", "m"));
        for (int i = 0; i < more.length; i += 2) {
            m.put(more[i], more[i + 1]);
        }
        return m;
    }

    @Test
    void liveStreamHasSeriesThatOnlyGoUpAndVanishWhenItEnds() throws Exception {
        try (MediaServer server = MediaServer.builder().httpPort(0)
                .module(RtmpModule.builder().host("127.0.0.1").port(0).build())
                .module(MetricsModule.builder().build()).start()) {
            int port = server.port("http");
            String rtmp = "rtmp://127.0.0.1:" + server.port("rtmp") + "/live/m";
            StreamKey key = StreamKey.of("live", "m");
            Scrape idle = scrape(port);
            assertEquals(0.0, idle.value("livehub_streams", Map.of()));
            assertNotNull(idle.families().get("jvm_memory_used_bytes"), "JVM metrics are exported");
            assertEquals(1.0, idle.value("livehub_build_info", Map.of("version", MediaServer.VERSION)));

            try (ExternalProcess pub = ExternalProcess.start(dir, "ffmpeg", "-hide_banner", "-loglevel", "error", "-re",
                    "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25", "-f", "lavfi", "-i", "sine=frequency=440",
                    "-t", "60", "-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-c:a", "aac", "-f", "flv", rtmp);
                 ExternalProcess player = ExternalProcess.start(dir, "ffmpeg", "-hide_banner", "-loglevel", "error",
                    "-i", rtmp, "-c", "copy", "-f", "null", "-")) {
                Await.live(server, key, 50);
                Await.until(() -> server.clients().list().stream()
                        .anyMatch(c -> key.equals(c.stream()) && c.bytesOut() > 10_000), 20, "a player receiving");

                Scrape first = scrape(port);
                assertEquals(1.0, first.value("livehub_streams", Map.of()));
                assertEquals(2.0, first.value("livehub_clients", Map.of("protocol", "rtmp")));
                assertEquals(1.0, first.value("livehub_stream_viewers", stream("protocol", "rtmp")));
                assertEquals(1.0, first.value("livehub_stream_info", stream("video_codec", "h264", "width", "320",
                        "height", "240", "audio_codec", "aac")));
                assertTrue(first.value("livehub_stream_frames_total", stream()) >= 50);
                assertTrue(first.value("livehub_stream_received_bytes_total", stream()) > 10_000);
                assertTrue(first.value("livehub_stream_sent_bytes_total", stream()) > 10_000);
                assertEquals(0.0, first.value("livehub_stream_dropped_frames_total", stream()));
                assertTrue(first.value("livehub_received_bytes_total", Map.of()) > 10_000);
                assertTrue(first.value("livehub_sent_bytes_total", Map.of()) > 10_000);
                assertEquals(Metrics.MetricType.COUNTER, first.families().get("livehub_stream_frames_total").getType());

                long frames = server.hub().stream(key).framesIn();
                Await.until(() -> server.hub().stream(key).framesIn() > frames + 25, 20, "more frames");
                Scrape second = scrape(port);
                for (Map.Entry<String, Metrics.MetricFamily> e : first.families().entrySet()) {
                    if (e.getValue().getType() != Metrics.MetricType.COUNTER) {
                        continue;
                    }
                    first.samples().forEach((series, v) -> {
                        if (series.startsWith(e.getKey() + "{")) {
                            Double later = second.samples().get(series);
                            assertNotNull(later, series + " still there");
                            assertTrue(later >= v, series + " went down: " + v + " -> " + later);
                        }
                    });
                }
                assertTrue(second.value("livehub_stream_frames_total", stream())
                        > first.value("livehub_stream_frames_total", stream()));
            }
            Await.until(() -> server.hub().stream(key) == null || !server.hub().stream(key).isPublishing(), 20,
                    "the stream ends");
            Scrape after = scrape(port);
            assertEquals(0.0, after.value("livehub_streams", Map.of()));
            after.samples().keySet().forEach(series ->
                    assertTrue(!series.contains("stream=m"), "series of the ended stream left: " + series));
            assertNull(after.value("livehub_stream_frames_total", stream()));
        }
    }

    @Test
    void textFormatByDefaultAndTokenWhenSet() throws Exception {
        try (MediaServer server = MediaServer.builder().httpPort(0)
                .module(MetricsModule.builder().path("/m").token("s3cret").jvm(false).build()).start()) {
            URI uri = URI.create("http://127.0.0.1:" + server.port("http") + "/m");
            HttpResponse<String> denied = http.send(HttpRequest.newBuilder(uri).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(401, denied.statusCode());
            HttpResponse<String> ok = http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer s3cret")
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ok.statusCode());
            assertEquals("text/plain; version=0.0.4; charset=utf-8", ok.headers().firstValue("content-type").orElse(""));
            assertTrue(ok.body().contains("# TYPE livehub_sent_bytes_total counter"), ok.body());
        }
    }
}
