package io.livehub.mp4;

import java.time.Duration;
import java.util.Objects;

/**
 * Configures an {@link Mp4RecordingWriter}: how often fragments are cut and made durable, and
 * how a recording is finished.
 *
 * <p>Thread-safety: immutable.
 */
public final class Mp4WriterConfig {

    private static final Mp4WriterConfig DEFAULTS = builder().build();

    private final Duration fragmentDuration;
    private final boolean syncEachFragment;
    private final boolean keepFragmented;
    private final int maxFragmentBytes;

    private Mp4WriterConfig(Builder b) {
        this.fragmentDuration = b.fragmentDuration;
        this.syncEachFragment = b.syncEachFragment;
        this.keepFragmented = b.keepFragmented;
        this.maxFragmentBytes = b.maxFragmentBytes;
    }

    /** Returns the configuration with every default. */
    public static Mp4WriterConfig defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the duration after which a fragment is cut, at the next video keyframe when the
     * file has video; default 1 s. A crash loses at most the fragment being collected.
     */
    public Duration fragmentDuration() {
        return fragmentDuration;
    }

    /**
     * Returns whether each fragment is forced to the storage device ({@link
     * java.nio.channels.FileChannel#force}) once written; default false. Written fragments
     * survive a killed process either way (they are in the page cache); forcing also makes them
     * survive a power loss, at the cost of a disk flush per fragment.
     */
    public boolean syncEachFragment() {
        return syncEachFragment;
    }

    /**
     * Returns whether a cleanly ended recording stays a fragmented MP4 instead of being rewritten
     * as a progressive one; default false. Fragmented files play and seek in ffmpeg, browsers
     * and DASH/HLS tools, but some editors and older players want a progressive file.
     */
    public boolean keepFragmented() {
        return keepFragmented;
    }

    /**
     * Returns the payload bytes after which a fragment is cut whatever its duration; default
     * 32 MiB. Bounds the memory a recording holds (the fragment's frames are retained until it is
     * written) when keyframes are far apart or the bitrate is very high.
     */
    public int maxFragmentBytes() {
        return maxFragmentBytes;
    }

    @Override
    public String toString() {
        return "Mp4WriterConfig[fragmentDuration=" + fragmentDuration + ", syncEachFragment=" + syncEachFragment
                + ", keepFragmented=" + keepFragmented + ", maxFragmentBytes=" + maxFragmentBytes + "]";
    }

    /** Builds an {@link Mp4WriterConfig}; every setter has the default its getter documents. */
    public static final class Builder {
        private Duration fragmentDuration = Duration.ofSeconds(1);
        private boolean syncEachFragment;
        private boolean keepFragmented;
        private int maxFragmentBytes = 32 << 20;

        private Builder() {
        }

        public Builder fragmentDuration(Duration d) {
            Objects.requireNonNull(d, "fragmentDuration");
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("fragmentDuration must be positive: " + d);
            }
            this.fragmentDuration = d;
            return this;
        }

        public Builder syncEachFragment(boolean sync) {
            this.syncEachFragment = sync;
            return this;
        }

        public Builder keepFragmented(boolean keep) {
            this.keepFragmented = keep;
            return this;
        }

        public Builder maxFragmentBytes(int bytes) {
            if (bytes < 1024) {
                throw new IllegalArgumentException("maxFragmentBytes must be at least 1024: " + bytes);
            }
            this.maxFragmentBytes = bytes;
            return this;
        }

        public Mp4WriterConfig build() {
            return new Mp4WriterConfig(this);
        }
    }
}
