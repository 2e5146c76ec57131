package io.livehub.hub;

import io.livehub.media.MediaFrame;
import io.livehub.util.RateLimitedLog;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.EventExecutor;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jctools.queues.SpscGrowableArrayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One subscriber's attachment to a live stream: a bounded lock-free queue filled by the
 * publisher's thread and drained on the subscriber's executor (ARCHITECTURE.md section 3).
 *
 * <p>A drain is scheduled only when the queue goes from idle to non-empty, and not as a task
 * of its own: the subscription joins its executor's {@link SubscriberDrainer}, whose one task
 * drains every ready subscription of that executor. A drain delivers everything queued (up to
 * {@link HubConfig#maxDrainBatch()}) and calls {@link StreamSubscriber#onFlush()} once. When
 * the queue is full the subscriber drops frames until the next keyframe and counts them, so a
 * slow player never slows the publisher.
 *
 * <p>The queue has a single producer: every offer comes from the thread of the stream's current
 * publication, and one publication hands the stream to the next through an atomic reference,
 * so offers never overlap. The frame bound is checked against two counters, frames offered
 * (the producer's) and frames delivered (the drain's), not against the queue's size, which
 * would read both ends of the queue for every frame and subscriber.
 *
 * <p>The queue starts at {@value #INITIAL_QUEUE_CAPACITY} slots and doubles up to the frame
 * bound (plus room for signals) only when a subscriber actually falls behind or a GOP is
 * replayed to it, so an idle or keeping-up player costs a few hundred bytes, not the bound.
 *
 * <p>Thread-safety: {@link #close()}, {@link #wake()} and the getters may be called from any
 * thread. Ownership: every frame in the queue holds one reference, released when it is
 * delivered, dropped or the subscription is closed.
 */
public final class Subscription {

    private static final Logger log = LoggerFactory.getLogger(Subscription.class);
    private static final RateLimitedLog limitedLog = new RateLimitedLog(log, Duration.ofSeconds(10));

    /** Room kept above the frame bound for publish/unpublish/metadata signals. */
    private static final int SIGNAL_SLACK = 32;
    /** Slots a fresh queue starts with (a power of two; the queue grows by doubling). */
    static final int INITIAL_QUEUE_CAPACITY = 64;
    private static final Object PUBLISH = new Object();
    private static final Object UNPUBLISH = new Object();
    /** Writability is looked at before a drain and after every this many frames. */
    private static final int WRITABILITY_CHECK_FRAMES = 32;
    private static final VarHandle DELIVERED;

    static {
        try {
            DELIVERED = MethodHandles.lookup().findVarHandle(Subscription.class, "delivered", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final LiveStream stream;
    private final StreamSubscriber sink;
    private final SubscriberDrainer drainer;
    private final SpscGrowableArrayQueue<Object> queue;
    private final int frameLimit;
    private final int maxBatch;
    private final boolean batchesFrames;
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final AtomicLong dropped = new AtomicLong();
    /** Frames delivered; written by the drain only, with release stores. */
    private volatile long delivered;
    private volatile boolean closed;

    /** The drainer's ready-stack link; see {@link SubscriberDrainer}. */
    Subscription nextReady;

    // Written only by the publishing thread.
    private boolean waitingForKeyframe = true;
    private long offeredFrames;
    /** When the subscriber last had nothing pending or was seen taking frames. */
    private long progressAt = System.nanoTime();
    private long deliveredAtCheck;
    /** Start times of the latest drop episodes, a ring of {@code maxDropEpisodes + 1}. */
    private final long[] dropEpisodes;
    private int dropEpisodeCount;

    Subscription(LiveStream stream, StreamSubscriber sink, HubConfig config, SubscriberDrainer drainer) {
        this.stream = stream;
        this.sink = sink;
        this.drainer = drainer;
        this.frameLimit = config.subscriberQueueFrames();
        int max = frameLimit + SIGNAL_SLACK;
        this.queue = new SpscGrowableArrayQueue<>(Math.min(INITIAL_QUEUE_CAPACITY, max / 2), max);
        this.maxBatch = config.maxDrainBatch();
        this.batchesFrames = sink.batchesFrames();
        this.dropEpisodes = new long[config.maxDropEpisodes() + 1];
    }

    public LiveStream stream() {
        return stream;
    }

    public StreamSubscriber subscriber() {
        return sink;
    }

    /** Returns how many frames this subscriber dropped because it fell behind. */
    public long droppedFrames() {
        return dropped.get();
    }

    /** Returns how many frames were delivered to the subscriber. */
    public long deliveredFrames() {
        return delivered;
    }

    /** Returns the number of queued items (approximate while the stream is live). */
    public int queued() {
        return queue.size();
    }

    /** Returns whether the subscriber takes frames in merged-write batches; see {@link StreamSubscriber#batchesFrames()}. */
    boolean batchesFrames() {
        return batchesFrames;
    }

    public boolean isClosed() {
        return closed;
    }

    /** Resumes draining, e.g. when the subscriber's channel became writable again. */
    public void wake() {
        if (!queue.isEmpty()) {
            scheduleDrain();
        }
    }

    /**
     * Detaches the subscriber. Queued frames are released on its executor; no callback runs
     * afterwards. Idempotent.
     */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        stream.detach(this);
        // The drain runs at once (the merged-write window is applied before frames are
        // queued) and releases what is queued; a gone executor makes the drainer abandon it.
        scheduleDrain();
    }

    /** Publisher thread: queues a frame, or drops it when the subscriber is behind. */
    void offerFrame(MediaFrame frame, boolean randomAccess) {
        frame.retain();
        boolean taken = false;
        try {
            taken = offerRetained(frame, randomAccess);
        } catch (RuntimeException e) {
            fail("offer failed", e);
        } finally {
            if (!taken) {
                frame.release();
            }
        }
    }

    /**
     * Publisher thread: queues a frame on a reference the caller already took for this
     * subscriber (so a fan-out takes all of them with one atomic update), or drops it.
     *
     * @return whether the reference was taken; if not, the caller still owns it. Throws only
     *     before the frame is queued, so on a throw the caller owns the reference too.
     */
    boolean offerRetained(MediaFrame frame, boolean randomAccess) {
        if (closed) {
            return false;
        }
        if (waitingForKeyframe) {
            if (!randomAccess) {
                return false;
            }
            waitingForKeyframe = false;
        }
        if (offeredFrames - (long) DELIVERED.getAcquire(this) >= frameLimit || !queue.offer(frame)) {
            drop();
            return false;
        }
        offeredFrames++;
        scheduleDrain();
        return true;
    }

    private void drop() {
        dropped.incrementAndGet();
        waitingForKeyframe = true;
        long now = System.nanoTime();
        int n = dropEpisodes.length;
        dropEpisodes[dropEpisodeCount % n] = now;
        dropEpisodeCount++;
        // The ring holds maxDropEpisodes + 1 starts: full and the oldest within the window
        // means more episodes than allowed within it.
        HubConfig c = stream.config();
        if (dropEpisodeCount >= n && !c.dropEpisodeWindow().isZero()
                && now - dropEpisodes[dropEpisodeCount % n] <= c.dropEpisodeWindow().toNanos()) {
            evict(Eviction.DROPS, "dropped to a keyframe " + n + " times within " + c.dropEpisodeWindow().toSeconds() + " s");
        }
    }

    /**
     * Publisher thread: returns whether the subscriber has had frames pending without taking
     * one for longer than {@code timeoutNanos} (checked every second or so, so the deadline
     * holds give or take that).
     */
    boolean stalledLongerThan(long timeoutNanos, long now) {
        long d = (long) DELIVERED.getAcquire(this);
        if (d != deliveredAtCheck || d >= offeredFrames) {
            deliveredAtCheck = d;
            progressAt = now;
            return false;
        }
        return now - progressAt > timeoutNanos;
    }

    /** Publisher thread: starts the write deadline afresh (the subscriber was attached or a publication began). */
    void resetProgress(long now) {
        deliveredAtCheck = (long) DELIVERED.getAcquire(this);
        progressAt = now;
    }

    /** Why the hub closed a subscription. */
    enum Eviction { WRITE_TIMEOUT, DROPS, FAILED }

    /**
     * Closes the subscription and tells the subscriber, on its executor, through
     * {@link StreamSubscriber#onEvicted}, so the protocol closes its connection. Counted on the hub.
     */
    void evict(Eviction why, String reason) {
        if (closed) {
            return;
        }
        stream.hub().countEviction(why);
        limitedLog.warn("evicted-" + why, "closing a subscriber of {}: {}", stream.key(), reason);
        close();
        try {
            sink.executor().execute(() -> {
                try {
                    sink.onEvicted(reason);
                } catch (RuntimeException e) {
                    limitedLog.warn("evict-callback", "subscriber of {} failed in onEvicted", stream.key(), e);
                }
            });
        } catch (RejectedExecutionException e) {
            // The executor is gone, and its connection with it.
        }
    }

    /** Isolates a subscriber that threw: it alone is closed, counted and logged. */
    void fail(String what, Throwable cause) {
        if (closed) {
            return;
        }
        limitedLog.warn("failed", "subscriber of {} failed ({}); closing it", stream.key(), what, cause);
        evict(Eviction.FAILED, what + ": " + cause);
    }

    /** Publisher thread: restarts keyframe gating, for a new publication. */
    void awaitKeyframe() {
        waitingForKeyframe = true;
    }

    void offerPublish() {
        offerSignal(PUBLISH);
    }

    void offerUnpublish() {
        offerSignal(UNPUBLISH);
    }

    void offerMetadata(Map<String, Object> metadata) {
        offerSignal(new MetadataSignal(metadata));
    }

    private void offerSignal(Object signal) {
        if (closed) {
            return;
        }
        if (!queue.offer(signal)) {
            // Signals fit in the slack unless the subscriber stopped draining entirely.
            evict(Eviction.WRITE_TIMEOUT, "does not drain its stream signals");
            return;
        }
        scheduleDrain();
    }

    private void scheduleDrain() {
        if (!drainScheduled.get() && drainScheduled.compareAndSet(false, true)) {
            try {
                drainer.ready(this);
            } catch (RuntimeException e) {
                // Queued items stay for the drain a wake() or close() schedules; the publisher
                // goes on whatever the subscriber's executor did.
                drainScheduled.set(false);
                limitedLog.warn("schedule", "could not schedule a drain for a subscriber of {}", stream.key(), e);
            }
        }
    }

    /** The drainer could not reach the executor (it is gone): nobody else will drain. */
    void abandon() {
        closed = true;
        releaseQueued();
        drainScheduled.set(false);
    }

    /** Executor thread, called by the {@link SubscriberDrainer}. */
    void drain() {
        if (closed) {
            releaseQueued();
        } else {
            int n = 0;
            try {
                Object item;
                boolean writable = sink.isWritable();
                while (writable && n < maxBatch && !closed && (item = queue.relaxedPoll()) != null) {
                    n++;
                    deliver(item);
                    if (n % WRITABILITY_CHECK_FRAMES == 0) {
                        writable = sink.isWritable();
                    }
                }
            } finally {
                if (n > 0 && !closed) {
                    try {
                        sink.onFlush();
                    } catch (RuntimeException e) {
                        fail("onFlush", e);
                    }
                }
            }
            if (closed) {
                releaseQueued();
            }
        }
        drainScheduled.set(false);
        if (!queue.isEmpty() && (closed || sink.isWritable())) {
            scheduleDrain();
        }
    }

    private void deliver(Object item) {
        if (item instanceof MediaFrame) {
            MediaFrame frame = (MediaFrame) item;
            try {
                sink.onFrame(frame);
            } catch (RuntimeException e) {
                fail("onFrame", e);
            } finally {
                DELIVERED.setRelease(this, delivered + 1);
                frame.release();
            }
            return;
        }
        try {
            if (item == PUBLISH) {
                sink.onPublish(stream);
            } else if (item == UNPUBLISH) {
                sink.onUnpublish(stream);
            } else if (item instanceof MetadataSignal) {
                sink.onMetadata(((MetadataSignal) item).metadata);
            }
        } catch (RuntimeException e) {
            fail("stream event", e);
        }
    }

    private void releaseQueued() {
        Object item;
        while ((item = queue.poll()) != null) {
            ReferenceCountUtil.release(item);
        }
    }

    private static final class MetadataSignal {
        final Map<String, Object> metadata;

        MetadataSignal(Map<String, Object> metadata) {
            this.metadata = metadata;
        }
    }
}
