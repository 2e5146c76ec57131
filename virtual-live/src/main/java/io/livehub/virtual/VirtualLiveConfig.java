package io.livehub.virtual;

import io.livehub.flv.FlvTagDecoder;
import io.livehub.virtual.mp4.Mp4Limits;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The settings of a {@link VirtualLiveModule}. Only the media root is required.
 *
 * <p>Thread-safety: immutable.
 */
public final class VirtualLiveConfig {

    /**
     * Default read-ahead per stream, 256 frames: about three seconds of 25 fps video with AAC,
     * so a slow disk read does not make the stream late, while memory per stream stays small.
     */
    public static final int DEFAULT_READ_AHEAD_FRAMES = 256;
    /**
     * Default read-ahead per stream in bytes, 8 MiB: bounds the read-ahead of high-bitrate files
     * (a few seconds at 20 Mbit/s), whatever the frame count.
     */
    public static final int DEFAULT_READ_AHEAD_BYTES = 8 * 1024 * 1024;
    /**
     * Default reader threads, 2: reads are short positional reads of whole frames, a second
     * thread keeps one slow disk read from delaying every other stream; they never run on the
     * event loops.
     */
    public static final int DEFAULT_READER_THREADS = 2;
    /** Default most streams at once, 64: each holds an open file and its read-ahead. */
    public static final int DEFAULT_MAX_STREAMS = 64;

    private final Path mediaRoot;
    private final int readAheadFrames;
    private final int readAheadBytes;
    private final int readerThreads;
    private final int maxStreams;
    private final Mp4Limits mp4Limits;
    private final int maxFlvTagSize;

    private VirtualLiveConfig(Builder b) {
        this.mediaRoot = Objects.requireNonNull(b.mediaRoot, "mediaRoot");
        this.readAheadFrames = b.readAheadFrames;
        this.readAheadBytes = b.readAheadBytes;
        this.readerThreads = b.readerThreads;
        this.maxStreams = b.maxStreams;
        this.mp4Limits = b.mp4Limits;
        this.maxFlvTagSize = b.maxFlvTagSize;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Returns the folder files are played from; nothing outside it is ever opened. */
    public Path mediaRoot() {
        return mediaRoot;
    }

    /** Returns the most frames read ahead per stream; see {@link #DEFAULT_READ_AHEAD_FRAMES}. */
    public int readAheadFrames() {
        return readAheadFrames;
    }

    /** Returns the most bytes read ahead per stream; see {@link #DEFAULT_READ_AHEAD_BYTES}. */
    public int readAheadBytes() {
        return readAheadBytes;
    }

    /** Returns the number of file reader threads; see {@link #DEFAULT_READER_THREADS}. */
    public int readerThreads() {
        return readerThreads;
    }

    /** Returns the most streams played at once; see {@link #DEFAULT_MAX_STREAMS}. */
    public int maxStreams() {
        return maxStreams;
    }

    /** Returns the limits MP4 files are read under. */
    public Mp4Limits mp4Limits() {
        return mp4Limits;
    }

    /** Returns the largest FLV tag accepted; default {@link FlvTagDecoder#DEFAULT_MAX_TAG_SIZE}. */
    public int maxFlvTagSize() {
        return maxFlvTagSize;
    }

    /** Builds a {@link VirtualLiveConfig}; every value but the media root has its documented default. */
    public static final class Builder {
        private Path mediaRoot;
        private int readAheadFrames = DEFAULT_READ_AHEAD_FRAMES;
        private int readAheadBytes = DEFAULT_READ_AHEAD_BYTES;
        private int readerThreads = DEFAULT_READER_THREADS;
        private int maxStreams = DEFAULT_MAX_STREAMS;
        private Mp4Limits mp4Limits = Mp4Limits.defaults();
        private int maxFlvTagSize = FlvTagDecoder.DEFAULT_MAX_TAG_SIZE;

        private Builder() {
        }

        public Builder mediaRoot(Path mediaRoot) {
            this.mediaRoot = Objects.requireNonNull(mediaRoot, "mediaRoot");
            return this;
        }

        public Builder readAheadFrames(int frames) {
            this.readAheadFrames = positive("readAheadFrames", frames);
            return this;
        }

        public Builder readAheadBytes(int bytes) {
            this.readAheadBytes = positive("readAheadBytes", bytes);
            return this;
        }

        public Builder readerThreads(int threads) {
            this.readerThreads = positive("readerThreads", threads);
            return this;
        }

        public Builder maxStreams(int streams) {
            this.maxStreams = positive("maxStreams", streams);
            return this;
        }

        public Builder mp4Limits(Mp4Limits limits) {
            this.mp4Limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        public Builder maxFlvTagSize(int bytes) {
            if (bytes <= 0 || bytes > 0xFF_FFFF) {
                throw new IllegalArgumentException("maxFlvTagSize must be in [1, 16777215]: " + bytes);
            }
            this.maxFlvTagSize = bytes;
            return this;
        }

        public VirtualLiveConfig build() {
            return new VirtualLiveConfig(this);
        }

        private static int positive(String name, int v) {
            if (v <= 0) {
                throw new IllegalArgumentException(name + " must be positive: " + v);
            }
            return v;
        }
    }
}
