package io.livehub.srt.internal;

/**
 * Smooths round-trip time samples as draft-sharabayko-srt section 4.10 describes:
 * {@code rtt = 7/8 rtt + 1/8 sample}, {@code var = 3/4 var + 1/4 |rtt - sample|}; the first
 * sample replaces the initial 100 ms / 50 ms guess.
 *
 * <p>Thread-safety: confined to the connection's event loop.
 */
final class SrtRttEstimator {

    static final int INITIAL_RTT_US = 100_000;

    private int rtt = INITIAL_RTT_US;
    private int variance = INITIAL_RTT_US / 2;
    private boolean measured;

    /** Adds a sample measured on this side (ACK to ACKACK). */
    void sample(int rttUs) {
        if (rttUs <= 0) {
            return;
        }
        if (!measured) {
            measured = true;
            rtt = rttUs;
            variance = rttUs / 2;
            return;
        }
        variance = (3 * variance + Math.abs(rtt - rttUs)) / 4;
        rtt = (7 * rtt + rttUs) / 8;
    }

    /** Adds the peer's estimate carried in an ACK, as a sender learns the RTT. */
    void peerEstimate(int rttUs, int varianceUs) {
        if (rttUs <= 0 || varianceUs < 0) {
            return;
        }
        if (!measured) {
            measured = true;
            rtt = rttUs;
            variance = varianceUs;
            return;
        }
        rtt = (7 * rtt + rttUs) / 8;
        variance = (3 * variance + varianceUs) / 4;
    }

    int rtt() {
        return rtt;
    }

    int variance() {
        return variance;
    }
}
