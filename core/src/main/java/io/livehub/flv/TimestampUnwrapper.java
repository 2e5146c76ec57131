package io.livehub.flv;

/**
 * Turns the 32-bit millisecond timestamps of FLV and RTMP, which wrap after about 49.7 days,
 * into 64-bit values that do not (ARCHITECTURE.md section 2: wrap-around is undone at the
 * edge). Each new value is taken as the nearest one to the previous: a step of less than
 * 2^31 ms in either direction, so a small backward step stays a backward step and a jump
 * from near 2^32 to near 0 is a forward step across the wrap.
 *
 * <p>Thread-safety: not thread-safe; one instance per track.
 */
final class TimestampUnwrapper {

    private boolean started;
    private long last32;
    private long extended;

    /** Returns the 64-bit timestamp for the 32-bit {@code timestamp} (only its low 32 bits count). */
    long unwrap(long timestamp) {
        long t = timestamp & 0xFFFF_FFFFL;
        if (!started) {
            started = true;
            extended = t;
        } else {
            extended += (int) (t - last32); // the signed 32-bit difference
        }
        last32 = t;
        return extended;
    }
}
