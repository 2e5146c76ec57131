package io.livehub.srt.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Checks the pacing schedule of {@link SrtPacer} against the rate it should follow, with a
 * simulated clock: a burst queued at once must leave one packet per {@code size / rate}.
 */
class SrtPacerTest {

    static final long MS = 1_000_000L;
    static final int PAYLOAD = 1316;
    static final int PACKET = PAYLOAD + SrtPacer.HEADER_BYTES;

    /** Sends {@code count} packets queued at {@code start} as the socket does; returns their send times. */
    static List<Long> drain(SrtPacer p, int count, long start) {
        List<Long> times = new ArrayList<>();
        long now = start;
        int left = count;
        while (left > 0) {
            long rate = p.rate((long) left * PACKET, now - start);
            if (!p.maySend(now)) {
                now = p.nextSendAt(); // the socket schedules a wake-up for then
                continue;
            }
            p.onSent(PACKET, rate, now);
            times.add(now - start);
            left--;
        }
        return times;
    }

    @Test
    void aFixedMaxBandwidthSpacesPacketsBySizeOverRate() {
        long rate = 1_000_000; // bytes per second
        SrtPacer p = new SrtPacer(rate, 30 * MS, 0);
        List<Long> t = drain(p, 100, 0);
        long period = PACKET * 1_000_000_000L / rate;
        for (int k = 0; k < 100; k++) {
            assertEquals(k * period, t.get(k), 1000, "packet " + k);
        }
    }

    @Test
    void beforeTheInputIsMeasuredNothingIsPaced() {
        SrtPacer p = new SrtPacer(0, 30 * MS, 0);
        assertEquals(SrtPacer.UNLIMITED, p.rate(100 * PACKET, 0));
        p.onInput(PAYLOAD, 0);
        p.onInput(PAYLOAD, 100 * MS);
        assertEquals(0, p.inputRate());
    }

    @Test
    void aBurstLeavesAtTheMeasuredInputRatePlusTwentyFivePercent() {
        SrtPacer p = new SrtPacer(0, 500 * MS, 0);
        // 50 packets a second for a second: the first window is 500 ms, then 1 s.
        long now = 0;
        for (int i = 0; i <= 50; i++) {
            now = i * 20 * MS;
            p.onInput(PAYLOAD, now);
            p.onSent(PACKET, p.rate(PACKET, 0), now);
        }
        long input = p.inputRate();
        assertEquals(50.0 * PACKET, input, 50.0 * PACKET * 0.05, "input rate");
        long rate = input * 125 / 100;
        // A keyframe: 20 packets at once, whose drain bound (20 packets in 500 ms) is below the rate.
        long start = now + 20 * MS;
        List<Long> t = drain(p, 20, start);
        long period = PACKET * 1_000_000_000L / rate;
        for (int k = 0; k < 20; k++) {
            // After a pause the schedule may start up to MAX_LAG early, never later.
            long d = t.get(k) - k * period;
            assertTrue(d <= period / 20 && d >= -SrtPacer.MAX_LAG_NANOS - period / 20,
                    "packet " + k + " of the burst left at " + t.get(k) / 1000 + " us, period " + period / 1000);
        }
        assertTrue(t.get(19) > 250 * MS, "the burst is spread over " + t.get(19) / MS + " ms");
    }

    @Test
    void aBurstTheRateCannotCarryLeavesPacedWithinTheDrainTime() {
        SrtPacer p = new SrtPacer(0, 30 * MS, 0);
        for (int i = 0; i <= 50; i++) {
            p.onInput(PAYLOAD, i * 20 * MS);
        }
        long start = 1100 * MS;
        List<Long> t = drain(p, 60, start);
        assertTrue(t.get(59) <= 31 * MS, "last packet of the burst left after " + t.get(59) / 1000 + " us");
        assertTrue(t.get(59) >= 20 * MS, "the burst left at once: " + t.get(59) / 1000 + " us");
        long atOnce = t.stream().filter(x -> x == 0L).count();
        assertTrue(atOnce <= 3, atOnce + " packets left at once");
    }

    @Test
    void aLateWakeUpCatchesUpOnlyAShortBurst() {
        long rate = 1_000_000;
        SrtPacer p = new SrtPacer(rate, 30 * MS, 0);
        p.onSent(PACKET, rate, 0);
        // The event loop wakes 50 ms late: only MAX_LAG worth of packets may leave at once.
        long now = 50 * MS;
        int burst = 0;
        while (p.maySend(now)) {
            p.onSent(PACKET, rate, now);
            burst++;
        }
        long lagPackets = SrtPacer.MAX_LAG_NANOS * rate / 1_000_000_000L / PACKET + 1;
        assertTrue(burst <= lagPackets, burst + " packets at once");
    }
}
