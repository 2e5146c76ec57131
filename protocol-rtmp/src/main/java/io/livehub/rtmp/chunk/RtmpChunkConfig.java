package io.livehub.rtmp.chunk;

import io.livehub.rtmp.message.RtmpProtocolControl;

/**
 * Holds the limits and options of {@link RtmpChunkDecoder} and {@link RtmpChunkEncoder}.
 *
 * <p>Defaults ({@link #DEFAULT}):
 * <ul>
 *   <li>{@code maxIncomingChunkSize} 65536: the largest Set Chunk Size a peer may ask for.
 *       Encoders use 128 to 65536 (FFmpeg and OBS 4096, SRS 60000); RTMP spec §5.4.1 allows
 *       2^31-1, which buys nothing but lets one chunk hold a whole message.</li>
 *   <li>{@code maxMessageLength} 8 MiB: the message header's 24-bit length field allows up to
 *       16 MiB - 1; 8 MiB holds the largest keyframes real encoders send (a 4K intra frame at a
 *       high bitrate is 1 to 4 MiB) while halving what one message can make a connection buffer.</li>
 *   <li>{@code maxPendingBytes} 16 MiB: bytes of partly received messages over all chunk
 *       streams of a connection; room for one maximal video message plus interleaved audio and
 *       commands, and the most a peer can make the server hold without completing a message.</li>
 *   <li>{@code maxChunkStreams} 64: distinct chunk stream ids a peer may use; real clients use
 *       fewer than ten, and each id keeps a small header state for the connection's life.</li>
 *   <li>{@code compressHeaders} false: the encoder writes a type 0 header at the start of every
 *       message. Type 1 and 2 headers save a few bytes per message but tie the encoder's state
 *       to every message it wrote; type 0 headers keep pre-encoded shared chunk runs and the
 *       encoder's own messages independent.</li>
 * </ul>
 *
 * <p>Thread-safety: immutable.
 */
public final class RtmpChunkConfig {

    /** The defaults listed in the class notes. */
    public static final RtmpChunkConfig DEFAULT = builder().build();

    private final int maxIncomingChunkSize;
    private final int maxMessageLength;
    private final long maxPendingBytes;
    private final int maxChunkStreams;
    private final boolean compressHeaders;

    private RtmpChunkConfig(Builder b) {
        this.maxIncomingChunkSize = b.maxIncomingChunkSize;
        this.maxMessageLength = b.maxMessageLength;
        this.maxPendingBytes = b.maxPendingBytes;
        this.maxChunkStreams = b.maxChunkStreams;
        this.compressHeaders = b.compressHeaders;
    }

    /** Returns a builder that starts from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns the largest chunk size a peer may set; default 65536. */
    public int maxIncomingChunkSize() {
        return maxIncomingChunkSize;
    }

    /** Returns the largest message length accepted; default 8 MiB. */
    public int maxMessageLength() {
        return maxMessageLength;
    }

    /** Returns the most bytes of incomplete messages held per connection; default 16 MiB. */
    public long maxPendingBytes() {
        return maxPendingBytes;
    }

    /** Returns the most distinct chunk stream ids per connection; default 64. */
    public int maxChunkStreams() {
        return maxChunkStreams;
    }

    /** Returns whether the encoder writes type 1 and 2 headers when it can; default false. */
    public boolean compressHeaders() {
        return compressHeaders;
    }

    @Override
    public String toString() {
        return "RtmpChunkConfig[maxIncomingChunkSize=" + maxIncomingChunkSize + ", maxMessageLength=" + maxMessageLength
                + ", maxPendingBytes=" + maxPendingBytes + ", maxChunkStreams=" + maxChunkStreams
                + ", compressHeaders=" + compressHeaders + "]";
    }

    /**
     * Builds {@link RtmpChunkConfig}.
     *
     * <p>Thread-safety: not thread-safe.
     */
    public static final class Builder {
        private int maxIncomingChunkSize = 65536;
        private int maxMessageLength = 8 * 1024 * 1024;
        private long maxPendingBytes = 16L * 1024 * 1024;
        private int maxChunkStreams = 64;
        private boolean compressHeaders;

        private Builder() {
        }

        /** Sets the largest chunk size a peer may set, 128..2^31-1; default 65536. */
        public Builder maxIncomingChunkSize(int v) {
            if (v < RtmpProtocolControl.DEFAULT_CHUNK_SIZE) {
                throw new IllegalArgumentException("maxIncomingChunkSize below 128: " + v);
            }
            this.maxIncomingChunkSize = v;
            return this;
        }

        /** Sets the largest message length, 1..16777215 (24 bits); default 8 MiB. */
        public Builder maxMessageLength(int v) {
            if (v < 1 || v > 0xFFFFFF) {
                throw new IllegalArgumentException("maxMessageLength must be in 1..16777215: " + v);
            }
            this.maxMessageLength = v;
            return this;
        }

        /** Sets the most bytes of incomplete messages per connection, at least 1; default 16 MiB. */
        public Builder maxPendingBytes(long v) {
            if (v < 1) {
                throw new IllegalArgumentException("maxPendingBytes must be positive: " + v);
            }
            this.maxPendingBytes = v;
            return this;
        }

        /** Sets the most distinct chunk stream ids per connection, 1..65598; default 64. */
        public Builder maxChunkStreams(int v) {
            if (v < 1 || v > 65598) {
                throw new IllegalArgumentException("maxChunkStreams must be in 1..65598: " + v);
            }
            this.maxChunkStreams = v;
            return this;
        }

        /** Sets whether the encoder writes type 1 and 2 headers when it can; default false. */
        public Builder compressHeaders(boolean v) {
            this.compressHeaders = v;
            return this;
        }

        /** Returns the configuration. */
        public RtmpChunkConfig build() {
            return new RtmpChunkConfig(this);
        }
    }
}
