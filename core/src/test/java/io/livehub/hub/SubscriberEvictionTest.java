package io.livehub.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.media.CodecId;
import io.livehub.media.MediaFrame;
import io.livehub.media.StreamKey;
import io.livehub.media.Track;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.EventExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The hub closes subscribers that stop taking frames, drop too often, or throw (issue 13, items 0 and 4). */
class SubscriberEvictionTest {

    private static final Track VIDEO = Track.builder(CodecId.H264).config(new byte[] {1, 2, 3}).build();
    private static final StreamKey KEY = StreamKey.of("live", "evict");

    private EventLoop publisherLoop;
    private EventLoop playerLoop;
    private final List<MediaFrame> made = new ArrayList<>();

    @BeforeEach
    void setUp() {
        publisherLoop = new DefaultEventLoop();
        playerLoop = new DefaultEventLoop();
    }

    @AfterEach
    void tearDown() throws Exception {
        publisherLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        playerLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        for (MediaFrame f : made) {
            assertEquals(0, f.refCnt(), "frame not released: " + f);
        }
    }

    private final class Player implements StreamSubscriber {
        volatile boolean writable = true;
        volatile boolean throwOnFrame;
        final List<Long> dts = new CopyOnWriteArrayList<>();
        final List<String> evictions = new CopyOnWriteArrayList<>();

        @Override
        public EventExecutor executor() {
            return playerLoop;
        }

        @Override
        public boolean isWritable() {
            return writable;
        }

        @Override
        public void onFrame(MediaFrame frame) {
            if (throwOnFrame) {
                throw new IllegalStateException("player bug");
            }
            dts.add(frame.dts());
        }

        @Override
        public void onEvicted(String reason) {
            assertTrue(playerLoop.inEventLoop());
            evictions.add(reason);
        }
    }

    private MediaFrame frame(long dts, boolean key) {
        MediaFrame f = MediaFrame.of(VIDEO, dts, dts, key, Unpooled.wrappedBuffer(new byte[] {(byte) dts, 9}));
        made.add(f);
        return f;
    }

    private static HubConfig.Builder config() {
        return HubConfig.builder().mergeWriteWindow(Duration.ZERO).timestampCorrection(false);
    }

    @Test
    void aSubscriberThatNeverTakesAFrameIsClosedAtTheWriteDeadlineWhileOthersGoOn() throws Exception {
        StreamHub hub = new StreamHub(config().writeTimeout(Duration.ofMillis(200)).build());
        Player stuck = new Player();
        stuck.writable = false;
        Player reading = new Player();
        Subscription stuckSub = hub.subscribe(KEY, stuck);
        Subscription readingSub = hub.subscribe(KEY, reading);
        Publication p = publisherLoop.submit(() -> hub.publish(KEY, publisherLoop, "c1")).get(5, TimeUnit.SECONDS);
        long dts = 0;
        // Publish at about 50 frames a second until the stuck one is gone (5 s at most).
        long give = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!stuckSub.isClosed() && System.nanoTime() < give) {
            long d = dts++;
            publisherLoop.submit(() -> p.publish(frame(d, d % 25 == 0))).get(5, TimeUnit.SECONDS);
            Thread.sleep(20);
        }
        assertTrue(stuckSub.isClosed(), "the stuck subscriber is closed");
        await(() -> stuck.evictions.size() == 1);
        assertTrue(stuck.evictions.get(0).contains("took no frame"), stuck.evictions.get(0));
        assertEquals(1, hub.evictedByWriteTimeout());
        assertFalse(readingSub.isClosed(), "a subscriber that reads stays");
        long sent = dts;
        await(() -> reading.dts.size() == sent);
        publisherLoop.submit(p::close).get(5, TimeUnit.SECONDS);
        readingSub.close();
        await(() -> hub.stream(KEY) == null);
    }

    @Test
    void aSubscriberThatDropsTooOftenIsClosed() throws Exception {
        StreamHub hub = new StreamHub(config().subscriberQueueFrames(16).gopCacheFrames(0)
                .writeTimeout(Duration.ZERO).maxDropEpisodes(2, Duration.ofMinutes(1)).build());
        Player slow = new Player();
        slow.writable = false;
        Subscription s = hub.subscribe(KEY, slow);
        Publication p = publisherLoop.submit(() -> hub.publish(KEY, publisherLoop, "c1")).get(5, TimeUnit.SECONDS);
        // Every frame a keyframe: each overflow is a drop episode. 16 fit, then the 3rd drop closes it.
        publisherLoop.submit(() -> {
            for (int i = 0; i < 16 + 3; i++) {
                p.publish(frame(i, true));
            }
        }).get(5, TimeUnit.SECONDS);
        assertTrue(s.isClosed());
        assertEquals(3, s.droppedFrames());
        assertEquals(1, hub.evictedByDrops());
        await(() -> slow.evictions.size() == 1);
        publisherLoop.submit(p::close).get(5, TimeUnit.SECONDS);
        await(() -> hub.stream(KEY) == null);
    }

    @Test
    void aSubscriberThatThrowsIsClosedAloneAndThePublisherGoesOn() throws Exception {
        StreamHub hub = new StreamHub(config().build());
        Player faulty = new Player();
        faulty.throwOnFrame = true;
        Player fine = new Player();
        Subscription faultySub = hub.subscribe(KEY, faulty);
        Subscription fineSub = hub.subscribe(KEY, fine);
        Publication p = publisherLoop.submit(() -> hub.publish(KEY, publisherLoop, "c1")).get(5, TimeUnit.SECONDS);
        publisherLoop.submit(() -> {
            for (int i = 0; i < 10; i++) {
                p.publish(frame(i, i == 0));
            }
        }).get(5, TimeUnit.SECONDS);
        await(() -> fine.dts.size() == 10);
        await(() -> faulty.evictions.size() == 1);
        assertTrue(faultySub.isClosed());
        assertEquals(1, hub.failedSubscribers());
        assertFalse(fineSub.isClosed());
        publisherLoop.submit(p::close).get(5, TimeUnit.SECONDS);
        fineSub.close();
        await(() -> hub.stream(KEY) == null);
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
}
