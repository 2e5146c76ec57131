package io.livehub.hooks.internal;

import io.livehub.hooks.RetryPolicy;
import io.livehub.util.RateLimitedLog;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;

/**
 * Delivers notifications in the background: in order within a lane (one lane per receiver URL
 * and client), one at a time per lane, retried with backoff, and never more than
 * {@code capacity} of them held at once.
 *
 * <p>When the queue is full, the oldest item that is not on the wire is dropped (its lane goes
 * on with the next one); when every held item is on the wire, the new one is dropped. Either
 * way memory stays bounded whatever the receivers do. Drops are logged at most every 5 s.
 *
 * <p>Thread-safety: every method may be called from any thread; none blocks but
 * {@link #awaitIdle}. Sends start on the caller's thread or the timer thread and must not block.
 *
 * @param <T> what a delivery carries to the sender
 */
public final class NotificationQueue<T> implements AutoCloseable {

    /** What one attempt of a delivery came to. */
    public record Outcome(boolean delivered, boolean retryable, String reason) {
        private static final Outcome OK = new Outcome(true, false, "");

        public static Outcome ok() {
            return OK;
        }

        /** Returns a failure worth trying again (connection error, timeout, 5xx). */
        public static Outcome retry(String reason) {
            return new Outcome(false, true, reason);
        }

        /** Returns a failure that another attempt would not cure (4xx). */
        public static Outcome fail(String reason) {
            return new Outcome(false, false, reason);
        }
    }

    /** One notification for one receiver. */
    public static final class Delivery<T> {
        private final String lane;
        private final String description;
        private final T payload;
        private int attempts;
        private boolean sending;
        private boolean done;
        private ScheduledFuture<?> retryTimer;

        /**
         * @param lane        deliveries of one lane go out one at a time, in the order offered
         * @param description names the delivery in logs; must not hold secrets
         */
        public Delivery(String lane, String description, T payload) {
            this.lane = Objects.requireNonNull(lane, "lane");
            this.description = Objects.requireNonNull(description, "description");
            this.payload = payload;
        }

        public T payload() {
            return payload;
        }

        /** Returns the attempts started so far, this one included. */
        public synchronized int attempts() {
            return attempts;
        }

        @Override
        public String toString() {
            return description;
        }
    }

    private final int capacity;
    private final RetryPolicy retry;
    private final Function<Delivery<T>, CompletionStage<Outcome>> sender;
    private final ScheduledExecutorService timer;
    private final Logger log;
    /** Failures and retries of a hook that is down come in floods: one line per kind per 10 s. */
    private final RateLimitedLog limited;

    private final Object lock = new Object();
    /** Every held delivery, oldest first. */
    private final LinkedHashSet<Delivery<T>> held = new LinkedHashSet<>();
    private final Map<String, ArrayDeque<Delivery<T>>> lanes = new HashMap<>();
    private boolean closed;
    private long delivered;
    private long failed;
    private long dropped;
    private long droppedLogged;
    private long lastDropLog;

