package io.livehub.ts;

/**
 * Configures a {@link TsDemuxer}. Immutable; build with {@link #builder()}.
 *
 * <p>Defaults, and why:
 * <ul>
 *   <li>{@code maxPesSize} 8 MiB: the largest PES packet reassembled, header included. An
 *       intra frame of 4K video at broadcast bit rates is 1 to 3 MiB, so real streams stay
 *       well below; a PES that grows past the limit is dropped and counted, which bounds the
 *       memory a hostile sender can hold to two PES buffers (one video, one audio) per
 *       stream.</li>
 *   <li>{@code programNumber} 0: follow the first program the PAT lists. SRT and UDP
 *       contribution streams carry one program; a multi-program transport stream needs the
 *       number of the wanted one.</li>
 * </ul>
 *
 * <p>Thread-safety: immutable.
 */
public final class TsDemuxerConfig {

    /** The default {@code maxPesSize}: 8 MiB. */
    public static final int DEFAULT_MAX_PES_SIZE = 8 * 1024 * 1024;

    private static final TsDemuxerConfig DEFAULTS = builder().build();

    private final int maxPesSize;
    private final int programNumber;

    private TsDemuxerConfig(Builder b) {
        this.maxPesSize = b.maxPesSize;
        this.programNumber = b.programNumber;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Returns the configuration with every default. */
    public static TsDemuxerConfig defaults() {
        return DEFAULTS;
    }

    /** Returns the largest PES packet reassembled, in bytes, header included. */
    public int maxPesSize() {
        return maxPesSize;
    }

    /** Returns the program followed, or 0 for the first one in the PAT. */
    public int programNumber() {
        return programNumber;
    }

    /** Builds a {@link TsDemuxerConfig}; see the class notes for the defaults. */
    public static final class Builder {
        private int maxPesSize = DEFAULT_MAX_PES_SIZE;
        private int programNumber;

        private Builder() {
        }

        /** Sets the largest PES packet reassembled: 1 KiB to 256 MiB. */
        public Builder maxPesSize(int bytes) {
            if (bytes < 1024 || bytes > 256 * 1024 * 1024) {
                throw new IllegalArgumentException("maxPesSize must be 1 KiB to 256 MiB: " + bytes);
            }
            this.maxPesSize = bytes;
            return this;
        }

        /** Sets the program to follow, 1 to 65535, or 0 for the first in the PAT. */
        public Builder programNumber(int number) {
            if (number < 0 || number > 0xFFFF) {
                throw new IllegalArgumentException("programNumber must be 0..65535: " + number);
            }
            this.programNumber = number;
            return this;
        }

        public TsDemuxerConfig build() {
            return new TsDemuxerConfig(this);
        }
    }
}
