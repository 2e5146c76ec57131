package io.livehub.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    void isExactBelow256() {
        LatencyHistogram h = new LatencyHistogram();
        for (int v = 1; v <= 100; v++) {
            h.record(v);
        }
        assertEquals(100, h.count());
        assertEquals(50, h.percentile(50));
        assertEquals(90, h.percentile(90));
        assertEquals(99, h.percentile(99));
        assertEquals(1, h.percentile(0));
        assertEquals(100, h.percentile(100));
        assertEquals(1, h.percentile(1));
        assertEquals(50.5, h.mean(), 1e-9);
    }

    @Test
    void nearestRankOfASmallSample() {
        LatencyHistogram h = new LatencyHistogram();
        h.record(10);
        h.record(20);
        h.record(30);
        assertEquals(20, h.percentile(50), "rank ceil(1.5) = 2");
        assertEquals(30, h.percentile(67));
        assertEquals(10, h.percentile(33));
    }

    @Test
    void isWithinOnePercentOfTheExactPercentileOverAWideRange() {
        Random r = new Random(42);
        long[] values = new long[20_000];
        LatencyHistogram h = new LatencyHistogram();
        for (int i = 0; i < values.length; i++) {
            values[i] = (long) Math.exp(r.nextDouble() * Math.log(10_000_000)); // 1 us .. 10 s
            h.record(values[i]);
        }
        Arrays.sort(values);
        for (double p : new double[] {1, 10, 50, 90, 99, 99.9}) {
            long exact = values[(int) Math.ceil(p / 100 * values.length) - 1];
            long got = h.percentile(p);
            assertTrue(Math.abs(got - exact) <= Math.max(1, exact / 100), "p" + p + ": " + got + " vs " + exact);
        }
        assertEquals(values[0], h.min());
        assertEquals(values[values.length - 1], h.max());
    }

    @Test
    void bucketsCoverEveryValueInOrder() {
        long previousLow = -1;
        for (int i = 0; LatencyHistogram.lowest(i) < (1L << 40); i++) {
            long low = LatencyHistogram.lowest(i);
            assertTrue(low > previousLow);
            assertEquals(i, LatencyHistogram.index(low));
            assertEquals(i, LatencyHistogram.index(LatencyHistogram.lowest(i + 1) - 1));
            previousLow = low;
        }
        assertTrue(LatencyHistogram.index(Long.MAX_VALUE) >= 0);
    }

    @Test
    void emptyNegativeAndReset() {
        LatencyHistogram h = new LatencyHistogram();
        assertEquals(0, h.percentile(50));
        assertEquals(0, h.max());
        h.record(-5);
        assertEquals(0, h.percentile(50));
        h.reset();
        assertEquals(0, h.count());
        h.record(1_000_000);
        assertEquals(1_000_000, h.percentile(50), "clamped to the exact min and max");
        assertThrows(IllegalArgumentException.class, () -> h.percentile(101));
    }
}
