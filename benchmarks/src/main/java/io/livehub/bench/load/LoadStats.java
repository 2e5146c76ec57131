package io.livehub.bench.load;

import java.util.concurrent.atomic.LongAdder;

/**
 * Holds the counters that all players of a load run add to: connections, bytes, messages,
 * frames, the checks of {@link PlayerStats}, and two latency histograms, one for the
 * measurement window and one emptied by every per-second report.
 *
 * <p>Counters are totals since the run started; the window's values are the difference of two
 * {@link Snapshot}s. Latency samples go into {@link #windowLatency()} only while
 * {@link #measuring()} is true.
 *
 * <p>Thread-safety: thread-safe; players on any event loop add, the reporter reads.
 */
public final class LoadStats {

    final LongAdder started = new LongAdder();
    final LongAdder playing = new LongAdder();
    final LongAdder failed = new LongAdder();
    final LongAdder lost = new LongAdder();
    final LongAdder bytes = new LongAdder();
    final LongAdder messages = new LongAdder();
    final LongAdder videoFrames = new LongAdder();
    final LongAdder audioFrames = new LongAdder();
    final LongAdder timestampRegressions = new LongAdder();
    final LongAdder nonKeyframeStarts = new LongAdder();
    final LongAdder droppedFrames = new LongAdder();
    final LongAdder unstampedFrames = new LongAdder();
    private final LatencyHistogram windowLatency = new LatencyHistogram();
    private final LatencyHistogram intervalLatency = new LatencyHistogram();
    private volatile boolean measuring;

    /** Returns whether the measurement window is open. */
    public boolean measuring() {
        return measuring;
    }

    /** Opens or closes the measurement window. */
    public void measuring(boolean on) {
        this.measuring = on;
    }

    /** Records a publish-to-play latency in microseconds. */
    void recordLatency(long micros) {
        intervalLatency.record(micros);
        if (measuring) {
            windowLatency.record(micros);
        }
    }

    /** Returns the latencies recorded while the window was open. */
    public LatencyHistogram windowLatency() {
        return windowLatency;
    }

    /** Returns the latencies since the last {@link LatencyHistogram#reset()}, for per-second reports. */
    public LatencyHistogram intervalLatency() {
        return intervalLatency;
    }

    /** Returns the current totals. */
    public Snapshot snapshot() {
        return new Snapshot(System.nanoTime(), started.sum(), playing.sum(), failed.sum(), lost.sum(), bytes.sum(),
                messages.sum(), videoFrames.sum(), audioFrames.sum(), timestampRegressions.sum(),
                nonKeyframeStarts.sum(), droppedFrames.sum(), unstampedFrames.sum());
    }

    /**
     * Holds the totals at one moment.
     *
     * @param nanos {@link System#nanoTime()} when taken
     * @param started players whose connection was attempted
     * @param playing players that reached the playing state
     * @param failed players that never played: refused, timed out, or connection failed
     * @param lost players whose connection closed after they played
     * @param bytes bytes received by all players
     * @param messages audio and video messages (RTMP) or tags (FLV) received
     * @param videoFrames coded video frames, sequence headers not counted
     * @param audioFrames coded audio frames, sequence headers not counted
     * @param timestampRegressions frames whose timestamp was below the previous one of their track
     * @param nonKeyframeStarts players whose first video frame was not a keyframe
     * @param droppedFrames video frames missing between two stamped frames
     * @param unstampedFrames video frames without a latency stamp
     */
    public record Snapshot(long nanos, long started, long playing, long failed, long lost, long bytes,
            long messages, long videoFrames, long audioFrames, long timestampRegressions, long nonKeyframeStarts,
            long droppedFrames, long unstampedFrames) {

        /** Returns the counts of this snapshot minus those of {@code earlier}. */
        public Snapshot minus(Snapshot earlier) {
            return new Snapshot(nanos - earlier.nanos, started - earlier.started, playing - earlier.playing,
                    failed - earlier.failed, lost - earlier.lost, bytes - earlier.bytes,
                    messages - earlier.messages, videoFrames - earlier.videoFrames,
                    audioFrames - earlier.audioFrames, timestampRegressions - earlier.timestampRegressions,
                    nonKeyframeStarts - earlier.nonKeyframeStarts, droppedFrames - earlier.droppedFrames,
                    unstampedFrames - earlier.unstampedFrames);
        }

        /** Returns the seconds between the two snapshots of a difference. */
        public double seconds() {
            return nanos / 1e9;
        }

        /** Returns the receive rate of a difference in Mbit/s. */
        public double megabitsPerSecond() {
            return nanos <= 0 ? 0 : bytes * 8 / seconds() / 1e6;
        }
    }
}
