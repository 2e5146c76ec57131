package io.livehub.srt.internal;

/**
 * Schedules the sender's packets like libsrt's live congestion control, LiveCC
 * (draft-sharabayko-srt section 5.1): packets leave one by one at a pacing rate instead of in
 * bursts, so that a keyframe does not hit the network, or the receiver's socket buffer, all at
 * once.
 *
 * <p>The rate is the configured {@code maxBandwidth} when positive. Otherwise it follows the
 * input: the bytes given to the sender are measured over 500 ms, then every second (libsrt's
 * {@code SRTO_INPUTBW} estimate), and the rate is that plus 25% ({@code SRTO_OHEADBW}) for
 * retransmissions; before the first measurement the rate is libsrt's 1 Gbit/s
 * ({@code BW_INFINITE}), that is no pacing. Unlike libsrt, the input-following rate also
 * rises to send the waiting packets within a drain time (a quarter of the latency): a
 * keyframe larger than the rate can carry in that time still leaves as a paced run, but
 * never eats so much of the latency that the receiver gets it too late to repair a loss.
 *
 * <p>Byte counts include the SRT, UDP and IPv4 headers (44 bytes per packet), as libsrt's do.
 *
 * <p>Thread-safety: confined to the connection's event loop.
 */
final class SrtPacer {

    /** libsrt's BW_INFINITE: 1 Gbit/s, in bytes per second. */
    static final long UNLIMITED = 125_000_000L;
    /** SRT (16), UDP (8) and IPv4 (20) header bytes counted per packet. */
    static final int HEADER_BYTES = 44;
    static final int OVERHEAD_PERCENT = 25;
    static final long FIRST_WINDOW_NANOS = 500_000_000L;
    static final long WINDOW_NANOS = 1_000_000_000L;
    /** How far the schedule may lag behind the clock, so a late wake-up catches up in a short burst only. */
    static final long MAX_LAG_NANOS = 1_000_000L;
    private static final long MIN_DRAIN_LEFT_NANOS = 1_000_000L;

    private final long maxBandwidth;
    private final long drainNanos;
    private long windowStart;
    private long windowLength = FIRST_WINDOW_NANOS;
    private long windowBytes;
    private boolean measuring;
    private long inputRate;
    private long nextAt;

    /**
     * @param maxBandwidth the fixed rate in bytes per second, or 0 to follow the input
     * @param drainNanos   the longest an input-paced packet should wait to be sent
     * @param now          the clock now
     */
    SrtPacer(long maxBandwidth, long drainNanos, long now) {
        this.maxBandwidth = maxBandwidth;
        this.drainNanos = drainNanos;
        this.nextAt = now;
    }

    /** Counts {@code payloadBytes} given to the sender at {@code now} toward the input rate. */
    void onInput(int payloadBytes, long now) {
        if (!measuring) {
            measuring = true;
            windowStart = now;
        }
        windowBytes += payloadBytes + HEADER_BYTES;
        long elapsed = now - windowStart;
        if (elapsed >= windowLength) {
            inputRate = (long) (windowBytes * 1e9 / elapsed);
            windowBytes = 0;
            windowStart = now;
            windowLength = WINDOW_NANOS;
        }
    }

    /** Returns the measured input rate in bytes per second, 0 before the first measurement. */
    long inputRate() {
        return inputRate;
    }

    /**
     * Returns the pacing rate in bytes per second.
     *
     * @param backlogBytes     the bytes waiting to be sent (retransmissions included)
     * @param oldestWaitNanos  how long the oldest of them has waited
     */
    long rate(long backlogBytes, long oldestWaitNanos) {
        if (maxBandwidth > 0) {
            return maxBandwidth;
        }
        if (inputRate == 0) {
            return UNLIMITED;
        }
        long rate = inputRate + inputRate * OVERHEAD_PERCENT / 100;
        long left = Math.max(drainNanos - oldestWaitNanos, MIN_DRAIN_LEFT_NANOS);
        long drain = (long) (backlogBytes * 1e9 / left);
        return Math.min(Math.max(rate, drain), UNLIMITED);
    }

    /** Returns whether a packet may leave at {@code now}. */
    boolean maySend(long now) {
        return now - nextAt >= 0;
    }

    /** Returns when the next packet may leave. */
    long nextSendAt() {
        return nextAt;
    }

    /** Books a packet of {@code packetBytes} (headers included) sent at {@code now} at {@code rate}. */
    void onSent(int packetBytes, long rate, long now) {
        long from = nextAt - (now - MAX_LAG_NANOS) < 0 ? now - MAX_LAG_NANOS : nextAt;
        nextAt = from + (long) (packetBytes * 1e9 / rate);
    }
}
