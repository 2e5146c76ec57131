package io.livehub.hooks.api;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Measures bitrates over a sliding window from byte counters sampled whenever the API is
 * asked, as SRS's {@code kbps.recv_30s}: it keeps at most one sample a second per counter and
 * forgets samples older than the window, keeping one that spans it.
 *
 * <p>Thread-safety: all methods may be called from any thread; each counter's samples are
 * guarded by their own lock.
 */
final class BitrateMeter {

    private final long windowNanos;
    private final long minSpanNanos;
    private final Map<String, Deque<Sample>> samples = new ConcurrentHashMap<>();

    private record Sample(long nanos, long in, long out) {
    }

    /** Holds the bitrates over the measured span, in kbit/s. */
    record Rates(long kbpsIn, long kbpsOut) {
    }

    BitrateMeter(long windowNanos, long minSpanNanos) {
        this.windowNanos = windowNanos;
        this.minSpanNanos = minSpanNanos;
    }

    /**
     * Records the counters of {@code id} at {@code nanos} and returns the rates since the oldest
     * sample within the window, or null when no sample is at least the minimum span old (the
     * caller then falls back to a lifetime average). A counter that went down (a new
     * publication, a player that left) starts the window again.
     */
    Rates sample(String id, long nanos, long bytesIn, long bytesOut) {
        Deque<Sample> d = samples.computeIfAbsent(id, k -> new ArrayDeque<>());
        synchronized (d) {
            Sample last = d.peekLast();
            if (last != null && (bytesIn < last.in || bytesOut < last.out)) {
                d.clear();
                last = null;
            }
            if (last == null || nanos - last.nanos >= minSpanNanos) {
                d.addLast(new Sample(nanos, bytesIn, bytesOut));
            }
            while (d.size() > 2) {
                Sample second = d.stream().skip(1).findFirst().orElseThrow();
                if (nanos - second.nanos < windowNanos) {
                    break;
                }
                d.removeFirst();
            }
            Sample first = d.peekFirst();
            long span = nanos - first.nanos;
            if (span < minSpanNanos) {
                return null;
            }
            return new Rates(kbps(bytesIn - first.in, span), kbps(bytesOut - first.out, span));
        }
    }

    /** Forgets the counters whose ids are not in {@code live}. */
    void retain(Collection<String> live) {
        samples.keySet().retainAll(live);
    }

    /** Returns {@code bytes} over {@code nanos} in kbit/s, 0 for an empty span. */
    static long kbps(long bytes, long nanos) {
        if (nanos <= 0 || bytes <= 0) {
            return 0;
        }
        return Math.round(bytes * 8.0 * 1_000_000 / nanos);
    }
}
