package io.livehub.push.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.hub.HubConfig;
import io.livehub.hub.StreamHub;
import io.livehub.media.StreamKey;
import io.livehub.push.DuplicatePushTaskException;
import io.livehub.push.PushConfig;
import io.livehub.push.PushProtocol;
import io.livehub.push.PushState;
import io.livehub.push.PushTaskEvent;
import io.livehub.push.PushTaskInfo;
import io.livehub.push.PushTaskSpec;
import io.livehub.push.ReconnectPolicy;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.EventLoopGroup;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Drives push tasks through their state machine against {@link FakeDestination}s that the
 * test opens, fails and drops, with a real hub and synthetic frames.
 */
class PushTaskTest {

    private static final StreamKey KEY = StreamKey.of("live", "show");

    private final LinkedBlockingQueue<FakeDestination> made = new LinkedBlockingQueue<>();
    private final List<PushTaskEvent> events = new CopyOnWriteArrayList<>();
    private EventLoopGroup group;
    private DefaultEventLoop publisherLoop;
    private StreamHub hub;
    private PushEngine engine;

    @BeforeEach
    void setUp() {
        group = new DefaultEventLoopGroup(1);
        publisherLoop = new DefaultEventLoop();
        hub = new StreamHub(HubConfig.builder().mergeWriteWindow(Duration.ZERO).timestampCorrection(false).build());
    }