    public NotificationQueue(int capacity, RetryPolicy retry, Function<Delivery<T>, CompletionStage<Outcome>> sender,
                             ScheduledExecutorService timer, Logger log) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1");
        }
        this.capacity = capacity;
        this.retry = Objects.requireNonNull(retry, "retry");
        this.sender = Objects.requireNonNull(sender, "sender");
        this.timer = Objects.requireNonNull(timer, "timer");
        this.log = Objects.requireNonNull(log, "log");
        this.limited = new RateLimitedLog(log, Duration.ofSeconds(10));
    }

    /** Queues {@code d}; it goes out once every earlier delivery of its lane is done. */
    public void offer(Delivery<T> d) {
        List<Delivery<T>> start = new ArrayList<>(2);
        synchronized (lock) {
            if (closed) {
                dropped++;
                return;
            }
            if (held.size() >= capacity) {
                Delivery<T> victim = oldestIdle();
                if (victim == null) {
                    dropped++;
                    logDrop(d);
                    return;
                }
                Delivery<T> next = remove(victim);
                if (next != null) {
                    start.add(next);
                }
                dropped++;
                logDrop(victim);
            }
            held.add(d);
            ArrayDeque<Delivery<T>> lane = lanes.computeIfAbsent(d.lane, k -> new ArrayDeque<>());
            lane.addLast(d);
            if (lane.size() == 1) {
                start.add(d);
            }
        }
        for (Delivery<T> s : start) {
            attempt(s);
        }
    }

    private Delivery<T> oldestIdle() {
        for (Delivery<T> d : held) {
            synchronized (d) {
                if (!d.sending) {
                    return d;
                }
            }
        }
        return null;
    }

    /** Removes {@code d} (holding the lock); returns its lane's next delivery to start, if it led the lane. */
    private Delivery<T> remove(Delivery<T> d) {
        synchronized (d) {
            d.done = true;
            if (d.retryTimer != null) {
                d.retryTimer.cancel(false);
                d.retryTimer = null;
            }
        }
        held.remove(d);
        ArrayDeque<Delivery<T>> lane = lanes.get(d.lane);
        if (lane == null) {
            return null;
        }
        boolean wasHead = lane.peekFirst() == d;
        lane.remove(d);
        if (lane.isEmpty()) {
            lanes.remove(d.lane);
            if (held.isEmpty()) {
                lock.notifyAll();
            }
            return null;
        }
        return wasHead ? lane.peekFirst() : null;
    }

    private void logDrop(Delivery<T> d) {
        long now = System.nanoTime();
        if (droppedLogged == 0 || now - lastDropLog > TimeUnit.SECONDS.toNanos(5)) {
            log.warn("hook queue full ({} held): dropped {}; {} dropped since the last report",
                    capacity, d, dropped - droppedLogged);
            droppedLogged = dropped;
            lastDropLog = now;
        }
    }

    private void attempt(Delivery<T> d) {
        synchronized (d) {
            if (d.done) {
                return;
            }
            d.retryTimer = null;
            d.sending = true;
            d.attempts++;
        }
        CompletionStage<Outcome> stage;
        try {
            stage = sender.apply(d);
        } catch (RuntimeException e) {
            stage = java.util.concurrent.CompletableFuture.completedFuture(Outcome.retry(e.toString()));
        }
        stage.whenComplete((o, t) -> completed(d, t != null ? Outcome.retry(t.toString()) : o));
    }

    private void completed(Delivery<T> d, Outcome o) {
        int attempts;
        synchronized (d) {
            d.sending = false;
            if (d.done) {
                return;
            }
            attempts = d.attempts;
        }
        if (o.delivered()) {
            if (attempts > 1) {
                limited.info("delivered-late", "{} delivered at attempt {}", d, attempts);
            }
            finish(d, true);
            return;
        }
        boolean again = o.retryable() && attempts < retry.maxAttempts();
        if (attempts == 1) {
            if (again) {
                limited.warn("retrying", "{} failed: {}; retrying up to {} more times", d, o.reason(),
                        retry.maxAttempts() - 1);
            } else {
                limited.warn("not-retried", "{} failed: {}; not retried", d, o.reason());
            }
        } else if (!again) {
            limited.warn("given-up", "{} failed {} times, last: {}; given up", d, attempts, o.reason());
        } else {
            log.debug("{} attempt {} failed: {}", d, attempts, o.reason());
        }
        if (!again) {
            finish(d, false);
            return;
        }
        Duration delay = retry.delay(attempts, () -> ThreadLocalRandom.current().nextDouble());
        synchronized (lock) {
            if (closed) {
                return;
            }
            synchronized (d) {
                if (d.done) {
                    return;
                }
                try {
                    d.retryTimer = timer.schedule(() -> attempt(d), delay.toNanos(), TimeUnit.NANOSECONDS);
                } catch (RuntimeException e) {
                    d.done = true;
                }
            }
        }
    }

    private void finish(Delivery<T> d, boolean ok) {
        Delivery<T> next;
        synchronized (lock) {
            synchronized (d) {
                if (d.done) {
                    return;
                }
            }
            if (ok) {
                delivered++;
            } else {
                failed++;
            }
            next = remove(d);
            if (closed) {
                return;
            }
        }
        if (next != null) {
            // A new task, so that a lane of quickly failing sends does not grow the stack.
            try {
                timer.execute(() -> attempt(next));
            } catch (RuntimeException e) {
                log.debug("hook timer stopped; {} not sent", next);
            }
        }
    }

    /** Returns the deliveries held: waiting, on the wire, or waiting to be retried. */
    public int size() {
        synchronized (lock) {
            return held.size();
        }
    }

    /** Returns the deliveries a receiver accepted. */
    public long delivered() {
        synchronized (lock) {
            return delivered;
        }
    }

    /** Returns the deliveries given up on after their last attempt failed. */
    public long failed() {
        synchronized (lock) {
            return failed;
        }
    }

    /** Returns the deliveries dropped because the queue was full or closed. */
    public long dropped() {
        synchronized (lock) {
            return dropped;
        }
    }

    /** Waits until nothing is held or {@code timeout} passed; returns whether nothing is held. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (!held.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
            return true;
        }
    }

    /** Drops every held delivery and refuses new ones; sends on the wire finish unheard. */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            for (Iterator<Delivery<T>> it = held.iterator(); it.hasNext(); ) {
                Delivery<T> d = it.next();
                synchronized (d) {
                    d.done = true;
                    if (d.retryTimer != null) {
                        d.retryTimer.cancel(false);
                    }
                }
                dropped++;
                it.remove();
            }
            lanes.clear();
            lock.notifyAll();
        }
    }
}
