package io.livehub.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.MediaServer;
import io.livehub.media.StreamKey;
import io.livehub.rtmp.RtmpModule;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import io.netty.channel.DefaultEventLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Pushes over RTMP from one Livehub server to another, both on loopback with ephemeral ports,
 * and takes the destination down and up again.
 */
class PushRtmpTest {

    static final StreamKey SOURCE = StreamKey.of("live", "show");
    static final StreamKey COPY = StreamKey.of("live", "copy");

    private final List<PushTaskEvent> events = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> closeLast = new ArrayList<>();
    private MediaServer source;
    private PushModule push;
    private MediaServer destination;
    private DefaultEventLoop collectorLoop;

    @BeforeEach
    void start() throws Exception {
        push = PushModule.builder().listener(events::add)
                .config(PushConfig.builder().stallTimeout(Duration.ofSeconds(3))
                        .reconnect(ReconnectPolicy.builder().initialDelay(Duration.ofMillis(200))
                                .maxDelay(Duration.ofSeconds(1)).build()).build())
                .build();
        source = MediaServer.builder().httpPort(0).module(push).start();
        collectorLoop = new DefaultEventLoop();
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : closeLast) {
            c.close();
        }
        source.close();
        if (destination != null) {
            destination.close();
        }
        collectorLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    static MediaServer rtmpServer(int port) throws Exception {
        return MediaServer.builder().httpPort(-1)
                .module(RtmpModule.builder().host("127.0.0.1").port(port).build()).start();
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static void await(BooleanSupplier cond, int seconds, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!cond.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, what + " not within " + seconds + " s");
            Thread.sleep(20);
        }
    }

    private LoopingSource publish() throws Exception {
        LoopingSource s = new LoopingSource(source.hub(), SOURCE, source.transport().workerGroup().next());
        closeLast.add(s);
        return s;
    }

    private FrameCollector collect(MediaServer server) {
        FrameCollector c = new FrameCollector(collectorLoop);
        var sub = server.hub().subscribe(COPY, c);
        closeLast.add(0, sub::close);
        return c;
    }

    private PushTaskInfo task(String id) {
        return push.get(id).orElseThrow();
    }

    private static PushTaskSpec rtmpTask(String id, int port) {
        return PushTaskSpec.builder().id(id).stream(SOURCE).protocol(PushProtocol.RTMP)
                .url("rtmp://127.0.0.1:" + port + "/live").streamKey("copy").build();
    }

    private List<String> transitions(String id) {
        return events.stream().filter(e -> e.task().id().equals(id))
                .map(e -> e.previous().apiName() + ">" + e.state().apiName()).collect(Collectors.toList());
    }

    @Test
    void pushesToAnotherLivehubWithMetadataAndSequenceHeadersFirst() throws Exception {
        destination = rtmpServer(0);
        FrameCollector got = collect(destination);
        publish();
        push.start(rtmpTask("copy", destination.port("rtmp")));
        await(() -> got.video() >= 40 && got.audio() >= 40, 20, "frames at the destination");

        FrameCollector.Got first = got.frames.get(0);
        assertTrue(first.video() && first.keyframe(), "starts at a keyframe: " + first);
        assertTrue(first.track().hasConfig(), "with the AVC sequence header");
        assertTrue(got.frames.stream().filter(g -> !g.video()).findFirst().orElseThrow().track().hasConfig(),
                "with the AAC sequence header");
        assertTrue(first.dtsMillis() < 100, "timestamps start near 0: " + first);
        long last = -1;
        for (FrameCollector.Got g : got.frames) {
            if (g.video()) {
                assertTrue(g.dtsMillis() >= last, "video timestamps never go back");
                last = g.dtsMillis();
            }
        }
        assertTrue(got.metadata.stream().anyMatch(m -> m.containsKey("width")), "metadata forwarded: " + got.metadata);
        PushTaskInfo info = task("copy");
        assertEquals(PushState.PUSHING, info.state());
        assertEquals(1, info.sequence());
        assertTrue(info.sentBytes() > 0 && info.sentTimeMillis() > 0, info.toString());

        // Listed as a client of protocol push until kicked, which stops the task.
        var client = source.clients().list().stream().filter(c -> c.info().protocol().equals("push")).findFirst()
                .orElseThrow();
        assertEquals(SOURCE, client.stream());
        assertTrue(client.bytesOut() > 0);
        assertTrue(source.clients().kick(client.info().clientId()));
        await(() -> push.get("copy").isEmpty() && source.clients().size() == 0, 10, "kicked task stopped and unlisted");
    }

    @Test
    void taskCreatedBeforeThePublisherWaitsThenFollowsItAway() throws Exception {
        destination = rtmpServer(0);
        FrameCollector got = collect(destination);
        push.start(rtmpTask("early", destination.port("rtmp")));
        Thread.sleep(300);
        assertEquals(PushState.READY, task("early").state());

        LoopingSource first = publish();
        await(() -> got.video() >= 10, 20, "frames once the publisher came");
        first.close();
        closeLast.remove(first);
        await(() -> task("early").state() == PushState.READY, 10, "ready when the publisher left");

        int before = got.frames.size();
        publish();
        await(() -> got.frames.size() > before + 20 && task("early").state() == PushState.PUSHING, 20,
                "pushing again when the publisher returned");
        assertEquals(2, task("early").sequence());
        assertEquals(List.of("ready>connecting", "connecting>pushing", "pushing>ready", "ready>connecting",
                "connecting>pushing"), transitions("early"));
    }

    @Test
    void destinationDownThenUpThenKilledMidPushThenBack() throws Exception {
        int port = freePort();
        publish();
        push.start(rtmpTask("flaky", port));
        await(() -> task("flaky").state() == PushState.ERROR, 20, "error while nothing listens");
        assertNotNull(task("flaky").lastError());
        assertTrue(task("flaky").retryAttempt() >= 1);

        destination = rtmpServer(port);
        FrameCollector got = collect(destination);
        await(() -> task("flaky").state() == PushState.PUSHING, 20, "pushing once the destination is up");
        await(() -> got.video() >= 10, 20, "frames at the destination");
        assertEquals(1, task("flaky").sequence());

        destination.close();
        destination = null;
        await(() -> task("flaky").state() != PushState.PUSHING, 10, "leaves pushing when the destination dies");

        destination = rtmpServer(port);
        FrameCollector again = collect(destination);
        await(() -> task("flaky").state() == PushState.PUSHING && again.video() >= 10, 20, "recovers");
        assertEquals(2, task("flaky").sequence());
        assertTrue(transitions("flaky").containsAll(List.of("connecting>error", "error>connecting",
                "connecting>pushing", "pushing>error")), transitions("flaky").toString());
    }
}