    @AfterEach
    void tearDown() throws Exception {
        if (engine != null) {
            engine.close();
        }
        Thread.sleep(50);
        publisherLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    private void engine(PushConfig config) {
        engine = new PushEngine(config, hub, group, (spec, loop) -> {
            FakeDestination d = new FakeDestination();
            made.add(d);
            return d;
        }, List.of(events::add));
    }

    private static PushConfig fastRetry(int maxAttempts) {
        return PushConfig.builder().reconnect(ReconnectPolicy.builder().initialDelay(Duration.ofMillis(20))
                .maxDelay(Duration.ofMillis(100)).maxAttempts(maxAttempts).build()).build();
    }

    private static PushTaskSpec spec(String id) {
        return PushTaskSpec.builder().id(id).stream(KEY).protocol(PushProtocol.RTMP)
                .url("rtmp://127.0.0.1:1935/live").streamKey("show").build();
    }

    private static void await(BooleanSupplier cond, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!cond.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, what);
            Thread.sleep(5);
        }
    }

    private PushState state(String id) {
        return engine.get(id).map(PushTaskInfo::state).orElse(null);
    }

    private FakeDestination next() throws InterruptedException {
        FakeDestination d = made.poll(10, TimeUnit.SECONDS);
        assertNotNull(d, "a connection was made");
        return d;
    }

    private List<String> transitions() {
        return events.stream().map(e -> e.previous().apiName() + ">" + e.state().apiName()).collect(Collectors.toList());
    }

    @Test
    void waitsInReadyForThePublisherThenPushesFromAKeyframeAtZero() throws Exception {
        engine(fastRetry(0));
        PushTaskInfo created = engine.start(spec("a"));
        assertEquals(PushState.READY, created.state());
        assertEquals(0, created.sequence());
        assertTrue(made.isEmpty(), "no connection before the stream is live");

        TestPublisher pub = new TestPublisher(hub, KEY, publisherLoop);
        // Frames before the connection opens are the GOP the new subscription replays.
        pub.gops(5_000, 2);
        FakeDestination d = next();
        await(() -> state("a") == PushState.CONNECTING, "connecting");
        d.opened.complete(null);
        await(() -> state("a") == PushState.PUSHING, "pushing");
        await(() -> d.frames("video") >= 25, "the cached GOP replayed");
        pub.gops(7_000, 1);
        await(() -> d.frames("video") >= 25 + 25, "the cached GOP and the live second");

        FakeDestination.Sent first = d.sent.get(0);
        assertEquals("metadata", first.kind(), "metadata before media");
        FakeDestination.Sent firstMedia = d.sent.get(1);
        assertEquals("video", firstMedia.kind());
        assertTrue(firstMedia.keyframe(), "starts at a keyframe");
        assertEquals(0, firstMedia.dts(), "rebased to 0");
        long last = -1;
        for (FakeDestination.Sent s : d.sent) {
            if (s.kind().equals("video")) {
                assertTrue(s.dts() >= last, "video never goes back: " + d.sent);
                last = s.dts();
            }
        }
        PushTaskInfo info = engine.get("a").orElseThrow();
        assertEquals(1, info.sequence());
        assertTrue(info.sentBytes() > 0);
        assertNotNull(info.startTime());
        assertEquals(List.of("ready>connecting", "connecting>pushing"), transitions());
        pub.close();
    }

    @Test
    void refusedConnectionGoesToErrorAndRetries() throws Exception {
        engine(fastRetry(0));
        TestPublisher pub = new TestPublisher(hub, KEY, publisherLoop);
        pub.gops(0, 1);
        engine.start(spec("b"));
        FakeDestination refused = next();
        refused.opened.completeExceptionally(new IllegalStateException("connection refused"));
        FakeDestination second = next();
        await(() -> "connection refused".equals(engine.get("b").orElseThrow().lastError()), "error kept");
        second.opened.complete(null);
        await(() -> state("b") == PushState.PUSHING, "pushing after the retry");
        await(() -> events.size() >= 4, "events delivered");
        assertEquals(List.of("connecting>error", "error>connecting", "connecting>pushing"),
                transitions().subList(transitions().size() - 3, transitions().size()));
        assertEquals(1, engine.get("b").orElseThrow().sequence());
        pub.close();
    }

    @Test
    void droppedConnectionReconnectsWithTheSequenceIncrementedAndStartsAgainAtZero() throws Exception {
        engine(fastRetry(0));
        TestPublisher pub = new TestPublisher(hub, KEY, publisherLoop);
        pub.gops(0, 1);
        engine.start(spec("c"));
        FakeDestination d1 = next();
        d1.opened.complete(null);
        await(() -> state("c") == PushState.PUSHING, "pushing");
        pub.gops(1_000, 1);
        await(() -> d1.frames("video") > 0, "frames sent");
        long bytes1 = engine.get("c").orElseThrow().sentBytes();

        d1.drop();
        await(() -> state("c") != PushState.PUSHING, "leaves pushing");
        FakeDestination d2 = next();
        d2.opened.complete(null);
        await(() -> state("c") == PushState.PUSHING, "pushing again");
        pub.gops(2_000, 1);
        await(() -> d2.frames("video") > 0, "frames on the new connection");
        PushTaskInfo info = engine.get("c").orElseThrow();
        assertEquals(2, info.sequence());
        assertEquals("connection reset by peer", info.lastError() == null ? "connection reset by peer" : info.lastError());
        assertTrue(info.totalSentBytes() >= bytes1 + info.sentBytes(), info.toString());
        FakeDestination.Sent firstMedia = d2.sent.stream().filter(s -> !s.kind().equals("metadata")).findFirst().orElseThrow();
        assertTrue(firstMedia.keyframe() && firstMedia.dts() == 0, "new connection starts at a keyframe at 0: " + firstMedia);
        assertTrue(transitions().contains("pushing>error"), transitions().toString());
        pub.close();
    }

    @Test
    void publisherLeavingPausesTheTaskAndItsReturnResumesIt() throws Exception {
        engine(fastRetry(0));
        engine.start(spec("d"));
        TestPublisher pub = new TestPublisher(hub, KEY, publisherLoop);
        pub.gops(0, 1);
        FakeDestination d1 = next();
        d1.opened.complete(null);
        await(() -> state("d") == PushState.PUSHING, "pushing");
        pub.close();
        await(() -> state("d") == PushState.READY, "ready when the publisher left");
        await(() -> d1.closed, "connection closed while paused");

        TestPublisher again = new TestPublisher(hub, KEY, publisherLoop);
        again.gops(0, 1);
        FakeDestination d2 = next();
        d2.opened.complete(null);
        await(() -> state("d") == PushState.PUSHING, "pushing again");
        again.gops(1_000, 1);
        await(() -> d2.frames("video") > 0, "frames of the new publisher");
        assertEquals(2, engine.get("d").orElseThrow().sequence());
        assertTrue(transitions().contains("pushing>ready"), transitions().toString());
        again.close();
    }

    @Test
    void stalledDestinationIsLeftAndReconnected() throws Exception {
        engine(PushConfig.builder().stallTimeout(Duration.ofMillis(300))
                .reconnect(ReconnectPolicy.builder().initialDelay(Duration.ofMillis(20)).build()).build());
        TestPublisher pub = new TestPublisher(hub, KEY, publisherLoop);
        pub.gops(0, 1);
        engine.start(spec("e"));
        FakeDestination d1 = next();
        d1.opened.complete(null);
        await(() -> state("e") == PushState.PUSHING, "pushing");
        d1.writable = false;
        FakeDestination d2 = next();
        assertTrue(d1.closed, "the stalled connection is closed");
        assertTrue(engine.get("e").orElseThrow().lastError().contains("stalled"));
        d2.opened.complete(null);
        await(() -> state("e") == PushState.PUSHING, "pushing on a new connection");
        pub.close();
    }

    @Test
    void destinationThatFallsBehindDropsToKeyframesThenReconnects() throws Exception {
        hub = new StreamHub(HubConfig.builder().mergeWriteWindow(Duration.ZERO).timestampCorrection(false)
                .subscriberQueueFrames(64).gopCacheFrames(60).build());
        engine(PushConfig.builder().maxDrops(2).stallTimeout(Duration.ofMinutes(1))
                .reconnect(ReconnectPolicy.builder().initialDelay(Duration.ofMillis(20)).build()).build());
        TestPublisher pub = new TestPublisher(hub, KEY, publisherLoop);
        engine.start(spec("f"));
        FakeDestination d1 = next();
        d1.opened.complete(null);
        pub.gops(0, 1);
        await(() -> state("f") == PushState.PUSHING, "pushing");
        d1.writable = false;
        pub.gops(1_000, 5);
        FakeDestination d2 = next();
        assertTrue(engine.get("f").orElseThrow().droppedFrames() > 2);
        assertTrue(engine.get("f").orElseThrow().lastError().contains("too slow"));
        d2.opened.complete(null);
        await(() -> state("f") == PushState.PUSHING, "pushing on a new connection");
        pub.close();
    }

    @Test
    void givesUpAfterMaxAttempts() throws Exception {
        engine(fastRetry(2));
        TestPublisher pub = new TestPublisher(hub, KEY, publisherLoop);
        pub.gops(0, 1);
        engine.start(spec("g"));
        for (int i = 0; i < 3; i++) {
            next().opened.completeExceptionally(new IllegalStateException("refused " + i));
        }
        await(() -> "refused 2".equals(engine.get("g").orElseThrow().lastError()), "third failure seen");
        Thread.sleep(300);
        assertTrue(made.isEmpty(), "no fourth attempt");
        assertEquals(PushState.ERROR, state("g"));
        pub.close();
    }

    @Test
    void stopClosesTheConnectionAndEndsStopped() throws Exception {
        engine(fastRetry(0));
        TestPublisher pub = new TestPublisher(hub, KEY, publisherLoop);
        pub.gops(0, 1);
        engine.start(spec("h"));
        assertThrows(DuplicatePushTaskException.class, () -> engine.start(spec("h")));
        FakeDestination d = next();
        d.opened.complete(null);
        await(() -> state("h") == PushState.PUSHING, "pushing");
        assertEquals(1, engine.list().size());
        assertTrue(engine.stop("h").isPresent());
        assertFalse(engine.get("h").isPresent(), "removed at once");
        assertFalse(engine.stop("h").isPresent());
        await(() -> d.closed, "connection closed");
        await(() -> transitions().contains("stopping>stopped"), "stopped event");
        PushTaskEvent last = events.get(events.size() - 1);
        assertNotNull(last.task().finishTime());
        assertTrue(transitions().contains("pushing>stopping"));
        // The id may be used again at once.
        engine.start(spec("h"));
        pub.close();
    }

    @Test
    void stopWhileConnectingEndsStoppedWithoutARetry() throws Exception {
        engine(fastRetry(0));
        TestPublisher pub = new TestPublisher(hub, KEY, publisherLoop);
        pub.gops(0, 1);
        engine.start(spec("s"));
        FakeDestination d = next();
        await(() -> state("s") == PushState.CONNECTING, "connecting");
        engine.stop("s");
        await(() -> d.closed, "the connect is abandoned");
        // The failed connect that the close causes must not restart the task.
        d.opened.completeExceptionally(new IllegalStateException("closed"));
        await(() -> transitions().contains("stopping>stopped"), "stopped");
        Thread.sleep(200);
        assertTrue(made.isEmpty(), "no retry after stop");
        assertFalse(transitions().contains("stopping>error"), transitions().toString());
        pub.close();
    }

    @Test
    void variantNamesSelectTracks() throws Exception {
        engine(fastRetry(0));
        TestPublisher pub = new TestPublisher(hub, KEY, publisherLoop);
        engine.start(PushTaskSpec.builder().id("i").stream(KEY).protocol(PushProtocol.MPEGTS)
                .url("udp://127.0.0.1:5000").variantNames(List.of("aac")).build());
        FakeDestination d = next();
        d.opened.complete(null);
        await(() -> state("i") == PushState.PUSHING, "pushing");
        pub.gops(0, 1);
        await(() -> d.frames("audio") >= 50, "audio sent");
        assertEquals(0, d.frames("video"));
        pub.close();
    }
}
