package io.livehub.push.internal;

import io.livehub.media.MediaFrame;
import io.livehub.media.Timebase;
import java.util.HashMap;
import java.util.Map;

/**
 * Rebases one connection's timestamps so the destination sees its stream start at 0 and
 * never go back: the first frame sent (a keyframe) is time 0, every frame keeps its distance
 * to it, and a frame that would go before the last of its track (audio cached from before
 * the keyframe, a publisher's jump) is held at the last time instead. Composition offsets are
 * kept. A new connection has a new rebaser.
 *
 * <p>Thread-safety: confined to the task's event loop.
 */
final class TimestampRebaser {

    private static final Timebase MICROS = new Timebase(1, 1_000_000);

    private boolean started;
    private long baseMicros;
    private final Map<Integer, Long> lastDts = new HashMap<>();

    /**
     * Returns {@code frame} with rebased timestamps.
     *
     * <p>Ownership: takes {@code frame}'s reference and returns one the caller owns.
     */
    MediaFrame rebase(MediaFrame frame) {
        Timebase tb = frame.track().timebase();
        long micros = tb.rescale(frame.dts(), MICROS);
        if (!started) {
            started = true;
            baseMicros = micros;
        }
        long dts = MICROS.rescale(Math.max(0, micros - baseMicros), tb);
        Long last = lastDts.get(frame.track().id());
        if (last != null && dts < last) {
            dts = last;
        }
        lastDts.put(frame.track().id(), dts);
        return frame.withTimestamps(dts, dts + frame.cts());
    }
}
