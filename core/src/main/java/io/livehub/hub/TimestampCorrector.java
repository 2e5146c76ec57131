package io.livehub.hub;

import io.livehub.media.Timebase;

/**
 * Smooths discontinuities in a publisher's timestamps so players never see a jump (the job
 * of SRS's {@code time_jitter}).
 *
 * <p>Timestamps pass through unchanged until a track's decode timestamp goes backwards or
 * runs ahead of the wall clock by more than the allowed jump. Then one offset, shared by
 * all tracks so audio and video stay in sync, is chosen so that the offending frame follows
 * the previous one by that track's usual frame spacing. A new publication on the same
 * stream continues from where the previous one ended, so players that stay connected across
 * a publisher's reconnect see time go on.
 *
 * <p>Thread-safety: confined to the publishing thread.
 */
final class TimestampCorrector {

    private static final Timebase MICROS = new Timebase(1, 1_000_000);
    private static final int MAX_TRACKS = 8;
    private static final long DEFAULT_SPACING_MICROS = 20_000;
    private static final long MIN_SPACING_MICROS = 1_000;
    private static final long MAX_SPACING_MICROS = 100_000;

    private final long maxJumpMicros;
    private final boolean enabled;

    private final boolean[] seen = new boolean[MAX_TRACKS];
    private final long[] lastInMicros = new long[MAX_TRACKS];
    private final long[] lastOutMicros = new long[MAX_TRACKS];
    private final long[] spacingMicros = new long[MAX_TRACKS];
    private final long[] lastWallNanos = new long[MAX_TRACKS];
    private long offsetMicros;
    private boolean started;
    private boolean hasHistory;
    private long historyEndMicros;
    private long discontinuities;

    TimestampCorrector(long maxJumpMicros, boolean enabled) {
        this.maxJumpMicros = maxJumpMicros;
        this.enabled = enabled;
    }

    /** Starts a new publication: the next frame continues after the last one output. */
    void restart() {
        long end = Long.MIN_VALUE;
        for (int i = 0; i < MAX_TRACKS; i++) {
            if (seen[i]) {
                end = Math.max(end, lastOutMicros[i]);
            }
            seen[i] = false;
        }
        if (end != Long.MIN_VALUE) {
            hasHistory = true;
            historyEndMicros = end;
        }
        started = false;
    }

    long discontinuities() {
        return discontinuities;
    }

    /**
     * Returns the offset, in ticks of {@code tb}, to add to a frame's dts and pts.
     *
     * @param nowNanos the wall clock ({@link System#nanoTime()})
     */
    long offsetFor(int trackId, long dts, Timebase tb, long nowNanos) {
        if (!enabled || trackId < 0 || trackId >= MAX_TRACKS) {
            return 0;
        }
        long inMicros = tb.rescale(dts, MICROS);
        if (!started) {
            started = true;
            offsetMicros = hasHistory ? historyEndMicros + DEFAULT_SPACING_MICROS - inMicros : offsetMicros;
        }
        int t = trackId;
        if (seen[t]) {
            long delta = inMicros - lastInMicros[t];
            long wall = (nowNanos - lastWallNanos[t]) / 1000;
            if (delta < 0 || delta > Math.max(wall, 0) + maxJumpMicros) {
                long spacing = Math.max(MIN_SPACING_MICROS, Math.min(MAX_SPACING_MICROS, spacingMicros[t]));
                offsetMicros = lastOutMicros[t] + spacing - inMicros;
                discontinuities++;
            } else if (delta > 0) {
                spacingMicros[t] = delta;
            }
        } else {
            seen[t] = true;
            spacingMicros[t] = DEFAULT_SPACING_MICROS;
        }
        lastInMicros[t] = inMicros;
        lastOutMicros[t] = inMicros + offsetMicros;
        lastWallNanos[t] = nowNanos;
        return offsetMicros == 0 ? 0 : MICROS.rescale(offsetMicros, tb);
    }
}
