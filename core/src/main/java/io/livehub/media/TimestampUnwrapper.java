package io.livehub.media;

/**
 * Turns wrapping wire timestamps into the hub's 64-bit timestamps, which never wrap
 * (ARCHITECTURE.md section 2): RTMP's and FLV's 32-bit milliseconds (RTMP spec §5.3.1.1.1
 * wraps them every ~49.7 days) and MPEG-TS's 33-bit 90 kHz clock (ITU-T H.222.0 §2.4.3.7,
 * every ~26.5 hours). The first value is taken as it is; each next one is the value nearest
 * to the last, a step of less than half the wrap period either way, so a small backward step
 * (B-frames, audio and video interleaving) stays backward and a jump from near the top to
 * near 0 goes forward.
 *
 * <p>Thread-safety: not thread-safe; one per clock (per track for RTMP, per program for TS).
 */
public final class TimestampUnwrapper {

    private final int bits;
    private final long mask;
    private boolean started;
    private long last;

    private TimestampUnwrapper(int bits) {
        this.bits = bits;
        this.mask = (1L << bits) - 1;
    }

    /**
     * Returns an unwrapper for a clock of {@code bits} bits (32 for RTMP/FLV, 33 for MPEG-TS).
     *
     * @throws IllegalArgumentException when {@code bits} is not between 2 and 62
     */
    public static TimestampUnwrapper ofBits(int bits) {
        if (bits < 2 || bits > 62) {
            throw new IllegalArgumentException("bits must be 2 to 62: " + bits);
        }
        return new TimestampUnwrapper(bits);
    }

    /** Returns the 64-bit timestamp for {@code timestamp}; only its low bits count. */
    public long unwrap(long timestamp) {
        long t = timestamp & mask;
        if (!started) {
            started = true;
            last = t;
        } else {
            last += difference(t, last);
        }
        return last;
    }

    /** Returns {@code a - b} modulo the wrap period as a signed value, -2^(bits-1) to 2^(bits-1) - 1. */
    public long difference(long a, long b) {
        long d = (a - b) & mask;
        return d >= 1L << (bits - 1) ? d - (1L << bits) : d;
    }
}
