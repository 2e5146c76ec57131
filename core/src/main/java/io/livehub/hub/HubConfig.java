package io.livehub.hub;

import java.time.Duration;
import java.util.Objects;

/**
 * Tunes the stream hub. Immutable; build with {@link #builder()}.
 *
 * <p>Defaults, and why:
 * <ul>
 *   <li>{@code subscriberQueueFrames} 1024: about 14 s of a 30 fps video with 44.1 kHz AAC.
 *       A player that falls further behind drops to the next keyframe. The queue holds
 *       references to shared frames, so its memory cost is small per player.</li>
 *   <li>{@code gopCacheFrames} 768 and {@code gopCacheBytes} 16 MiB: enough for a 10 s GOP
 *       at 30 fps plus audio; a longer GOP is not cached and new players wait for the next
 *       keyframe. Must be below the queue bound so a replayed GOP fits in a fresh queue.</li>
 *   <li>{@code mergeWriteWindow} 50 ms: each subscriber event loop writes and flushes its
 *       ready players at most once per window (one system call per player per window
 *       instead of one per frame), like SRS's {@code mw_latency}. The window starts when the
 *       first frame arrives for an idle loop, so a frame waits between 0 and the window, about
 *       half of it on average. See the table below.</li>
 *   <li>{@code maxTimestampJump} 1 s: a publisher timestamp that runs ahead of the wall
 *       clock by more than this, or goes backwards, is treated as a discontinuity and
 *       smoothed, so players never see the jump (SRS {@code time_jitter}).</li>
 *   <li>{@code maxDrainBatch} 256: frames written per drain before the event loop is
 *       yielded to other channels.</li>
 * </ul>
 *
 * <p>The merged-write window's measured effect: RTMP fan-out of a 1 Mbit/s H.264 + AAC stream
 * to 1,000 players, the server pinned to one core of a 2-core machine, loopback, one 20 s run
 * per cell on a machine shared with other builds, so the figures are indicative only;
 * benchmarks/README.md has the method and the runs. CPU is seconds per player-minute; latency
 * is publish to play as the players saw it, median (99th percentile).
 * <table>
 *   <caption>mergeWriteWindow</caption>
 *   <tr><th>window</th><th>CPU, load 7-9</th><th>latency, load 7-9</th>
 *       <th>CPU, load 3-5</th><th>latency, load 3-5</th></tr>
 *   <tr><td>0 (low latency)</td><td>0.026</td><td>29 ms (273 ms)</td>
 *       <td>0.038</td><td>16 ms (147 ms)</td></tr>
 *   <tr><td>20 ms</td><td>0.020</td><td>55 ms (257 ms)</td><td></td><td></td></tr>
 *   <tr><td>50 ms (default)</td><td>0.017</td><td>52 ms (462 ms)</td>
 *       <td>0.016</td><td>48 ms (188 ms)</td></tr>
 *   <tr><td>100 ms</td><td>0.020</td><td>98 ms (3.9 s, a burst of load)</td>
 *       <td>0.019</td><td>77 ms (263 ms)</td></tr>
 * </table>
 * The default of 50 ms keeps the median under 100 ms at less than half the CPU of window 0
 * (at the lower load); a longer window brought no further saving. Use 0 where latency matters
 * more than CPU: its median stayed under 40 ms up to 1,000 players.
 */
public final class HubConfig {

    private final int subscriberQueueFrames;
    private final int gopCacheFrames;
    private final long gopCacheBytes;
    private final Duration mergeWriteWindow;
    private final Duration maxTimestampJump;
    private final boolean timestampCorrection;
    private final int maxDrainBatch;

    private HubConfig(Builder b) {
        this.subscriberQueueFrames = b.subscriberQueueFrames;
        this.gopCacheFrames = b.gopCacheFrames;
        this.gopCacheBytes = b.gopCacheBytes;
        this.mergeWriteWindow = b.mergeWriteWindow;
        this.maxTimestampJump = b.maxTimestampJump;
        this.timestampCorrection = b.timestampCorrection;
        this.maxDrainBatch = b.maxDrainBatch;
    }

    public static HubConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public int subscriberQueueFrames() {
        return subscriberQueueFrames;
    }

    public int gopCacheFrames() {
        return gopCacheFrames;
    }

    public long gopCacheBytes() {
        return gopCacheBytes;
    }

    public Duration mergeWriteWindow() {
        return mergeWriteWindow;
    }

    public Duration maxTimestampJump() {
        return maxTimestampJump;
    }

    public boolean timestampCorrection() {
        return timestampCorrection;
    }

    public int maxDrainBatch() {
        return maxDrainBatch;
    }

    /** Builds a {@link HubConfig}; see the class notes for the defaults. */
    public static final class Builder {
        private int subscriberQueueFrames = 1024;
        private int gopCacheFrames = 768;
        private long gopCacheBytes = 16L << 20;
        private Duration mergeWriteWindow = Duration.ofMillis(50);
        private Duration maxTimestampJump = Duration.ofSeconds(1);
        private boolean timestampCorrection = true;
        private int maxDrainBatch = 256;

        private Builder() {
        }

        public Builder subscriberQueueFrames(int frames) {
            this.subscriberQueueFrames = frames;
            return this;
        }

        /** Sets the GOP cache bound in frames; 0 disables the cache. */
        public Builder gopCacheFrames(int frames) {
            this.gopCacheFrames = frames;
            return this;
        }

        public Builder gopCacheBytes(long bytes) {
            this.gopCacheBytes = bytes;
            return this;
        }

        /**
         * Sets the merged-write window (default 50 ms); {@link Duration#ZERO} writes every frame
         * at once, for the lowest latency. See the class notes for the measured trade-off.
         */
        public Builder mergeWriteWindow(Duration window) {
            this.mergeWriteWindow = Objects.requireNonNull(window, "window");
            return this;
        }

        public Builder maxTimestampJump(Duration jump) {
            this.maxTimestampJump = Objects.requireNonNull(jump, "jump");
            return this;
        }

        /** Turns timestamp jitter correction on (default) or off. */
        public Builder timestampCorrection(boolean on) {
            this.timestampCorrection = on;
            return this;
        }

        public Builder maxDrainBatch(int frames) {
            this.maxDrainBatch = frames;
            return this;
        }

        /** @throws IllegalArgumentException when a value is out of range */
        public HubConfig build() {
            if (subscriberQueueFrames < 16 || subscriberQueueFrames > (1 << 20)) {
                throw new IllegalArgumentException("subscriberQueueFrames must be 16..1048576: " + subscriberQueueFrames);
            }
            if (gopCacheFrames < 0 || gopCacheFrames >= subscriberQueueFrames) {
                throw new IllegalArgumentException("gopCacheFrames must be 0..subscriberQueueFrames-1: " + gopCacheFrames);
            }
            if (gopCacheBytes < 0) {
                throw new IllegalArgumentException("gopCacheBytes must be >= 0");
            }
            if (mergeWriteWindow.isNegative() || maxTimestampJump.isNegative()) {
                throw new IllegalArgumentException("durations must not be negative");
            }
            if (maxDrainBatch < 1) {
                throw new IllegalArgumentException("maxDrainBatch must be >= 1");
            }
            return new HubConfig(this);
        }
    }
}
