package io.livehub.hub;

import io.livehub.media.EgressGatherer;
import io.netty.util.concurrent.EventExecutor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains every ready subscription of one executor (usually one event loop) in a single task
 * (ARCHITECTURE.md section 3, points 3 and 5).
 *
 * <p>A subscription whose queue goes from empty to non-empty pushes itself on this drainer's
 * ready stack, and the first push after a drain schedules one task on the executor. With
 * 1,000 players on two loops a frame thus costs two tasks and two wake-ups, not 1,000. The
 * merged-write window is applied before, where the publisher offers frames (see
 * {@link LiveStream}), so the subscriptions of a loop become ready together and one pass
 * writes and flushes them all.
 *
 * <p>The ready stack is intrusive (the link lives in {@link Subscription}), lock-free
 * (Treiber push, take-all by the drain task) and allocates nothing; a subscription is on it
 * at most once, guarded by its own scheduled flag, so it is bounded by the subscriptions of
 * the executor.
 *
 * <p>Subscribers of the executor that receive the same frames in a pass share one joined
 * buffer of them through the thread's {@link EgressGatherer}; the drainer ends the
 * gatherer's pass when its own ends.
 *
 * <p>Thread-safety: {@link #ready} may be called from any thread; the drain runs on the
 * executor.
 */
final class SubscriberDrainer {

    private static final Logger log = LoggerFactory.getLogger(SubscriberDrainer.class);

    private final EventExecutor executor;
    private final AtomicReference<Subscription> readyTop = new AtomicReference<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Runnable drainTask = this::drainReady;

    SubscriberDrainer(EventExecutor executor) {
        this.executor = executor;
    }

    EventExecutor executor() {
        return executor;
    }

    /**
     * Queues {@code s} for the next drain. The caller has set {@code s}'s scheduled flag, so
     * {@code s} is not on the stack yet.
     */
    void ready(Subscription s) {
        Subscription top;
        do {
            top = readyTop.get();
            s.nextReady = top;
        } while (!readyTop.compareAndSet(top, s));
        if (!scheduled.get() && scheduled.compareAndSet(false, true)) {
            submit();
        }
    }

    private void submit() {
        try {
            executor.execute(drainTask);
        } catch (RejectedExecutionException e) {
            // The executor is gone: nobody will drain, so release what waits here.
            abandonAll();
        }
    }

    private void drainReady() {
        scheduled.set(false);
        Subscription s = readyTop.getAndSet(null);
        if (s == null) {
            return;
        }
        // Taken in stack order: the order within a pass does not matter, and walking the list
        // once more to reverse it would touch every subscription twice.
        try {
            while (s != null) {
                Subscription next = s.nextReady;
                s.nextReady = null;
                try {
                    s.drain();
                } catch (RuntimeException e) {
                    log.warn("draining a subscriber failed", e);
                } catch (Error e) {
                    // Not swallowed (see io.livehub.FatalErrorHandler); the rest of the pass
                    // drains in the next task, should the process go on.
                    requeue(next);
                    throw e;
                }
                s = next;
            }
        } finally {
            // Buffers joined for this pass are shared only within it.
            EgressGatherer.endPass();
        }
    }

    private void requeue(Subscription s) {
        while (s != null) {
            Subscription next = s.nextReady;
            s.nextReady = null;
            ready(s);
            s = next;
        }
    }

    private void abandonAll() {
        Subscription s = readyTop.getAndSet(null);
        while (s != null) {
            Subscription next = s.nextReady;
            s.nextReady = null;
            s.abandon();
            s = next;
        }
        scheduled.set(false);
    }
}
