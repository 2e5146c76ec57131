package io.livehub.media;

import java.util.Arrays;
import java.util.Objects;

/**
 * Describes one elementary stream of a live stream: its kind, codec, timebase and codec
 * configuration (SPS/PPS/VPS as an AVC/HEVC decoder configuration record,
 * AudioSpecificConfig, OpusHead, AV1 codec configuration record).
 *
 * <p>A change of codec configuration mid-stream (a new sequence header) is a new {@code Track}
 * with the same {@link #id()}: egress code compares tracks by identity to know when to resend
 * a configuration. Width, height, sample rate and channel count are informational (0 when
 * unknown) and are filled in by the ingest from the configuration.
 *
 * <p>Thread-safety: immutable; {@link #config()} returns a copy.
 */
public final class Track {

    private final int id;
    private final CodecId codec;
    private final Timebase timebase;
    private final byte[] config;
    private final int width;
    private final int height;
    private final int sampleRate;
    private final int channels;

    private Track(Builder b) {
        this.id = b.id;
        this.codec = Objects.requireNonNull(b.codec, "codec");
        this.timebase = Objects.requireNonNull(b.timebase, "timebase");
        this.config = b.config == null ? new byte[0] : b.config.clone();
        this.width = b.width;
        this.height = b.height;
        this.sampleRate = b.sampleRate;
        this.channels = b.channels;
    }

    public static Builder builder(CodecId codec) {
        return new Builder(codec);
    }

    /** Returns a builder that starts from this track's values. */
    public Builder toBuilder() {
        Builder b = new Builder(codec);
        b.id = id;
        b.timebase = timebase;
        b.config = config;
        b.width = width;
        b.height = height;
        b.sampleRate = sampleRate;
        b.channels = channels;
        return b;
    }

    /** Returns the track number within its stream, stable across configuration changes. */
    public int id() {
        return id;
    }

    public TrackKind kind() {
        return codec.kind();
    }

    public CodecId codec() {
        return codec;
    }

    public Timebase timebase() {
        return timebase;
    }

    /** Returns a copy of the codec configuration; empty when the codec has none. */
    public byte[] config() {
        return config.clone();
    }

    /** Returns the length of the codec configuration without copying it. */
    public int configLength() {
        return config.length;
    }

    /** Returns whether this track has a codec configuration. */
    public boolean hasConfig() {
        return config.length > 0;
    }

    /** Returns whether {@code other}'s configuration bytes equal this one's. */
    public boolean sameConfig(Track other) {
        return other != null && codec == other.codec && Arrays.equals(config, other.config);
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public int sampleRate() {
        return sampleRate;
    }

    public int channels() {
        return channels;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("Track[").append(id).append(' ').append(codec)
                .append(" tb=").append(timebase);
        if (width > 0) {
            b.append(' ').append(width).append('x').append(height);
        }
        if (sampleRate > 0) {
            b.append(' ').append(sampleRate).append("Hz/").append(channels);
        }
        return b.append(" config=").append(config.length).append("B]").toString();
    }

    /** Builds a {@link Track}. Defaults: id 0 for video and 1 for audio, timebase 1/1000. */
    public static final class Builder {
        private int id;
        private final CodecId codec;
        private Timebase timebase = Timebase.MILLIS;
        private byte[] config;
        private int width;
        private int height;
        private int sampleRate;
        private int channels;

        private Builder(CodecId codec) {
            this.codec = Objects.requireNonNull(codec, "codec");
            this.id = codec.kind() == TrackKind.VIDEO ? 0 : codec.kind() == TrackKind.AUDIO ? 1 : 2;
        }

        public Builder id(int id) {
            this.id = id;
            return this;
        }

        public Builder timebase(Timebase timebase) {
            this.timebase = timebase;
            return this;
        }

        /** Sets the codec configuration; the array is copied. */
        public Builder config(byte[] config) {
            this.config = config;
            return this;
        }

        public Builder dimensions(int width, int height) {
            this.width = width;
            this.height = height;
            return this;
        }

        public Builder audio(int sampleRate, int channels) {
            this.sampleRate = sampleRate;
            this.channels = channels;
            return this;
        }

        public Track build() {
            return new Track(this);
        }
    }
}
