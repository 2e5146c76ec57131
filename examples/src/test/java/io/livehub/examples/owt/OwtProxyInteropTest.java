package io.livehub.examples.owt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.MediaServer;
import io.livehub.hub.LiveStream;
import io.livehub.media.StreamKey;
import io.livehub.rtmp.RtmpModule;
import io.livehub.testing.ExternalProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Publishes with ffmpeg to a Livehub server that runs the proxy against a slow, once-failing
 * OWT server in the test, and checks the calls, their order and bodies.
 */
@Tag("interop")
class OwtProxyInteropTest {

    @TempDir
    Path dir;

    private static void await(BooleanSupplier cond, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!cond.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, what + " not within 20 s");
            Thread.sleep(20);
        }
    }

    @Test
    void aRealPublishIsBroughtIntoOwtWithoutWaitingForIt() throws Exception {
        try (FakeOwt owt = new FakeOwt()) {
            owt.delay("POST /rooms", 2000);
            owt.fail("POST /rooms/room", 1);
            OwtProxy proxy = OwtProxy.builder(owt.uri(), "rtmp://127.0.0.1:1935")
                    .backoff(Duration.ofMillis(100), Duration.ofMillis(400)).build();
            StreamKey key = StreamKey.of("live", "owt");
            try (MediaServer server = MediaServer.builder().httpPort(-1).listener(proxy)
                    .module(RtmpModule.builder().host("127.0.0.1").port(0).build()).start()) {
                String url = "rtmp://127.0.0.1:" + server.port("rtmp") + "/live/owt";
                try (ExternalProcess pub = ExternalProcess.start(dir, "ffmpeg", "-hide_banner", "-loglevel", "error",
                        "-re", "-f", "lavfi", "-i", "testsrc=size=160x120:rate=25", "-t", "5", "-c:v", "libx264",
                        "-preset", "ultrafast", "-g", "25", "-f", "flv", url)) {
                    await(() -> {
                        LiveStream s = server.hub().stream(key);
                        return s != null && s.isPublishing() && s.framesIn() > 5;
                    }, "the publish");
                    assertEquals(List.of("POST /rooms"), owt.lines(), "OWT is still busy with the room");
                    assertEquals(0, owt.calls.get(0).status, "media flows before OWT answered");
                    await(() -> owt.calls.size() >= 4, "the streaming-in");
                    ExternalProcess.Result r = pub.await(30);
                    assertEquals(0, r.exitCode(), r.describe());
                }
                await(() -> owt.calls.size() >= 6, "the deletes");
                assertTrue(proxy.awaitIdle(Duration.ofSeconds(10)));
            } finally {
                proxy.close();
            }
            assertEquals(List.of("POST /rooms", "POST /rooms/room1/streaming-ins", "POST /rooms/room1/streaming-ins",
                    "PATCH /rooms/room1/streams/in1", "DELETE /rooms/room1/streaming-ins/in1", "DELETE /rooms/room1"),
                    owt.lines());
            assertEquals(List.of(200, 503, 200, 200, 200, 200), owt.calls.stream().map(c -> c.status).toList());
            OwtProxyTest.checkBodies(List.of(owt.calls.get(0), owt.calls.get(2), owt.calls.get(3)), "live/owt",
                    "rtmp://127.0.0.1:1935/live/owt");
        }
    }
}
