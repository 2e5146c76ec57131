package io.livehub.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.event.CloseEvent;
import io.livehub.event.ConnectEvent;
import io.livehub.event.Decision;
import io.livehub.event.EventDispatcher;
import io.livehub.event.MediaServerListener;
import io.livehub.event.PlayEvent;
import io.livehub.event.PublishEvent;
import io.livehub.event.StopEvent;
import io.livehub.event.UnpublishEvent;
import io.livehub.hub.HubConfig;
import io.livehub.hub.Publication;
import io.livehub.hub.StreamBusyException;
import io.livehub.hub.StreamHub;
import io.livehub.hub.StreamSubscriber;
import io.livehub.hub.Subscription;
import io.livehub.media.CodecId;
import io.livehub.media.MediaFrame;
import io.livehub.media.StreamKey;
import io.livehub.media.Track;
import io.livehub.spi.ClientRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.EventExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Drives the session API as a protocol module would (a fake protocol "fake": a loop, a remote
 * address, frames of its own) and checks the fixed event sequence, the decisions (allow, deny,
 * timeout), the registry entry and that every buffer is released on the deny, close and error
 * paths.
 */
class ClientSessionTest {

    private static final Track VIDEO = Track.builder(CodecId.H264).config(new byte[] {1, 2, 3}).build();
    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 40000);

    private EventLoop loop;
    private StreamHub hub;
    private ClientRegistry registry;
    private EventDispatcher events;
    private ClientSessions sessions;
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final List<MediaFrame> made = new ArrayList<>();
    private volatile Decision connectAnswer = Decision.allow();
    private volatile Decision publishAnswer = Decision.allow();
    private volatile Decision playAnswer = Decision.allow();
    private volatile boolean neverAnswerPlay;

    private final MediaServerListener recorder = new MediaServerListener() {
        @Override
        public CompletionStage<Decision> onConnect(ConnectEvent e) {
            seen.add("connect " + e.clientId() + " " + e.vhost() + " " + e.app());
            return CompletableFuture.completedFuture(connectAnswer);
        }

        @Override
        public CompletionStage<Decision> onPublish(PublishEvent e) {
            seen.add("publish " + e.clientId() + " " + e.stream());
            return CompletableFuture.completedFuture(publishAnswer);
        }

        @Override
        public CompletionStage<Decision> onPlay(PlayEvent e) {
            seen.add("play " + e.clientId() + " " + e.stream());
            return neverAnswerPlay ? new CompletableFuture<>() : CompletableFuture.completedFuture(playAnswer);
        }

        @Override
        public void onUnpublish(UnpublishEvent e) {
            seen.add("unpublish " + e.clientId() + " " + e.stream());
        }

        @Override
        public void onStop(StopEvent e) {
            seen.add("stop " + e.clientId() + " " + e.stream());
        }

        @Override
        public void onClose(CloseEvent e) {
            seen.add("close " + e.clientId() + " " + e.vhost() + " " + e.app() + " in=" + e.recvBytes()
                    + " out=" + e.sendBytes());
        }
    };

    @BeforeEach
    void setUp() {
        loop = new DefaultEventLoop();
        hub = new StreamHub(HubConfig.defaults());
        registry = new ClientRegistry();
        events = new EventDispatcher(List.of(recorder), Duration.ofMillis(300), 2);
        sessions = new ClientSessions(hub, events, registry, VhostResolver.of(List.of("example.com")),
                new AtomicLong());
    }

    @AfterEach
    void tearDown() throws Exception {
        events.close();
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        for (MediaFrame f : made) {
            assertEquals(0, f.refCnt(), "frame not released: " + f);
        }
    }

    private ClientSession open() {
        return sessions.open("fake", PEER, loop);
    }

    private static <T> T get(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    private static Throwable failure(CompletionStage<?> stage) throws Exception {
        try {
            stage.toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("stage completed normally");
    }

    private void awaitSeen(int n) throws InterruptedException {
        await(() -> seen.size() >= n);
    }

    private static void await(BooleanSupplier cond) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met in 5 s");
            }
            Thread.sleep(2);
        }
    }

    private MediaFrame frame(long dts, boolean key) {
        MediaFrame f = MediaFrame.of(VIDEO, dts, dts, key, Unpooled.wrappedBuffer(new byte[] {(byte) dts, 7}));
        made.add(f);
        return f;
    }

    @Test
    void publisherRunsTheFixedSequenceOnItsLoop() throws Exception {
        ClientSession s = open();
        s.onKick(() -> loop.execute(s::close));
        ClientSession connected = get(s.connect(new ConnectRequest("rtmp://example.com/live?x=1", "", "live",
                Map.of("x", "1"))));
        assertSame(s, connected);
        assertEquals("example.com", s.vhost(), "the tcUrl's host names a configured vhost");
        assertTrue(registry.find(s.id()).isPresent(), "listed once connected");
        StreamKey key = s.streamKey("live", "cam");
        assertEquals("example.com", key.vhost());

        CompletableFuture<Boolean> onLoop = new CompletableFuture<>();
        Publication p = s.publish(key, Map.of("secret", "s")).toCompletableFuture()
                .whenComplete((v, t) -> onLoop.complete(loop.inEventLoop())).get(5, TimeUnit.SECONDS);
        assertTrue(onLoop.get(5, TimeUnit.SECONDS), "the stage completes on the client's loop");
        assertEquals(ClientSession.Role.PUBLISHING, s.role());
        assertEquals(key, s.stream());
        assertEquals(s.id(), hub.stream(key).publisherId());
        loop.submit(() -> p.publish(frame(0, true))).get(5, TimeUnit.SECONDS);

        s.addBytesIn(1000);
        s.addBytesOut(20);
        s.kick();
        awaitSeen(4);
        assertEquals(List.of(
                "connect " + s.id() + " example.com live",
                "publish " + s.id() + " example.com/live/cam",
                "unpublish " + s.id() + " example.com/live/cam",
                "close " + s.id() + " example.com live in=1000 out=20"), seen);
        assertFalse(registry.find(s.id()).isPresent(), "gone after close");
        assertTrue(p.isClosed(), "the publication ends with the session");
        assertNull(hub.stream(key), "nothing left in the hub");
        assertEquals(0, sessions.openCount());
    }

    @Test
    void playWithoutConnectConnectsFirstAndClosesLast() throws Exception {
        ClientSession s = open();
        Sink sink = new Sink(loop);
        StreamKey key = StreamKey.of("live", "cam");
        Subscription sub = get(s.play(key, Map.of(), sink));
        assertEquals(StreamKey.DEFAULT_VHOST, s.vhost());
        assertEquals(ClientSession.Role.PLAYING, s.role());

        ClientSession publisher = open();
        Publication p = get(publisher.publish(key, Map.of()));
        loop.submit(() -> {
            p.publish(frame(0, true));
            p.publish(frame(40, false));
        }).get(5, TimeUnit.SECONDS);
        await(() -> sink.frames.size() == 2);

        s.close();
        s.close(); // idempotent
        publisher.close();
        awaitSeen(8);
        List<String> player = seen.stream().filter(e -> e.contains(" " + s.id() + " ")).toList();
        assertEquals(List.of(
                "connect " + s.id() + " __defaultVhost__ live",
                "play " + s.id() + " live/cam",
                "stop " + s.id() + " live/cam",
                "close " + s.id() + " __defaultVhost__ live in=0 out=0"), player);
        assertTrue(sub.isClosed());
    }

    @Test
    void deniedPublishLeavesNothingBehind() throws Exception {
        publishAnswer = Decision.deny("wrong secret");
        ClientSession s = open();
        Throwable t = failure(s.publish(StreamKey.of("live", "cam"), Map.of()));
        SessionDeniedException denied = assertInstanceOf(SessionDeniedException.class, t);
        assertEquals("wrong secret", denied.reason());
        assertEquals(ClientSession.Role.CONNECTED, s.role());
        assertNull(hub.stream(StreamKey.of("live", "cam")));
        s.close();
        awaitSeen(3);
        assertEquals(List.of("connect " + s.id() + " __defaultVhost__ live", "publish " + s.id() + " live/cam",
                "close " + s.id() + " __defaultVhost__ live in=0 out=0"), seen);
    }

    @Test
    void deniedConnectIsNeverListedNorClosed() throws Exception {
        connectAnswer = Decision.deny("banned");
        ClientSession s = open();
        Throwable t = failure(s.connect(new ConnectRequest("rtmp://1.2.3.4/live", "", "live", Map.of())));
        assertEquals("banned", assertInstanceOf(SessionDeniedException.class, t).reason());
        assertFalse(registry.find(s.id()).isPresent());
        Throwable play = failure(s.play(StreamKey.of("live", "x"), Map.of(), new Sink(loop)));
        assertInstanceOf(SessionDeniedException.class, play, "a play after a denied connect asks again and is denied");
        s.close();
        Thread.sleep(50);
        assertTrue(seen.stream().noneMatch(e -> e.startsWith("close")), "no close without a connect");
        assertTrue(seen.stream().noneMatch(e -> e.startsWith("play")), "no play decision without a connect");
    }

    @Test
    void noDecisionInTimeDenies() throws Exception {
        neverAnswerPlay = true;
        ClientSession s = open();
        Throwable t = failure(s.play(StreamKey.of("live", "cam"), Map.of(), new Sink(loop)));
        assertTrue(assertInstanceOf(SessionDeniedException.class, t).reason().contains("timed out"));
        assertNull(hub.stream(StreamKey.of("live", "cam")), "no subscription was made");
        s.close();
    }

    @Test
    void closingWhileADecisionIsPendingFailsTheStageAndSubscribesNothing() throws Exception {
        neverAnswerPlay = true;
        ClientSession s = open();
        CompletionStage<Subscription> pending = s.play(StreamKey.of("live", "cam"), Map.of(), new Sink(loop));
        awaitSeen(2);
        s.close();
        Throwable t = failure(pending);
        assertTrue(t instanceof SessionClosedException || t instanceof SessionDeniedException, t.toString());
        assertNull(hub.stream(StreamKey.of("live", "cam")));
        awaitSeen(3);
        assertEquals("close " + s.id() + " __defaultVhost__ live in=0 out=0", seen.get(2));
    }

    @Test
    void aSecondPublisherIsRefusedAsBusy() throws Exception {
        StreamKey key = StreamKey.of("live", "cam");
        ClientSession first = open();
        get(first.publish(key, Map.of()));
        ClientSession second = open();
        assertInstanceOf(StreamBusyException.class, failure(second.publish(key, Map.of())));
        assertEquals(ClientSession.Role.CONNECTED, second.role());
        second.close();
        first.close();
        await(() -> hub.stream(key) == null);
    }

    @Test
    void watchCountsAViewerWithoutASubscription() throws Exception {
        ClientSession s = sessions.open("hls", PEER, loop);
        get(s.watch(StreamKey.of("live", "cam"), Map.of("hls_ctx", "abc")));
        assertEquals(ClientSession.Role.PLAYING, s.role());
        assertTrue(registry.find(s.id()).isPresent());
        assertNull(hub.stream(StreamKey.of("live", "cam")), "a viewer of a shared muxer holds no hub stream");
        s.stopPlaying();
        s.close();
        awaitSeen(4);
        assertTrue(seen.get(2).startsWith("stop " + s.id()));
    }

    @Test
    void framesQueuedForAClosedPlayerAreReleased() throws Exception {
        StreamKey key = StreamKey.of("live", "cam");
        ClientSession player = open();
        Sink stuck = new Sink(loop);
        stuck.writable = false; // nothing is drained: frames wait in its queue
        get(player.play(key, Map.of(), stuck));
        ClientSession publisher = open();
        Publication p = get(publisher.publish(key, Map.of()));
        loop.submit(() -> {
            for (int i = 0; i < 10; i++) {
                p.publish(frame(i * 40L, i == 0));
            }
        }).get(5, TimeUnit.SECONDS);
        player.close();
        publisher.close();
        await(() -> made.stream().allMatch(f -> f.refCnt() == 0));
    }

    @Test
    void trafficTotalsKeepTheBytesOfClosedSessions() throws Exception {
        ClientSession a = open();
        ClientSession b = open();
        a.addBytesIn(100);
        a.addBytesOut(1000);
        b.addBytesIn(5);
        assertEquals(105, sessions.bytesIn());
        assertEquals(1000, sessions.bytesOut());
        a.close();
        await(a::isClosed);
        b.addBytesOut(7);
        assertEquals(105, sessions.bytesIn());
        assertEquals(1007, sessions.bytesOut());
        b.close();
        await(b::isClosed);
        assertEquals(105, sessions.bytesIn());
        assertEquals(1007, sessions.bytesOut());
    }

    @Test
    void badInputIsCountedPerProtocol() {
        ClientSession s = open();
        s.badInput("chunk of 99999999 bytes over the limit");
        s.badInput("again");
        assertEquals(2, sessions.badInputCount("fake"));
        assertEquals(Map.of("fake", 2L), sessions.badInputCounts());
        s.close();
    }

    @Test
    void vhostRule() {
        VhostResolver r = VhostResolver.of(List.of("example.com", "other.org"));
        assertEquals("other.org", r.resolve("rtmp://example.com/live", Map.of("vhost", "other.org")));
        assertEquals("other.org", r.resolve("rtmp://example.com/live?vhost=other.org", Map.of()));
        assertEquals("example.com", r.resolve("rtmp://EXAMPLE.com:1935/live", Map.of()));
        assertEquals(StreamKey.DEFAULT_VHOST, r.resolve("rtmp://127.0.0.1/live", Map.of()));
        assertEquals(StreamKey.DEFAULT_VHOST, r.resolve("rtmp://localhost/live", Map.of()));
        assertEquals(StreamKey.DEFAULT_VHOST, r.resolve("rtmp://[::1]:1935/live", Map.of()));
        assertEquals(StreamKey.DEFAULT_VHOST, r.resolve("rtmp://unknown.net/live", Map.of()),
                "an unconfigured name is the default vhost, as in SRS");
        assertEquals(StreamKey.DEFAULT_VHOST, VhostResolver.defaultOnly().resolve("rtmp://example.com/live", Map.of()));
        assertEquals(StreamKey.DEFAULT_VHOST, r.resolve("", Map.of()));
    }

    /** A player of the fake protocol: keeps what it is given until the test ends. */
    private static final class Sink implements StreamSubscriber {
        private final EventExecutor executor;
        final List<Long> frames = new CopyOnWriteArrayList<>();
        volatile boolean writable = true;

        Sink(EventExecutor executor) {
            this.executor = executor;
        }

        @Override
        public EventExecutor executor() {
            return executor;
        }

        @Override
        public boolean isWritable() {
            return writable;
        }

        @Override
        public void onFrame(MediaFrame frame) {
            frames.add(frame.dts());
        }
    }
}
