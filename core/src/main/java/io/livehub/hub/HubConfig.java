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
 *   <li>{@code mergeWriteWindow} 100 ms: the publisher's frames are held for up to the window
 *       and then offered together to every subscriber that batches frames (the RTMP and
 *       HTTP-FLV players; see {@link StreamSubscriber#batchesFrames()}), so each player is
 *       written once per window (one system call per player per window instead of one per
 *       frame), like SRS's {@code mw_latency}. The window starts with the first held frame, so a frame waits
 *       between 0 and the window, about half of it on average. See the table below.</li>
 *   <li>{@code maxTimestampJump} 1 s: a publisher timestamp that runs ahead of the wall
 *       clock by more than this, or goes backwards, is treated as a discontinuity and
 *       smoothed, so players never see the jump (SRS {@code time_jitter}).</li>
 *   <li>{@code maxDrainBatch} 256: frames written per drain before the event loop is
 *       yielded to other channels.</li>
 *   <li>{@code writeTimeout} 20 s: a subscriber that has frames pending and takes none for this
 *       long (a player that stopped reading: its socket is not writable) is closed, like SRS's
 *       {@code send_timeout}. Its queue is bounded, but the kernel's socket buffers and the
 *       connection are not freed otherwise (about 4 MB per socket measured). Long enough for
 *       a player on a bad mobile link to recover; {@link Duration#ZERO} turns it off.</li>
 *   <li>{@code maxDropEpisodes} 5 within {@code dropEpisodeWindow} 30 s: a subscriber whose
 *       queue overflows (and drops to the next keyframe) more often than this is too slow for
 *       the stream and only shows a stuttering picture; it is closed so that the player can
 *       reconnect or pick a lower rendition. A zero window turns it off.</li>
 * </ul>
 *
 * <p>The merged-write window's measured effect: RTMP fan-out of a 1 Mbit/s H.264 + AAC stream
 * to 1,000 players, the server pinned to one core of a 2-core machine, loopback, 20 s windows
 * after a 20 s settle (benchmarks/README.md has the method and the runs). CPU is seconds per
 * player-minute (nginx-rtmp used 0.0295 in the same run); latency is publish to play as the
 * players saw it, median (99th percentile).
 * <table>
 *   <caption>mergeWriteWindow</caption>
 *   <tr><th>window</th><th>CPU</th><th>latency</th></tr>
 *   <tr><td>0 (low latency)</td><td>0.044</td><td>9 ms (28 ms)</td></tr>
 *   <tr><td>50 ms</td><td>0.013</td><td>41 ms (74 ms)</td></tr>
 *   <tr><td>100 ms (default)</td><td>0.0094</td><td>69 ms (147 ms)</td></tr>
 *   <tr><td>150 ms</td><td>0.0078</td><td>95 ms (184 ms)</td></tr>
 * </table>
 * The default keeps the median under 100 ms up to 2,000 players (83 ms there); use 0 where
 * latency matters more than CPU.
 */
public final class HubConfig {

    private final int subscriberQueueFrames;
    private final int gopCacheFrames;
    private final long gopCacheBytes;
    private final Duration mergeWriteWindow;
    private final Duration maxTimestampJump;
    private final boolean timestampCorrection;
    private final int maxDrainBatch;
    private final Duration writeTimeout;
    private final int maxDropEpisodes;
    private final Duration dropEpisodeWindow;

    private HubConfig(Builder b) {
        this.subscriberQueueFrames = b.subscriberQueueFrames;
        this.gopCacheFrames = b.gopCacheFrames;
        this.gopCacheBytes = b.gopCacheBytes;
        this.mergeWriteWindow = b.mergeWriteWindow;
        this.maxTimestampJump = b.maxTimestampJump;
        this.timestampCorrection = b.timestampCorrection;
        this.maxDrainBatch = b.maxDrainBatch;
        this.writeTimeout = b.writeTimeout;
        this.maxDropEpisodes = b.maxDropEpisodes;
        this.dropEpisodeWindow = b.dropEpisodeWindow;
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

    /** Returns how long a subscriber may take no frame while frames are pending; zero: forever. */
    public Duration writeTimeout() {
        return writeTimeout;
    }

    /** Returns how many drop episodes a subscriber may have within {@link #dropEpisodeWindow()}. */
    public int maxDropEpisodes() {
        return maxDropEpisodes;
    }

    /** Returns the window over which drop episodes are counted; zero: never closed for drops. */
    public Duration dropEpisodeWindow() {
        return dropEpisodeWindow;
    }

    /** Returns a builder holding this configuration's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.subscriberQueueFrames = subscriberQueueFrames;
        b.gopCacheFrames = gopCacheFrames;
        b.gopCacheBytes = gopCacheBytes;
        b.mergeWriteWindow = mergeWriteWindow;
        b.maxTimestampJump = maxTimestampJump;
        b.timestampCorrection = timestampCorrection;
        b.maxDrainBatch = maxDrainBatch;
        b.writeTimeout = writeTimeout;
        b.maxDropEpisodes = maxDropEpisodes;
        b.dropEpisodeWindow = dropEpisodeWindow;
        return b;
    }

    /** Builds a {@link HubConfig}; see the class notes for the defaults. */
    public static final class Builder {
        private int subscriberQueueFrames = 1024;
        private int gopCacheFrames = 768;
        private long gopCacheBytes = 16L << 20;
        private Duration mergeWriteWindow = Duration.ofMillis(100);
        private Duration maxTimestampJump = Duration.ofSeconds(1);
        private boolean timestampCorrection = true;
        private int maxDrainBatch = 256;
        private Duration writeTimeout = Duration.ofSeconds(20);
        private int maxDropEpisodes = 5;
        private Duration dropEpisodeWindow = Duration.ofSeconds(30);

        private Builder() {
        }

        /** Sets the write deadline for subscribers (default 20 s); {@link Duration#ZERO} turns it off. */
        public Builder writeTimeout(Duration timeout) {
            this.writeTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * Closes a subscriber that drops to a keyframe more than {@code episodes} times within
         * {@code window} (default 5 within 30 s); a zero window turns it off.
         */
        public Builder maxDropEpisodes(int episodes, Duration window) {
            this.maxDropEpisodes = episodes;
            this.dropEpisodeWindow = Objects.requireNonNull(window, "window");
            return this;
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
         * Sets the merged-write window (default 100 ms); {@link Duration#ZERO} writes every frame
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
            if (writeTimeout.isNegative() || dropEpisodeWindow.isNegative()) {
                throw new IllegalArgumentException("timeouts must not be negative");
            }
            if (maxDropEpisodes < 1 || maxDropEpisodes > 1000) {
                throw new IllegalArgumentException("maxDropEpisodes must be 1..1000: " + maxDropEpisodes);
            }
            if (maxDrainBatch < 1) {
                throw new IllegalArgumentException("maxDrainBatch must be >= 1");
            }
            return new HubConfig(this);
        }
    }
}
