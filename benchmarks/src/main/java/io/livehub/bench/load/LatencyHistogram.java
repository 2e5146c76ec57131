package io.livehub.bench.load;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts non-negative values (latencies in microseconds) in log-linear buckets and answers
 * percentiles, without keeping the values.
 *
 * <p>Values below 256 have a bucket each; above, every power of two is split into 128 buckets,
 * so a percentile is within 1/128 (0.8 %) of a value that was recorded. Values up to 2^62 fit;
 * negative values count as 0. {@link #percentile} uses the nearest-rank method: the smallest
 * recorded bucket such that at least {@code p} percent of the values are at or below it, reported
 * as the bucket's midpoint (its exact value below 256); min and max are exact.
 *
 * <p>Thread-safety: {@link #record} may be called from any number of threads; a reader that
 * runs while values are being recorded sees some of them.
 */
public final class LatencyHistogram {

    /** Values below this have a bucket each. */
    private static final int LINEAR = 256;
    /** Buckets per power of two above {@link #LINEAR}. */
    private static final int SUB = 128;
    private static final int SUB_BITS = 7;
    private static final int BUCKETS = LINEAR + (63 - SUB_BITS - 1) * SUB;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
    private final LongAdder count = new LongAdder();
    private final LongAdder sum = new LongAdder();
    private final LongAccumulator min = new LongAccumulator(Math::min, Long.MAX_VALUE);
    private final LongAccumulator max = new LongAccumulator(Math::max, Long.MIN_VALUE);

    /** Records one value; negative values count as 0. */
    public void record(long value) {
        long v = Math.max(0, value);
        counts.incrementAndGet(index(v));
        count.increment();
        sum.add(v);
        min.accumulate(v);
        max.accumulate(v);
    }

    /** Returns how many values were recorded. */
    public long count() {
        return count.sum();
    }

    /** Returns the smallest value recorded, or 0 when none was. */
    public long min() {
        return count() == 0 ? 0 : min.get();
    }

    /** Returns the largest value recorded, or 0 when none was. */
    public long max() {
        return count() == 0 ? 0 : max.get();
    }

    /** Returns the mean, or 0 when no value was recorded. */
    public double mean() {
        long n = count();
        return n == 0 ? 0 : (double) sum.sum() / n;
    }

    /**
     * Returns the {@code p}-th percentile by nearest rank, or 0 when no value was recorded.
     *
     * @param p 0..100; 0 gives the minimum, 100 the maximum
     */
    public long percentile(double p) {
        if (p < 0 || p > 100 || Double.isNaN(p)) {
            throw new IllegalArgumentException("percentile must be in 0..100: " + p);
        }
        long n = 0;
        for (int i = 0; i < BUCKETS; i++) {
            n += counts.get(i);
        }
        if (n == 0) {
            return 0;
        }
        if (p == 0) {
            return min();
        }
        if (p == 100) {
            return max();
        }
        long rank = (long) Math.ceil(p / 100.0 * n);
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts.get(i);
            if (seen >= rank) {
                return Math.max(min(), Math.min(max(), midpoint(i)));
            }
        }
        return max();
    }

    /** Clears every count. Not atomic with respect to concurrent {@link #record} calls. */
    public void reset() {
        for (int i = 0; i < BUCKETS; i++) {
            counts.set(i, 0);
        }
        count.reset();
        sum.reset();
        min.reset();
        max.reset();
    }

    /** Returns the bucket of a non-negative value. */
    static int index(long v) {
        if (v < LINEAR) {
            return (int) v;
        }
        int msb = 63 - Long.numberOfLeadingZeros(v);
        int shift = msb - SUB_BITS;
        int sub = (int) (v >>> shift) - SUB;
        return LINEAR + (shift - 1) * SUB + sub;
    }

    /** Returns the smallest value of a bucket. */
    static long lowest(int index) {
        if (index < LINEAR) {
            return index;
        }
        int shift = (index - LINEAR) / SUB + 1;
        int sub = (index - LINEAR) % SUB;
        return (long) (SUB + sub) << shift;
    }

    /** Returns the middle of a bucket's range, the value itself below 256. */
    static long midpoint(int index) {
        if (index < LINEAR) {
            return index;
        }
        int shift = (index - LINEAR) / SUB + 1;
        return lowest(index) + ((1L << shift) >>> 1);
    }
}
