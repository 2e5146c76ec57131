package io.livehub.push.internal;

import io.livehub.hub.LiveStream;
import io.livehub.hub.StreamSubscriber;
import io.livehub.hub.Subscription;
import io.livehub.media.MediaFrame;
import io.livehub.media.TrackKind;
import io.livehub.push.PushConfig;
import io.livehub.push.PushState;
import io.livehub.push.PushTaskInfo;
import io.livehub.push.PushTaskSpec;
import io.livehub.push.ReconnectPolicy;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one push task: waits for its stream, connects, sends, detects a dead, stalled or too
 * slow destination, and reconnects with backoff, through the states of {@link PushState}.
 *
 * <p>Every connection gets a fresh hub subscription, so the destination starts with the
 * stream's metadata and sequence headers and at the cached keyframe at once, and a fresh
 * {@link TimestampRebaser}, so its timestamps start at 0 and never go back. The subscription's
 * bounded queue is the task's queue: while the destination's socket is full the task reports
 * itself unwritable, the hub queues, and past the queue's bound drops to the next keyframe and
 * counts; past {@link PushConfig#maxDrops()} overflows on one connection, or when the socket
 * stays full for {@link PushConfig#stallTimeout()}, the task reconnects.
 *
 * <p>Thread-safety: the task runs on one event loop, which also runs its destination's
 * channel; {@link #start()}, {@link #stop()} and {@link #info()} may be called from any thread
 * and never wait for the network.
 */
final class PushTask {

    private static final Logger log = LoggerFactory.getLogger(PushTask.class);
    /** How often a pushing task looks at its destination's progress. */
    static final Duration TICK = Duration.ofMillis(100);
    /** How soon a full destination is looked at again, to resume sending. */
    static final Duration WAKE_CHECK = Duration.ofMillis(10);
    /** How long a closing connection may take before the task counts it closed. */
    static final Duration CLOSE_GRACE = Duration.ofSeconds(2);

    private final PushTaskSpec spec;
    private final PushConfig config;
    private final ReconnectPolicy policy;
    private final EventLoop loop;
    private final DestinationFactory destinations;
    private final PushSession session;
    private final Consumer<StateChange> changes;
    private final TrackSelector selector;
    private final Instant createdTime = Instant.now();
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private final AtomicBoolean wakeScheduled = new AtomicBoolean();

    // Written on the loop, read anywhere.
    private volatile PushState state = PushState.READY;
    private volatile long sequence;
    private volatile long connectionBytesBase;
    private volatile long finishedBytes;
    private volatile long finishedMillis;
    private volatile long lastConnectionBytes;
    private volatile long lastConnectionMillis;
    private volatile long droppedBefore;
    private volatile Instant startTime;
    private volatile Instant finishTime;
    private volatile String lastError;
    private volatile int attempt;
    private volatile Destination destination;
    private volatile Subscription subscription;
    private volatile long pushingSinceNanos;

    // Loop only.
    private int generation;
    private boolean live;
    private boolean stopRequested;
    private boolean videoStarted;
    private boolean streamHasVideo;
    private TimestampRebaser rebaser;
    private long blockedSinceNanos;
    private ScheduledFuture<?> retryTimer;
    private ScheduledFuture<?> tickTimer;

    /** One state change, with the snapshot right after it. */
    record StateChange(PushTaskInfo info, PushState previous) {
    }

    PushTask(PushTaskSpec spec, PushConfig config, EventLoop loop, DestinationFactory destinations,
             PushSession session, Consumer<StateChange> changes) {
        this.spec = spec;
        this.config = config;
        this.policy = config.reconnect();
        this.loop = loop;
        this.destinations = destinations;
        this.session = session;
        this.changes = changes;
        this.selector = new TrackSelector(spec.variantNames());
    }

    PushTaskSpec spec() {
        return spec;
    }

    PushState state() {
        return state;
    }

    /** Returns a stage that completes when the task reached {@code stopped}. */
    CompletableFuture<Void> stopped() {
        return stopped;
    }

    /** Subscribes to the stream; the task connects when the stream is (or becomes) live. */
    void start() {
        session.open();
        run(() -> {
            live = session.isLive();
            subscribe();
            if (live) {
                connect();
            }
        });
    }

    /** Stops the task: closes the connection and the subscription; ends in {@code stopped}. */
    void stop() {
        run(this::doStop);
    }

    /** Returns a snapshot of the task, without waiting for it. */
    PushTaskInfo info() {
        PushState s = state;
        Destination d = destination;
        long bytes;
        long millis;
        if (s == PushState.PUSHING && d != null) {
            bytes = d.sentBytes();
            millis = (System.nanoTime() - pushingSinceNanos) / 1_000_000;
        } else {
            bytes = lastConnectionBytes;
            millis = lastConnectionMillis;
        }
        Subscription sub = subscription;
        long dropped = droppedBefore + (sub == null ? 0 : sub.droppedFrames());
        boolean current = s == PushState.PUSHING;
        return new PushTaskInfo(spec, s, bytes, millis, sequence, finishedBytes + (current ? bytes : 0),
                finishedMillis + (current ? millis : 0), dropped, createdTime, startTime, finishTime, lastError,
                attempt);
    }

    private void run(Runnable r) {
        if (loop.inEventLoop()) {
            r.run();
            return;
        }
        try {
            loop.execute(r);
        } catch (RejectedExecutionException e) {
            // The server is shutting down its loops; nothing is left to send or close.
            session.close();
            setState(PushState.STOPPED);
            stopped.complete(null);
        }
    }

    // ---- state machine, on the loop ----

    private void setState(PushState next) {
        PushState prev = state;
        if (prev == next) {
            return;
        }
        state = next;
        if (next == PushState.STOPPED) {
            finishTime = Instant.now();
        }
        changes.accept(new StateChange(info(), prev));
    }

    private void subscribe() {
        Subscription old = subscription;
        if (old != null) {
            droppedBefore += old.droppedFrames();
            old.close();
        }
        int gen = ++generation;
        subscription = session.play(new Subscriber(gen));
    }

    private void connect() {
        if (stopRequested) {
            return;
        }
        cancelRetry();
        Destination d;
        try {
            d = destinations.create(spec, loop);
        } catch (RuntimeException e) {
            fail("cannot make the connection: " + e.getMessage());
            return;
        }
        destination = d;
        setState(PushState.CONNECTING);
        d.open().whenComplete((v, t) -> run(() -> opened(d, t)));
    }

    private void opened(Destination d, Throwable t) {
        if (d != destination) {
            d.close();
            return;
        }
        if (stopRequested) {
            // Stopped while connecting: the close already asked for ends the connect too.
            d.close();
            finishStop();
            return;
        }
        if (t != null) {
            fail(describe(t));
            return;
        }
        d.closeFuture().whenComplete((v, e) -> run(() -> closed(d, e)));
        sequence++;
        lastError = null;
        pushingSinceNanos = System.nanoTime();
        startTime = Instant.now();
        blockedSinceNanos = 0;
        rebaser = new TimestampRebaser();
        videoStarted = false;
        streamHasVideo = false;
        selector.reset();
        setState(PushState.PUSHING);
        log.info("push {}: pushing {} to {} (connection {})", spec.id(), spec.stream(),
                DestinationUrls.redact(spec.url()), sequence);
        // A fresh subscription replays metadata, sequence headers and the GOP from its keyframe.
        subscribe();
        if (!session.isLive()) {
            publisherLeft();
            return;
        }
        tickTimer = loop.scheduleAtFixedRate(this::tick, TICK.toNanos(), TICK.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void closed(Destination d, Throwable cause) {
        if (d != destination) {
            return;
        }
        if (state == PushState.STOPPING) {
            finishStop();
            return;
        }
        fail(cause == null ? "the destination closed the connection" : describe(cause));
    }

    private void tick() {
        Destination d = destination;
        if (state != PushState.PUSHING || d == null) {
            return;
        }
        long now = System.nanoTime();
        if (!d.isWritable()) {
            if (blockedSinceNanos == 0) {
                blockedSinceNanos = now;
            } else if (now - blockedSinceNanos >= config.stallTimeout().toNanos()) {
                fail("the destination stalled: it took no bytes for " + config.stallTimeout().toMillis() + " ms");
                return;
            }
        } else {
            blockedSinceNanos = 0;
            Subscription s = subscription;
            if (s != null) {
                s.wake();
            }
        }
        Subscription s = subscription;
        if (s != null && s.droppedFrames() > config.maxDrops()) {
            fail("the destination is too slow: its queue overflowed " + s.droppedFrames() + " times on this connection");
        }
    }

    /**
     * Looks again shortly at a destination the hub found full, and resumes the drain as soon
     * as it takes bytes again: the destination has no writability callback of its own.
     */
    private void scheduleWake() {
        if (wakeScheduled.compareAndSet(false, true)) {
            try {
                loop.schedule(this::wakeCheck, WAKE_CHECK.toNanos(), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                wakeScheduled.set(false);
            }
        }
    }

    private void wakeCheck() {
        wakeScheduled.set(false);
        Destination d = destination;
        Subscription s = subscription;
        if (state != PushState.PUSHING || d == null || s == null) {
            return;
        }
        if (d.isWritable()) {
            s.wake();
        } else {
            scheduleWake();
        }
    }

    /** Ends the current connection after a failure and schedules the next attempt. */
    private void fail(String reason) {
        if (stopRequested) {
            return;
        }
        boolean wasStable = state == PushState.PUSHING
                && System.nanoTime() - pushingSinceNanos >= policy.stableAfter().toNanos();
        endConnection();
        lastError = reason;
        attempt = wasStable ? 1 : attempt + 1;
        if (!policy.allows(attempt)) {
            log.warn("push {}: {}; giving up after {} attempts", spec.id(), reason, attempt - 1);
            setState(PushState.ERROR);
            return;
        }
        Duration delay = policy.delay(attempt, ThreadLocalRandom.current().nextDouble());
        log.warn("push {} to {}: {}; retry {} in {} ms", spec.id(), DestinationUrls.redact(spec.url()), reason,
                attempt, delay.toMillis());
        setState(PushState.ERROR);
        retryTimer = loop.schedule(this::retry, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void retry() {
        retryTimer = null;
        if (state != PushState.ERROR || stopRequested) {
            return;
        }
        if (live) {
            connect();
        } else {
            setState(PushState.READY);
        }
    }

    private void publisherLeft() {
        live = false;
        if (state == PushState.CONNECTING || state == PushState.PUSHING || state == PushState.ERROR) {
            endConnection();
            cancelRetry();
            attempt = 0;
            setState(PushState.READY);
        }
    }

    private void publisherArrived(LiveStream stream) {
        live = true;
        if (state == PushState.READY) {
            connect();
        } else if (state == PushState.PUSHING) {
            Destination d = destination;
            if (d != null) {
                d.onPublish(stream);
            }
            videoStarted = false;
            selector.reset();
            // Audio waits for a video keyframe only when video is sent at all.
            streamHasVideo = stream.videoTrack() != null && selector.accepts(stream.videoTrack());
        }
    }

    /** Closes the connection (if any) and books its counters. */
    private void endConnection() {
        cancelTick();
        Destination d = destination;
        destination = null;
        if (d != null) {
            if (state == PushState.PUSHING) {
                lastConnectionBytes = d.sentBytes();
                lastConnectionMillis = (System.nanoTime() - pushingSinceNanos) / 1_000_000;
                finishedBytes += lastConnectionBytes;
                finishedMillis += lastConnectionMillis;
            }
            d.close();
        }
    }

    private void doStop() {
        if (stopRequested) {
            return;
        }
        stopRequested = true;
        cancelRetry();
        cancelTick();
        Subscription s = subscription;
        subscription = null;
        generation++;
        if (s != null) {
            droppedBefore += s.droppedFrames();
            s.close();
        }
        Destination d = destination;
        if (d != null && state == PushState.PUSHING) {
            lastConnectionBytes = d.sentBytes();
            lastConnectionMillis = (System.nanoTime() - pushingSinceNanos) / 1_000_000;
            finishedBytes += lastConnectionBytes;
            finishedMillis += lastConnectionMillis;
        }
        setState(PushState.STOPPING);
        if (d == null) {
            finishStop();
            return;
        }
        d.close();
        // A destination that never confirms its close must not keep the task alive.
        loop.schedule(this::finishStop, CLOSE_GRACE.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void finishStop() {
        if (state == PushState.STOPPED) {
            return;
        }
        destination = null;
        session.close();
        setState(PushState.STOPPED);
        stopped.complete(null);
        log.info("push {}: stopped", spec.id());
    }

    private void cancelRetry() {
        if (retryTimer != null) {
            retryTimer.cancel(false);
            retryTimer = null;
        }
    }

    private void cancelTick() {
        if (tickTimer != null) {
            tickTimer.cancel(false);
            tickTimer = null;
        }
    }

    private static String describe(Throwable t) {
        Throwable c = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        String m = c.getMessage();
        return m == null || m.isEmpty() ? c.getClass().getSimpleName() : m;
    }

    /** The task's hub subscriber for one subscription; callbacks of an older one are ignored. */
    private final class Subscriber implements StreamSubscriber {
        private final int gen;

        Subscriber(int gen) {
            this.gen = gen;
        }

        private boolean current() {
            return gen == generation;
        }

        @Override
        public EventExecutor executor() {
            return loop;
        }

        @Override
        public boolean isWritable() {
            Destination d = destination;
            if (state != PushState.PUSHING || d == null || d.isWritable()) {
                return true;
            }
            scheduleWake();
            return false;
        }

        @Override
        public void onPublish(LiveStream stream) {
            if (current()) {
                publisherArrived(stream);
            }
        }

        @Override
        public void onUnpublish(LiveStream stream) {
            if (current()) {
                publisherLeft();
            }
        }

        @Override
        public void onMetadata(Map<String, Object> metadata) {
            Destination d = destination;
            if (current() && state == PushState.PUSHING && d != null) {
                d.metadata(metadata);
            }
        }

        @Override
        public void onFrame(MediaFrame frame) {
            Destination d = destination;
            if (!current() || state != PushState.PUSHING || d == null || !selector.accepts(frame.track())) {
                return;
            }
            if (frame.track().kind() == TrackKind.VIDEO) {
                streamHasVideo = true;
                if (!videoStarted) {
                    if (!frame.isKeyframe()) {
                        return;
                    }
                    videoStarted = true;
                }
            } else if (streamHasVideo && !videoStarted) {
                // Audio waits for the first video keyframe, so both start together.
                return;
            }
            d.send(rebaser.rebase(frame.retain()));
        }

        @Override
        public void onFlush() {
            Destination d = destination;
            if (current() && d != null) {
                d.flush();
            }
        }
    }
}
