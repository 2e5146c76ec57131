package io.livehub.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.media.CodecId;
import io.livehub.media.MediaFrame;
import io.livehub.media.StreamKey;
import io.livehub.media.Track;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StreamHubTest {

    private static final Track VIDEO = Track.builder(CodecId.H264).config(new byte[] {1, 2, 3}).build();
    private static final Track AUDIO = Track.builder(CodecId.AAC).config(new byte[] {0x12, 0x10}).build();
    private static final StreamKey KEY = StreamKey.of("live", "test");

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

    private MediaFrame frame(Track t, long dts, boolean key) {
        MediaFrame f = MediaFrame.of(t, dts, dts, key, Unpooled.wrappedBuffer(new byte[] {(byte) dts, 9, 9}));
        made.add(f);
        return f;
    }

    private void onLoop(EventExecutor loop, Runnable r) throws Exception {
        loop.submit(r).get(5, TimeUnit.SECONDS);
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

    /** Records what the hub delivers; optionally not writable, to model a slow player. */
    private final class Recorder implements StreamSubscriber {
        final List<Long> dts = new CopyOnWriteArrayList<>();
        final List<String> events = new CopyOnWriteArrayList<>();
        volatile boolean writable = true;
        volatile int flushes;
        /** Like a socket writer by default; false for one that wants each frame at once. */
        boolean batches = true;

        @Override
        public EventExecutor executor() {
            return playerLoop;
        }

        @Override
        public boolean batchesFrames() {
            return batches;
        }

        @Override
        public boolean isWritable() {
            return writable;
        }

        @Override
        public void onPublish(LiveStream stream) {
            events.add("publish");
        }

        @Override
        public void onMetadata(Map<String, Object> metadata) {
            events.add("metadata " + metadata.get("width"));
        }

        @Override
        public void onFrame(MediaFrame frame) {
            assertTrue(playerLoop.inEventLoop());
            assertTrue(frame.refCnt() > 0);
            dts.add(frame.dts());
        }

        @Override
        public void onFlush() {
            flushes++;
        }

        @Override
        public void onUnpublish(LiveStream stream) {
            events.add("unpublish");
        }
    }

    @Test
    void fansOutEveryFrameInOrderAndReleasesThem() throws Exception {
        StreamHub hub = new StreamHub(HubConfig.defaults());
        Recorder a = new Recorder();
        Recorder b = new Recorder();
        Subscription sa = hub.subscribe(KEY, a);
        Subscription sb = hub.subscribe(KEY, b);
        Publication[] p = new Publication[1];
        onLoop(publisherLoop, () -> {
            p[0] = hub.publish(KEY, publisherLoop, "c1");
            p[0].metadata(Map.of("width", 320));
            for (int i = 0; i < 100; i++) {
                p[0].publish(frame(VIDEO, i * 40L, i % 25 == 0));
            }
        });
        await(() -> a.dts.size() == 100 && b.dts.size() == 100);
        for (int i = 0; i < 100; i++) {
            assertEquals(i * 40L, a.dts.get(i));
        }
        assertEquals(List.of("publish", "metadata 320"), a.events);
        assertTrue(hub.stream(KEY).isPublishing());
        assertEquals(2, hub.stream(KEY).subscriberCount());
        onLoop(publisherLoop, p[0]::close);
        await(() -> a.events.contains("unpublish") && b.events.contains("unpublish"));
        sa.close();
        sb.close();
        await(() -> hub.stream(KEY) == null);
    }

    @Test
    void lateJoinerStartsAtCachedKeyframe() throws Exception {
        StreamHub hub = new StreamHub(HubConfig.defaults());
        Publication[] p = new Publication[1];
        onLoop(publisherLoop, () -> {
            p[0] = hub.publish(KEY, publisherLoop, "c1");
            for (int i = 0; i < 60; i++) {
                p[0].publish(frame(VIDEO, i * 40L, i % 25 == 0));
                p[0].publish(frame(AUDIO, i * 40L + 1, true));
            }
        });
        Recorder late = new Recorder();
        Subscription s = hub.subscribe(KEY, late);
        // The keyframe at i=50 and everything after it is cached: 10 video + 10 audio frames.
        await(() -> late.dts.size() == 20);
        assertEquals(50 * 40L, late.dts.get(0));
        onLoop(publisherLoop, () -> p[0].publish(frame(VIDEO, 60 * 40L, false)));
        await(() -> late.dts.size() == 21);
        s.close();
        onLoop(publisherLoop, p[0]::close);
        await(() -> hub.stream(KEY) == null);
    }

    @Test
    void playerBeforePublisherWaitsAndStartsAtFirstKeyframe() throws Exception {
        StreamHub hub = new StreamHub(HubConfig.defaults());
        Recorder early = new Recorder();
        Subscription s = hub.subscribe(KEY, early);
        Thread.sleep(20);
        assertTrue(early.events.isEmpty());
        Publication[] p = new Publication[1];
        onLoop(publisherLoop, () -> {
            p[0] = hub.publish(KEY, publisherLoop, "c1");
            p[0].publish(frame(VIDEO, 0, false)); // not decodable: skipped
            p[0].publish(frame(VIDEO, 40, true));
            p[0].publish(frame(VIDEO, 80, false));
        });
        await(() -> early.dts.size() == 2);
        assertEquals(List.of(40L, 80L), early.dts);
        assertEquals("publish", early.events.get(0));
        s.close();
        onLoop(publisherLoop, p[0]::close);
    }

    @Test
    void secondPublisherIsRefused() throws Exception {
        StreamHub hub = new StreamHub(HubConfig.defaults());
        Publication[] p = new Publication[1];
        onLoop(publisherLoop, () -> p[0] = hub.publish(KEY, publisherLoop, "c1"));
        assertThrows(StreamBusyException.class, () -> hub.publish(KEY, playerLoop, "c2"));
        onLoop(publisherLoop, p[0]::close);
        await(() -> hub.stream(KEY) == null);
        // Once the first publisher left, the name is free again.
        onLoop(publisherLoop, () -> p[0] = hub.publish(KEY, publisherLoop, "c3"));
        onLoop(publisherLoop, p[0]::close);
    }

    @Test
    void slowSubscriberDropsToNextKeyframeWithoutSlowingOthers() throws Exception {
        StreamHub hub = new StreamHub(HubConfig.builder().subscriberQueueFrames(16).gopCacheFrames(8).build());
        Recorder slow = new Recorder();
        slow.writable = false;
        Recorder fast = new Recorder();
        Subscription ss = hub.subscribe(KEY, slow);
        Subscription fs = hub.subscribe(KEY, fast);
        Publication[] p = new Publication[1];
        onLoop(publisherLoop, () -> p[0] = hub.publish(KEY, publisherLoop, "c1"));
        for (int i = 0; i < 40; i++) {
            long dts = i * 40L;
            boolean key = i % 10 == 0;
            onLoop(publisherLoop, () -> p[0].publish(frame(VIDEO, dts, key)));
            int expected = i + 1;
            await(() -> fast.dts.size() == expected);
        }
        assertTrue(ss.droppedFrames() > 0, "slow subscriber should drop");
        assertEquals(0, fs.droppedFrames());
        // The bound counts frames: frames 0..15 are queued, behind the publish signal.
        assertEquals(17, ss.queued());
        slow.writable = true;
        ss.wake();
        await(() -> slow.dts.size() == 16);
        assertEquals(0L, slow.dts.get(0));
        assertEquals(15 * 40L, slow.dts.get(15));
        onLoop(publisherLoop, () -> {
            p[0].publish(frame(VIDEO, 41 * 40L, false)); // still dropping: not a keyframe
            p[0].publish(frame(VIDEO, 42 * 40L, true));
        });
        await(() -> slow.dts.size() == 17);
        assertEquals(42 * 40L, slow.dts.get(16));
        long dropped = ss.droppedFrames();
        assertEquals(dropped, hub.stream(KEY).droppedFrames());
        ss.close();
        // The drops of a subscriber that left still count for the stream.
        assertEquals(dropped, hub.stream(KEY).droppedFrames());
        fs.close();
        onLoop(publisherLoop, p[0]::close);
    }

    @Test
    void closingReleasesQueuedFrames() throws Exception {
        StreamHub hub = new StreamHub(HubConfig.defaults());
        Recorder stuck = new Recorder();
        stuck.writable = false;
        Subscription s = hub.subscribe(KEY, stuck);
        Publication[] p = new Publication[1];
        onLoop(publisherLoop, () -> {
            p[0] = hub.publish(KEY, publisherLoop, "c1");
            for (int i = 0; i < 30; i++) {
                p[0].publish(frame(VIDEO, i * 40L, i == 0));
            }
        });
        await(() -> s.queued() >= 30);
        s.close();
        await(() -> s.queued() == 0);
        onLoop(publisherLoop, () -> p[0].publish(frame(VIDEO, 2000, true)));
        onLoop(publisherLoop, p[0]::close);
        await(() -> hub.stream(KEY) == null);
        assertTrue(stuck.dts.isEmpty());
    }

    @Test
    void subscriberStaysAcrossRepublishAndTimeGoesOn() throws Exception {
        StreamHub hub = new StreamHub(HubConfig.defaults());
        Recorder r = new Recorder();
        Subscription s = hub.subscribe(KEY, r);
        Publication[] p = new Publication[1];
        onLoop(publisherLoop, () -> {
            p[0] = hub.publish(KEY, publisherLoop, "c1");
            for (int i = 0; i < 10; i++) {
                p[0].publish(frame(VIDEO, 10_000 + i * 40L, i == 0));
            }
            p[0].close();
            // The publisher reconnects and its timestamps restart at zero.
            p[0] = hub.publish(KEY, publisherLoop, "c1");
            for (int i = 0; i < 10; i++) {
                p[0].publish(frame(VIDEO, i * 40L, i == 0));
            }
        });
        await(() -> r.dts.size() == 20);
        for (int i = 1; i < 20; i++) {
            assertTrue(r.dts.get(i) > r.dts.get(i - 1), "timestamps must increase: " + r.dts);
        }
        assertEquals(List.of("publish", "unpublish", "publish"), r.events);
        s.close();
        onLoop(publisherLoop, p[0]::close);
    }

    @Test
    void backwardsJumpIsSmoothed() throws Exception {
        StreamHub hub = new StreamHub(HubConfig.defaults());
        Recorder r = new Recorder();
        Subscription s = hub.subscribe(KEY, r);
        Publication[] p = new Publication[1];
        onLoop(publisherLoop, () -> {
            p[0] = hub.publish(KEY, publisherLoop, "c1");
            p[0].publish(frame(VIDEO, 1000, true));
            p[0].publish(frame(VIDEO, 1040, false));
            p[0].publish(frame(VIDEO, 80, false)); // backwards
            p[0].publish(frame(VIDEO, 120, false));
            p[0].publish(frame(VIDEO, 5_000_000, false)); // far ahead of the wall clock
            p[0].publish(frame(VIDEO, 5_000_040, false));
        });
        await(() -> r.dts.size() == 6);
        assertEquals(List.of(1000L, 1040L, 1080L, 1120L, 1160L, 1200L), r.dts);
        assertEquals(2, hub.stream(KEY).timestampDiscontinuities());
        s.close();
        onLoop(publisherLoop, p[0]::close);
    }

    @Test
    void publishFromAnotherThreadIsHandedToTheLoop() throws Exception {
        StreamHub hub = new StreamHub(HubConfig.defaults());
        Recorder r = new Recorder();
        Subscription s = hub.subscribe(KEY, r);
        Publication p = hub.publish(KEY, publisherLoop, "c1");
        CountDownLatch done = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            for (int i = 0; i < 10; i++) {
                p.publish(frame(VIDEO, i * 40L, i == 0));
            }
            done.countDown();
        });
        t.start();
        assertTrue(done.await(5, TimeUnit.SECONDS));
        await(() -> r.dts.size() == 10);
        p.close();
        s.close();
        await(() -> hub.stream(KEY) == null);
        assertNull(hub.stream(KEY));
        assertFalse(p.stream().isPublishing());
    }

    @Test
    void oneDrainTaskServesEverySubscriberOfALoop() throws Exception {
        AtomicInteger tasks = new AtomicInteger();
        playerLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        playerLoop = new DefaultEventLoop() {
            @Override
            public void execute(Runnable task) {
                tasks.incrementAndGet();
                super.execute(task);
            }
        };
        // Window 0: frames go out as they come, so this is the drainer's batching alone.
        StreamHub hub = new StreamHub(HubConfig.builder().mergeWriteWindow(Duration.ZERO).build());
        List<Recorder> players = new ArrayList<>();
        List<Subscription> subs = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            Recorder r = new Recorder();
            players.add(r);
            subs.add(hub.subscribe(KEY, r));
        }
        // Hold the player loop so that nothing drains while the frames go out.
        CountDownLatch hold = new CountDownLatch(1);
        playerLoop.execute(() -> {
            try {
                hold.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Publication[] p = new Publication[1];
        onLoop(publisherLoop, () -> {
            p[0] = hub.publish(KEY, publisherLoop, "c1");
            for (int i = 0; i < 10; i++) {
                p[0].publish(frame(VIDEO, i * 40L, i == 0));
            }
        });
        // 100 subscribers, 11 items each (publish signal and 10 frames): one drain task in all.
        assertEquals(2, tasks.get(), "tasks handed to the player loop");
        hold.countDown();
        await(() -> players.stream().allMatch(r -> r.dts.size() == 10));
        for (Recorder r : players) {
            assertEquals(1, r.flushes, "one flush per subscriber for the whole batch");
            assertEquals(List.of("publish"), r.events);
        }
        onLoop(publisherLoop, p[0]::close);
        subs.forEach(Subscription::close);
        await(() -> hub.stream(KEY) == null);
    }

    @Test
    void framesHeldForTheWindowGoOutTogetherAndAreReleasedWhenThePublicationEnds() throws Exception {
        StreamHub hub = new StreamHub(HubConfig.builder().mergeWriteWindow(Duration.ofSeconds(30)).build());
        Recorder gone = new Recorder();
        Recorder stays = new Recorder();
        Subscription goneSub = hub.subscribe(KEY, gone);
        Subscription staysSub = hub.subscribe(KEY, stays);
        Publication[] p = new Publication[1];
        List<MediaFrame> sent = new ArrayList<>();
        onLoop(publisherLoop, () -> {
            p[0] = hub.publish(KEY, publisherLoop, "c1");
            for (int i = 0; i < 5; i++) {
                MediaFrame f = frame(VIDEO, i * 40L, i == 0);
                sent.add(f);
                p[0].publish(f);
            }
        });
        // The window holds the frames for 30 s at the publisher: nobody has them yet.
        Thread.sleep(100);
        assertTrue(gone.dts.isEmpty() && stays.dts.isEmpty(), "frames held for the window");
        goneSub.close();
        // The end of the publication hands the held frames over at once, to the open subscriber only.
        onLoop(publisherLoop, p[0]::close);
        await(() -> stays.dts.size() == 5);
        assertEquals(List.of(0L, 40L, 80L, 120L, 160L), stays.dts);
        assertTrue(gone.dts.isEmpty(), "nothing delivered after close");
        staysSub.close();
        await(() -> sent.stream().allMatch(f -> f.refCnt() == 0));
    }

    @Test
    void aHeldWindowEndsOnItsTimerWhenNoFrameFollows() throws Exception {
        StreamHub hub = new StreamHub(HubConfig.builder().mergeWriteWindow(Duration.ofMillis(200)).build());
        Recorder r = new Recorder();
        Subscription s = hub.subscribe(KEY, r);
        Publication[] p = new Publication[1];
        onLoop(publisherLoop, () -> {
            p[0] = hub.publish(KEY, publisherLoop, "c1");
            p[0].publish(frame(VIDEO, 0, true));
            p[0].publish(frame(VIDEO, 40, false));
        });
        await(() -> r.dts.size() == 2);
        assertEquals(List.of(0L, 40L), r.dts);
        // A subscriber joining while frames are held gets them once, from the GOP cache.
        Recorder late = new Recorder();
        onLoop(publisherLoop, () -> p[0].publish(frame(VIDEO, 80, false)));
        Subscription lateSub = hub.subscribe(KEY, late);
        onLoop(publisherLoop, () -> p[0].publish(frame(VIDEO, 120, false)));
        await(() -> late.dts.size() == 4 && r.dts.size() == 4);
        assertEquals(List.of(0L, 40L, 80L, 120L), late.dts);
        assertEquals(List.of(0L, 40L, 80L, 120L), r.dts);
        onLoop(publisherLoop, p[0]::close);
        s.close();
        lateSub.close();
        await(() -> hub.stream(KEY) == null);
    }

    @Test
    void aSubscriberThatDoesNotBatchGetsEachFrameAtOnceWhileBatchersWait() throws Exception {
        StreamHub hub = new StreamHub(HubConfig.builder().mergeWriteWindow(Duration.ofSeconds(30)).build());
        Recorder socket = new Recorder();
        Recorder muxer = new Recorder();
        muxer.batches = false;
        Subscription socketSub = hub.subscribe(KEY, socket);
        Subscription muxerSub = hub.subscribe(KEY, muxer);
        Publication[] p = new Publication[1];
        onLoop(publisherLoop, () -> {
            p[0] = hub.publish(KEY, publisherLoop, "c1");
            p[0].publish(frame(VIDEO, 0, true));
            p[0].publish(frame(VIDEO, 40, false));
        });
        await(() -> muxer.dts.size() == 2);
        Thread.sleep(100);
        assertTrue(socket.dts.isEmpty(), "the batching subscriber waits for the window");
        onLoop(publisherLoop, p[0]::close);
        await(() -> socket.dts.size() == 2);
        assertEquals(List.of(0L, 40L), socket.dts);
        assertEquals(List.of(0L, 40L), muxer.dts);
        socketSub.close();
        muxerSub.close();
        await(() -> hub.stream(KEY) == null);
    }
}
