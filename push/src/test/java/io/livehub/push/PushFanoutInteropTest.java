package io.livehub.push;

import io.livehub.testing.NginxRtmp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.livehub.MediaServer;
import io.livehub.media.MediaFrame;
import io.livehub.media.StreamKey;
import io.livehub.rtmp.client.RtmpClient;
import io.livehub.rtmp.client.RtmpPlayListener;
import io.livehub.rtmp.client.RtmpPlaySession;
import io.netty.channel.DefaultEventLoop;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restreams one stream to three destinations, started through the HTTP API: a Livehub
 * server, a real nginx-rtmp, and a Livehub server behind a proxy that stops reading mid-push
 * (a stalled destination). The stalled task leaves {@code pushing} and recovers when the
 * destination reads again; the other two keep receiving every frame at full rate meanwhile;
 * {@code :pushes} keeps answering (its latency is printed, not asserted). Tagged {@code interop}.
 */
@Tag("interop")
class PushFanoutInteropTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private String api;

    private JsonNode post(String action, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(api + action))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private Map<String, JsonNode> pushes() throws Exception {
        Map<String, JsonNode> out = new HashMap<>();
        for (JsonNode t : post(":pushes", "{}").get("response")) {
            out.put(t.get("id").asText(), t);
        }
        return out;
    }

    @Test
    void oneStalledDestinationDoesNotSlowTheOthers() throws Exception {
        PushModule push = PushModule.builder().config(PushConfig.builder()
                .stallTimeout(Duration.ofSeconds(2))
                .reconnect(ReconnectPolicy.builder().initialDelay(Duration.ofMillis(200)).maxDelay(Duration.ofSeconds(1))
                        .build())
                .build()).build();
        DefaultEventLoop collectorLoop = new DefaultEventLoop();
        List<AutoCloseable> closing = new ArrayList<>();
        try (MediaServer source = MediaServer.builder().httpPort(0).module(push).start();
             MediaServer a = PushRtmpTest.rtmpServer(0);
             MediaServer d = PushRtmpTest.rtmpServer(0);
             NginxRtmp b = NginxRtmp.start(dir);
             FreezableProxy c = new FreezableProxy(d.port("rtmp"));
             RtmpClient player = RtmpClient.create();
             LoopingSource publisher = new LoopingSource(source.hub(), StreamKey.of("live", "show"),
                     source.transport().workerGroup().next(), 20_000)) {
            api = "http://127.0.0.1:" + source.port("http") + "/v1/vhosts/default/apps/live";
            FrameCollector atA = new FrameCollector(collectorLoop);
            closing.add(a.hub().subscribe(StreamKey.of("live", "a"), atA)::close);
            FrameCollector atD = new FrameCollector(collectorLoop);
            closing.add(d.hub().subscribe(StreamKey.of("live", "c"), atD)::close);

            String task = """
                    {"id": "%s", "stream": {"name": "show"}, "protocol": "rtmp", "url": "rtmp://127.0.0.1:%d/live",
                     "streamKey": "%s"}""";
            post(":startPush", task.formatted("a", a.port("rtmp"), "a"));
            post(":startPush", task.formatted("b", b.port, "b"));
            post(":startPush", task.formatted("c", c.port(), "c"));
            PushRtmpTest.await(() -> push.list().stream().allMatch(t -> t.state() == PushState.PUSHING), 20,
                    "all three pushing");

            AtomicLong atB = new AtomicLong();
            RtmpPlaySession play = player.play("rtmp://127.0.0.1:" + b.port + "/live/b", new RtmpPlayListener() {
                @Override
                public void onFrame(MediaFrame frame) {
                    if (frame.isVideo()) {
                        atB.incrementAndGet();
                    }
                }
            }).toCompletableFuture().get(10, TimeUnit.SECONDS);
            closing.add(play::close);
            PushRtmpTest.await(() -> atA.video() >= 25 && atB.get() >= 25 && atD.video() >= 25, 20, "frames everywhere");

            c.freeze(true);
            long published0 = publisher.videoFrames();
            long a0 = atA.video();
            long b0 = atB.get();
            List<Long> latencies = new ArrayList<>();
            String leftPushing = null;
            long frozenAt = System.nanoTime();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(12);
            while (System.nanoTime() < end) {
                long t0 = System.nanoTime();
                Map<String, JsonNode> tasks = pushes();
                latencies.add((System.nanoTime() - t0) / 1000);
                assertEquals(3, tasks.size());
                assertEquals("pushing", tasks.get("a").get("state").asText());
                assertEquals("pushing", tasks.get("b").get("state").asText());
                if (leftPushing == null && !tasks.get("c").get("state").asText().equals("pushing")) {
                    leftPushing = tasks.get("c").get("state").asText() + " after "
                            + (System.nanoTime() - frozenAt) / 1_000_000 + " ms: " + tasks.get("c").path("lastError").asText();
                }
                Thread.sleep(100);
            }
            long published = publisher.videoFrames() - published0;
            long gotA = atA.video() - a0;
            long gotB = atB.get() - b0;
            Collections.sort(latencies);
            System.out.printf("push fan-out: %d :pushes calls while one destination stalled, latency median %.2f ms,"
                            + " max %.2f ms; frames published %d, at A %d, at nginx %d; stalled task: %s%n",
                    latencies.size(), latencies.get(latencies.size() / 2) / 1000.0,
                    latencies.get(latencies.size() - 1) / 1000.0, published, gotA, gotB, leftPushing);
            assertTrue(leftPushing != null && leftPushing.contains("stalled"), "the stalled task left pushing: " + leftPushing);
            assertTrue(gotA >= published * 9 / 10, "A at full rate: " + gotA + " of " + published);
            assertTrue(gotB >= published * 9 / 10, "nginx at full rate: " + gotB + " of " + published);

            c.freeze(false);
            PushRtmpTest.await(() -> push.get("c").orElseThrow().state() == PushState.PUSHING
                    && push.get("c").orElseThrow().sequence() >= 2, 30, "the stalled task recovers");
            long dNow = atD.video();
            PushRtmpTest.await(() -> atD.video() > dNow + 10, 20, "frames through the proxy again");
        } finally {
            for (AutoCloseable x : closing) {
                x.close();
            }
            collectorLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }
}
