package io.livehub.virtual.mp4;

/**
 * The limits an MP4 file is read under. Box sizes and entry counts come from the file and are
 * untrusted: each is checked against these limits and against the size of the box or file
 * that holds it before any memory is reserved, so a hostile or corrupt file fails with a clear
 * message instead of exhausting the heap. Nesting is not a limit: the reader descends only the
 * fixed path moov/trak/mdia/minf/stbl (and moof/traf), never recursively.
 *
 * <p>Thread-safety: immutable.
 */
public final class Mp4Limits {

    /**
     * Default largest box read into memory whole (everything except the sample tables, which
     * are streamed, and mdat), 1 MiB: codec configurations and edit lists are bytes to kilobytes.
     */
    public static final int DEFAULT_MAX_BOX_SIZE = 1024 * 1024;
    /**
     * Default largest moof, 4 MiB: ffmpeg writes about 16 bytes per sample in a trun, so this
     * is 250,000 samples, far beyond the few hundred of a keyframe fragment.
     */
    public static final int DEFAULT_MAX_MOOF_SIZE = 4 * 1024 * 1024;
    /**
     * Default most samples in one movie fragment, 100,000: ten seconds of 120 fps video with
     * 48 kHz AAC is under 2,000; a fragment's samples are held at about 40 bytes each while
     * they play, so this bounds that to 4 MB.
     */
    public static final int DEFAULT_MAX_FRAGMENT_SAMPLES = 100_000;
    /**
     * Default most samples per track, 4,000,000: a track's table is held as compact arrays of
     * 25 bytes per sample (100 MB at this limit), which covers 37 hours of 30 fps video.
     */
    public static final int DEFAULT_MAX_SAMPLES = 4_000_000;
    /**
     * Default largest sample, 16 MiB: above the largest intra frames of 4K or 8K encodes, and
     * a read-ahead of a few samples stays bounded.
     */
    public static final int DEFAULT_MAX_SAMPLE_SIZE = 16 * 1024 * 1024;
    /** Default most tracks, 64: the reader plays one video and one audio track; the rest are skipped. */
    public static final int DEFAULT_MAX_TRACKS = 64;

    private static final Mp4Limits DEFAULTS = builder().build();

    private final int maxBoxSize;
    private final int maxMoofSize;
    private final int maxSamples;
    private final int maxFragmentSamples;
    private final int maxSampleSize;
    private final int maxTracks;

    private Mp4Limits(Builder b) {
        this.maxBoxSize = b.maxBoxSize;
        this.maxMoofSize = b.maxMoofSize;
        this.maxSamples = b.maxSamples;
        this.maxFragmentSamples = b.maxFragmentSamples;
        this.maxSampleSize = b.maxSampleSize;
        this.maxTracks = b.maxTracks;
    }

    /** Returns the default limits. */
    public static Mp4Limits defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Returns the largest box read into memory whole; see {@link #DEFAULT_MAX_BOX_SIZE}. */
    public int maxBoxSize() {
        return maxBoxSize;
    }

    /** Returns the largest movie fragment box; see {@link #DEFAULT_MAX_MOOF_SIZE}. */
    public int maxMoofSize() {
        return maxMoofSize;
    }

    /** Returns the most samples of one track in the sample tables; see {@link #DEFAULT_MAX_SAMPLES}. */
    public int maxSamples() {
        return maxSamples;
    }

    /** Returns the most samples of one movie fragment; see {@link #DEFAULT_MAX_FRAGMENT_SAMPLES}. */
    public int maxFragmentSamples() {
        return maxFragmentSamples;
    }

    /** Returns the largest sample; see {@link #DEFAULT_MAX_SAMPLE_SIZE}. */
    public int maxSampleSize() {
        return maxSampleSize;
    }

    /** Returns the most trak boxes; see {@link #DEFAULT_MAX_TRACKS}. */
    public int maxTracks() {
        return maxTracks;
    }

    /** Builds {@link Mp4Limits}; every value starts at its documented default. */
    public static final class Builder {
        private int maxBoxSize = DEFAULT_MAX_BOX_SIZE;
        private int maxMoofSize = DEFAULT_MAX_MOOF_SIZE;
        private int maxSamples = DEFAULT_MAX_SAMPLES;
        private int maxFragmentSamples = DEFAULT_MAX_FRAGMENT_SAMPLES;
        private int maxSampleSize = DEFAULT_MAX_SAMPLE_SIZE;
        private int maxTracks = DEFAULT_MAX_TRACKS;

        private Builder() {
        }

        public Builder maxBoxSize(int v) {
            this.maxBoxSize = positive("maxBoxSize", v);
            return this;
        }

        public Builder maxMoofSize(int v) {
            this.maxMoofSize = positive("maxMoofSize", v);
            return this;
        }

        public Builder maxSamples(int v) {
            this.maxSamples = positive("maxSamples", v);
            return this;
        }

        public Builder maxFragmentSamples(int v) {
            this.maxFragmentSamples = positive("maxFragmentSamples", v);
            return this;
        }

        public Builder maxSampleSize(int v) {
            this.maxSampleSize = positive("maxSampleSize", v);
            return this;
        }

        public Builder maxTracks(int v) {
            this.maxTracks = positive("maxTracks", v);
            return this;
        }

        public Mp4Limits build() {
            return new Mp4Limits(this);
        }

        private static int positive(String name, int v) {
            if (v <= 0) {
                throw new IllegalArgumentException(name + " must be positive: " + v);
            }
            return v;
        }
    }
}
