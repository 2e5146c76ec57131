package io.livehub.util;

import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Logs at most one line per cause per interval, so that a flood of bad clients cannot grow
 * the logs without bound (ARCHITECTURE.md section 6). The first line of a cause is logged at
 * once; the ones that follow within the interval are counted, and the next line logged for the
 * cause ends with "(N similar lines suppressed)".
 *
 * <p>A cause is a short constant naming the kind of event (for example
 * {@code "handshake-timeout"}), never a value taken from the wire or a remote address: causes
 * are kept in a map. At most {@value #MAX_CAUSES} causes are tracked; further ones share one
 * slot.
 *
 * <p>Thread-safety: thread-safe; one instance is meant to be shared by every connection of a
 * kind (a {@code static final} field).
 */
public final class RateLimitedLog {

    /** Causes tracked one by one; beyond, they share a slot (a caller bug, not an attack). */
    static final int MAX_CAUSES = 256;
    private static final String OVERFLOW = "(other causes)";

    /** Where a line goes: the level, the SLF4J format and its arguments. */
    @FunctionalInterface
    interface Sink {
        void log(Level level, String format, Object[] args);
    }

    /** The levels this class logs at. */
    public enum Level { INFO, WARN, ERROR }

    private final Sink sink;
    private final long intervalNanos;
    private final LongSupplier clock;
    private final ConcurrentHashMap<String, Slot> slots = new ConcurrentHashMap<>();

    /** Creates a limiter over {@code logger}: one line per cause per {@code interval}. */
    public RateLimitedLog(Logger logger, Duration interval) {
        this(sinkOf(Objects.requireNonNull(logger, "logger")), interval, System::nanoTime);
    }

    RateLimitedLog(Sink sink, Duration interval, LongSupplier clock) {
        if (interval.isNegative()) {
            throw new IllegalArgumentException("interval must not be negative: " + interval);
        }
        this.sink = sink;
        this.intervalNanos = interval.toNanos();
        this.clock = clock;
    }

    /** Logs a WARN line for {@code cause} unless one was logged within the interval; returns whether it was. */
    public boolean warn(String cause, String format, Object... args) {
        return log(Level.WARN, cause, format, args);
    }

    /** Logs an INFO line for {@code cause} unless one was logged within the interval; returns whether it was. */
    public boolean info(String cause, String format, Object... args) {
        return log(Level.INFO, cause, format, args);
    }

    /** Logs an ERROR line for {@code cause} unless one was logged within the interval; returns whether it was. */
    public boolean error(String cause, String format, Object... args) {
        return log(Level.ERROR, cause, format, args);
    }

    /** Returns how many lines of {@code cause} were suppressed since its last logged line. */
    public long suppressed(String cause) {
        Slot s = slots.get(cause);
        return s == null ? 0 : s.suppressed.get();
    }

    private boolean log(Level level, String cause, String format, Object[] args) {
        Slot slot = slot(cause);
        long now = clock.getAsLong();
        long next = slot.next.get();
        if ((slot.started && now - next < 0) || !slot.claim(next, now + intervalNanos)) {
            slot.suppressed.incrementAndGet();
            return false;
        }
        long n = slot.suppressed.getAndSet(0);
        if (n == 0) {
            sink.log(level, format, args);
        } else {
            sink.log(level, format + " ({} similar lines suppressed)", withCount(args, n));
        }
        return true;
    }

    /** Puts the count after the format's arguments and before a trailing throwable. */
    private static Object[] withCount(Object[] args, long n) {
        int len = args == null ? 0 : args.length;
        Object[] out = Arrays.copyOf(args == null ? new Object[0] : args, len + 1);
        if (len > 0 && args[len - 1] instanceof Throwable) {
            out[len - 1] = n;
            out[len] = args[len - 1];
        } else {
            out[len] = n;
        }
        return out;
    }

    private Slot slot(String cause) {
        Slot s = slots.get(cause);
        if (s != null) {
            return s;
        }
        if (slots.size() >= MAX_CAUSES) {
            return slots.computeIfAbsent(OVERFLOW, k -> new Slot());
        }
        return slots.computeIfAbsent(cause, k -> new Slot());
    }

    private static Sink sinkOf(Logger logger) {
        return (level, format, args) -> {
            switch (level) {
                case INFO:
                    logger.info(format, args);
                    break;
                case WARN:
                    logger.warn(format, args);
                    break;
                default:
                    logger.error(format, args);
                    break;
            }
        };
    }

    private static final class Slot {
        final AtomicLong next = new AtomicLong();
        final AtomicLong suppressed = new AtomicLong();
        volatile boolean started;

        /** Takes the right to log: one thread wins per interval. */
        boolean claim(long expected, long nextAllowed) {
            if (next.compareAndSet(expected, nextAllowed)) {
                started = true;
                return true;
            }
            return false;
        }
    }
}
