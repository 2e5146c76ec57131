package io.livehub.ts;

import java.time.Duration;
import java.util.Objects;

/**
 * Configures a {@link TsMuxer}. Immutable; build with {@link #builder()}.
 *
 * <p>Defaults, and why:
 * <ul>
 *   <li>{@code transportStreamId} 1 and {@code programNumber} 1: one program per stream, the
 *       values ffmpeg and SRS write, so tools that compare streams see nothing unusual.</li>
 *   <li>{@code pmtPid} 0x1000 and {@code firstElementaryPid} 0x100: ffmpeg's defaults; the
 *       elementary streams take consecutive PIDs in the order the tracks are given.</li>
 *   <li>{@code psiInterval} 100 ms: PAT and PMT are repeated at least this often (besides
 *       before every video keyframe), ffmpeg's {@code pat_period}, so a receiver that joins
 *       an SRT or UDP stream mid-way finds the program quickly.</li>
 *   <li>{@code pcrDelay} 0: the PCR written before an access unit equals its DTS. A positive
 *       delay puts the PCR that far before the DTS, which strict T-STD receivers prefer;
 *       players that buffer (ffmpeg, VLC, hls.js, set-top boxes with a jitter buffer) do not
 *       need it.</li>
 * </ul>
 *
 * <p>Thread-safety: immutable.
 */
public final class TsMuxerConfig {

    private static final TsMuxerConfig DEFAULTS = builder().build();

    private final int transportStreamId;
    private final int programNumber;
    private final int pmtPid;
    private final int firstElementaryPid;
    private final Duration psiInterval;
    private final Duration pcrDelay;

    private TsMuxerConfig(Builder b) {
        this.transportStreamId = b.transportStreamId;
        this.programNumber = b.programNumber;
        this.pmtPid = b.pmtPid;
        this.firstElementaryPid = b.firstElementaryPid;
        this.psiInterval = b.psiInterval;
        this.pcrDelay = b.pcrDelay;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Returns the configuration with every default. */
    public static TsMuxerConfig defaults() {
        return DEFAULTS;
    }

    public int transportStreamId() {
        return transportStreamId;
    }

    public int programNumber() {
        return programNumber;
    }

    public int pmtPid() {
        return pmtPid;
    }

    public int firstElementaryPid() {
        return firstElementaryPid;
    }

    public Duration psiInterval() {
        return psiInterval;
    }

    public Duration pcrDelay() {
        return pcrDelay;
    }

    /** Builds a {@link TsMuxerConfig}; see the class notes for the defaults. */
    public static final class Builder {
        private int transportStreamId = 1;
        private int programNumber = 1;
        private int pmtPid = 0x1000;
        private int firstElementaryPid = 0x100;
        private Duration psiInterval = Duration.ofMillis(100);
        private Duration pcrDelay = Duration.ZERO;

        private Builder() {
        }

        /** Sets {@code transport_stream_id}, 0 to 65535. */
        public Builder transportStreamId(int id) {
            this.transportStreamId = checkRange("transportStreamId", id, 0, 0xFFFF);
            return this;
        }

        /** Sets {@code program_number}, 1 to 65535 (0 names the network PID). */
        public Builder programNumber(int number) {
            this.programNumber = checkRange("programNumber", number, 1, 0xFFFF);
            return this;
        }

        /** Sets the PID of the PMT, 0x10 to 0x1FFE (lower PIDs are reserved, §2.4.3.3 Table 2-3). */
        public Builder pmtPid(int pid) {
            this.pmtPid = checkRange("pmtPid", pid, 0x10, 0x1FFE);
            return this;
        }

        /** Sets the PID of the first elementary stream, 0x10 to 0x1FFE; the others follow it. */
        public Builder firstElementaryPid(int pid) {
            this.firstElementaryPid = checkRange("firstElementaryPid", pid, 0x10, 0x1FFE);
            return this;
        }

        /** Sets the longest time between two PAT/PMT pairs, measured in DTS; zero writes them before every frame. */
        public Builder psiInterval(Duration interval) {
            Objects.requireNonNull(interval, "interval");
            if (interval.isNegative()) {
                throw new IllegalArgumentException("psiInterval must not be negative: " + interval);
            }
            this.psiInterval = interval;
            return this;
        }

        /** Sets how far the PCR runs behind the DTS of the access unit it precedes; at most 1 s. */
        public Builder pcrDelay(Duration delay) {
            Objects.requireNonNull(delay, "delay");
            if (delay.isNegative() || delay.compareTo(Duration.ofSeconds(1)) > 0) {
                throw new IllegalArgumentException("pcrDelay must be 0 to 1 s: " + delay);
            }
            this.pcrDelay = delay;
            return this;
        }

        public TsMuxerConfig build() {
            return new TsMuxerConfig(this);
        }

        private static int checkRange(String name, int v, int min, int max) {
            if (v < min || v > max) {
                throw new IllegalArgumentException(name + " must be " + min + ".." + max + ": " + v);
            }
            return v;
        }
    }
}
