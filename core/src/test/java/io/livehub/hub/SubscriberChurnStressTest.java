package io.livehub.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Closes hundreds of subscriptions from other threads while the publisher's thread fans frames
 * out and prunes them: the publisher never fails and the subscribers that stay see every frame
 * in order (issue 13, item 0: 200 players leaving at once ended the stream for everyone).
 */
class SubscriberChurnStressTest {

    private static final Track VIDEO = Track.builder(CodecId.H264).config(new byte[] {1, 2, 3}).build();
    private static final StreamKey KEY = StreamKey.of("live", "churn");
    private static final int ROUNDS = 40;
    private static final int LEAVERS = 300;
    private static final int FRAMES_PER_ROUND = 300;
    private static final int STAYERS = 4;
    private static final int CLOSER_THREADS = 4;

    private EventLoop publisherLoop;
    private final List<EventLoop> playerLoops = new ArrayList<>();
    private ExecutorService closers;

    @BeforeEach
    void setUp() {
        publisherLoop = new DefaultEventLoop();
        for (int i = 0; i < 3; i++) {
            playerLoops.add(new DefaultEventLoop());
        }
        closers = Executors.newFixedThreadPool(CLOSER_THREADS);
    }

    @AfterEach
    void tearDown() throws Exception {
        closers.shutdownNow();
        publisherLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        for (EventLoop l : playerLoops) {
            l.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    /** Counts frames and checks they come in publishing order. */
    private static final class Counter implements StreamSubscriber {
        final EventExecutor loop;
        final boolean batches;
        final AtomicLong frames = new AtomicLong();
        volatile long lastDts = -1;
        volatile String error;

        Counter(EventExecutor loop, boolean batches) {
            this.loop = loop;
            this.batches = batches;
        }

        @Override
        public EventExecutor executor() {
            return loop;
        }

        @Override
        public boolean batchesFrames() {
            return batches;
        }

        @Override
        public void onFrame(MediaFrame frame) {
            if (frame.dts() != lastDts + 1 && error == null) {
                error = "expected dts " + (lastDts + 1) + " got " + frame.dts();
            }
            lastDts = frame.dts();
            frames.incrementAndGet();
        }
    }

    @ParameterizedTest(name = "merged-write window {0} ms")
    @ValueSource(longs = {0, 1})
    void manySubscribersLeavingAtOnceNeverFailThePublisher(long windowMillis) throws Exception {
        churn(windowMillis, ROUNDS, LEAVERS, FRAMES_PER_ROUND, false);
    }

    /**
     * The same with leavers that hold frames in their queues when they close (each round starts
     * at a keyframe), so the release paths of a close racing with a fan-out run under the leak
     * detector; smaller, because the detector records every reference taken.
     */
    @Test
    void leaversHoldingFramesReleaseThemAll() throws Exception {
        churn(1, 10, 100, 100, true);
        for (MediaFrame f : made) {
            assertEquals(0, f.refCnt(), "frame not released: " + f);
        }
    }

    private void churn(long windowMillis, int rounds, int leaverCount, int framesPerRound, boolean leaversTakeFrames)
            throws Exception {
        StreamHub hub = new StreamHub(HubConfig.builder()
                .mergeWriteWindow(Duration.ofMillis(windowMillis))
                .subscriberQueueFrames(1 << 16)
                .gopCacheFrames(0)
                .timestampCorrection(false)
                .build());
        List<Counter> stayers = new ArrayList<>();
        List<Subscription> stayerSubs = new ArrayList<>();
        for (int i = 0; i < STAYERS; i++) {
            Counter c = new Counter(playerLoops.get(i % playerLoops.size()), i % 2 == 0);
            stayers.add(c);
            stayerSubs.add(hub.subscribe(KEY, c));
        }
        Publication p = publisherLoop.submit(() -> hub.publish(KEY, publisherLoop, "pub")).get(5, TimeUnit.SECONDS);
        long dts = 0;
        Random random = new Random(13);
        for (int round = 0; round < rounds; round++) {
            // The leavers join after the stream's only keyframe, so they take no frames: the
            // round is about the subscriber arrays, and the leak detector's cost stays small.
            List<Subscription> leavers = new ArrayList<>();
            for (int i = 0; i < leaverCount; i++) {
                Counter c = new Counter(playerLoops.get(i % playerLoops.size()), i % 2 == 0);
                leavers.add(hub.subscribe(KEY, c));
            }
            long first = dts;
            // Attach them on the publisher's thread before the burst.
            publisherLoop.submit(() -> p.publish(frame(first, first == 0 || leaversTakeFrames)))
                    .get(5, TimeUnit.SECONDS);
            dts++;
            Collections.shuffle(leavers, random);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> closing = new ArrayList<>();
            int share = leaverCount / CLOSER_THREADS;
            for (int t = 0; t < CLOSER_THREADS; t++) {
                List<Subscription> mine = leavers.subList(t * share, (t + 1) * share);
                closing.add(closers.submit(() -> {
                    go.await();
                    mine.forEach(Subscription::close);
                    return null;
                }));
            }
            long start = dts;
            Future<?> burst = publisherLoop.submit(() -> {
                go.countDown();
                for (int i = 0; i < framesPerRound; i++) {
                    p.publish(frame(start + i, false));
                }
            });
            burst.get(10, TimeUnit.SECONDS);
            for (Future<?> f : closing) {
                f.get(10, TimeUnit.SECONDS);
            }
            dts += framesPerRound;
        }
        long total = dts;
        publisherLoop.submit(p::close).get(5, TimeUnit.SECONDS);
        await(() -> stayers.stream().allMatch(c -> c.frames.get() == total));
        for (Counter c : stayers) {
            assertEquals(null, c.error);
            assertEquals(total, c.frames.get());
        }
        stayerSubs.forEach(Subscription::close);
        await(() -> hub.stream(KEY) == null);
    }

    private final List<MediaFrame> made = Collections.synchronizedList(new ArrayList<>());

    private MediaFrame frame(long dts, boolean key) {
        MediaFrame f = MediaFrame.of(VIDEO, dts, dts, key, Unpooled.wrappedBuffer(new byte[] {(byte) dts, 9, 9}));
        made.add(f);
        return f;
    }

    private static void await(java.util.function.BooleanSupplier cond) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met in 20 s");
            }
            Thread.sleep(2);
        }
    }
}
