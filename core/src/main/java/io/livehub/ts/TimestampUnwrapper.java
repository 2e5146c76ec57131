package io.livehub.ts;

/**
 * Turns the 33-bit 90 kHz time stamps of MPEG-TS (ITU-T H.222.0 §2.4.3.7), which wrap after
 * about 26.5 hours, into 64-bit values that do not (ARCHITECTURE.md section 2). The first
 * value is taken as it is, 0 to 2^33 - 1; each next one is the value nearest to the last,
 * a step of less than 2^32 ticks either way, so a small backward step (B-frames, audio and
 * video interleaving) stays backward and a jump from near 2^33 to near 0 goes forward.
 *
 * <p>One unwrapper serves every elementary stream of a program: they share the system
 * clock, so they stay on one 64-bit timeline even when the wrap falls between them.
 *
 * <p>Thread-safety: not thread-safe.
 */
final class TimestampUnwrapper {

    private boolean started;
    private long last;

    /** Returns the 64-bit time stamp for {@code ts}; only its low 33 bits count. */
    long unwrap(long ts) {
        long t = ts & PesHeader.TIMESTAMP_MASK;
        if (!started) {
            started = true;
            last = t;
        } else {
            last += difference(t, last);
        }
        return last;
    }

    /** Returns {@code a - b} modulo 2^33 as a signed value, -2^32 to 2^32 - 1. */
    static long difference(long a, long b) {
        long d = (a - b) & PesHeader.TIMESTAMP_MASK;
        return d >= 1L << 32 ? d - (1L << 33) : d;
    }
}
