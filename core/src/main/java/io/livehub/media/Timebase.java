package io.livehub.media;

/**
 * A rational unit of time in which a track's timestamps count: {@code num/den} seconds per
 * tick, for example {@code 1/1000} (RTMP, FLV), {@code 1/90000} (MPEG-TS, RTP video) or
 * {@code 1/48000} (Opus).
 *
 * <p>Thread-safety: immutable.
 */
public record Timebase(int num, int den) {

    /** Milliseconds, the timebase of RTMP and FLV. */
    public static final Timebase MILLIS = new Timebase(1, 1000);
    /** The 90 kHz clock of MPEG-TS and RTP video. */
    public static final Timebase MPEG_90K = new Timebase(1, 90_000);

    public Timebase {
        if (num <= 0 || den <= 0) {
            throw new IllegalArgumentException("timebase must be positive: " + num + "/" + den);
        }
    }

    /** Returns a timebase of one tick per sample at {@code rate} Hz. */
    public static Timebase ofRate(int rate) {
        if (rate == 1000) {
            return MILLIS;
        }
        if (rate == 90_000) {
            return MPEG_90K;
        }
        return new Timebase(1, rate);
    }

    /**
     * Converts {@code ticks} in this timebase to {@code target}, rounding to the nearest tick.
     * Exact when the two timebases divide each other (ms to 90 kHz and back loses nothing for
     * multiples of the coarser unit).
     */
    public long rescale(long ticks, Timebase target) {
        if (this.equals(target)) {
            return ticks;
        }
        // ticks * num/den = t * target.num/target.den  =>  t = ticks * num * target.den / (den * target.num)
        long mul = (long) num * target.den;
        long div = (long) den * target.num;
        if (mul % div == 0) {
            return ticks * (mul / div);
        }
        return Math.floorDiv(ticks * mul + div / 2, div);
    }

    /** Converts {@code ticks} in this timebase to milliseconds. */
    public long toMillis(long ticks) {
        return rescale(ticks, MILLIS);
    }

    @Override
    public String toString() {
        return num + "/" + den;
    }
}
