package io.livehub.hls;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Configures {@link HlsModule}. Immutable; build with {@link #builder()}.
 *
 * <table>
 *   <caption>Options and defaults</caption>
 *   <tr><th>option</th><th>default</th><th>why</th></tr>
 *   <tr><td>{@link #targetDuration()}</td><td>2 s</td><td>segments are cut at the first video
 *       keyframe at or after this duration (audio-only streams at the first audio frame);
 *       Apple recommends 6 s for VOD, live players start faster with 2 s</td></tr>
 *   <tr><td>{@link #playlistWindow()}</td><td>6 segments, 12 with {@link #lowLatency()}</td><td>a
 *       live player starts three target durations from the end (RFC 8216 §6.3.3), so it needs
 *       more than three; a low-latency playlist must be longer than {@code CAN-SKIP-UNTIL} (six
 *       target durations) for delta updates to skip anything</td></tr>
 *   <tr><td>{@link #maxSegments()}</td><td>the window + 3</td><td>segments kept in memory; more
 *       than the window so that a player holding a slightly old playlist can still fetch a
 *       segment that has just left it (§6.2.2 asks for that)</td></tr>
 *   <tr><td>{@link #lowLatency()}</td><td>off</td><td>Low-Latency HLS (draft-pantos-hls-rfc8216bis
 *       §4.4.4.9, §6.2.5.2, §6.2.6): partial segments, blocking playlist reload, preload hints and
 *       delta updates; with fMP4 segments this is the form hls.js and Safari play, MPEG-TS parts
 *       work too</td></tr>
 *   <tr><td>{@link #partTarget()}</td><td>200 ms</td><td>the part target duration
 *       ({@code PART-TARGET}); Apple suggests 200 ms to 1 s; a part ends before the frame that
 *       would make it longer, and early at a video keyframe so that parts start independent</td></tr>
 *   <tr><td>{@link #playSessions()}</td><td>on</td><td>each viewer is one client session
 *       (protocol {@code hls}, listed by the management API): its first playlist request asks
 *       {@code onConnect} and {@code onPlay} (with the request's query parameters, e.g.
 *       {@code ?secret=}) and, when allowed, is redirected ({@code 302}) to the same URL with
 *       {@code hls_ctx=<session>} added (SRS's {@code hls_ctx}); the playlists' URIs carry it
 *       too, so that later requests of the viewer are known; {@code onStop} and
 *       {@code onClose} fire when the session idles out. Turn off behind a caching CDN, which
 *       must not cache per-viewer playlists</td></tr>
 *   <tr><td>{@link #sessionLimits()}</td><td>{@link HlsSessionLimits#defaults()}</td><td>bounds
 *       the memory play sessions hold: query, {@code Host} and {@code Referer} sizes, sessions
 *       per address, new sessions per second per address, and a total memory budget</td></tr>
 *   <tr><td>{@link #playSessionTimeout()}</td><td>30 s</td><td>a viewer without requests for
 *       this long has stopped; well above a player's reload interval (a target duration)</td></tr>
 *   <tr><td>{@link #outputDirectory()}</td><td>none</td><td>when set, playlists and segments are
 *       also written to {@code dir/{app}/{stream}.m3u8} and {@code dir/{app}/{stream}-{seq}.ts}
 *       (SRS's {@code hls_path}), atomically; segments leaving the window and a released stream's
 *       files are deleted</td></tr>
 *   <tr><td>{@link #segmentFormat()}</td><td>{@link HlsSegmentFormat#TS}</td><td>plays
 *       everywhere</td></tr>
 *   <tr><td>{@link #muxing()}</td><td>{@link HlsMuxing#ON_DEMAND}</td><td>streams nobody watches
 *       over HLS cost nothing; use {@link HlsMuxing#ALWAYS} for segment events of every
 *       stream or a faster first playlist</td></tr>
 *   <tr><td>{@link #idleTimeout()}</td><td>30 s</td><td>an on-demand muxer without requests
 *       for this long is released</td></tr>
 *   <tr><td>{@link #endedRetention()}</td><td>30 s</td><td>after the publisher stops, the
 *       playlist (with {@code EXT-X-ENDLIST}) and its segments are served this long</td></tr>
 *   <tr><td>{@link #firstSegmentTimeout()}</td><td>10 s</td><td>a playlist request for a live
 *       stream without a complete segment waits this long for one, then gets 404</td></tr>
 *   <tr><td>{@link #timestampJumpThreshold()}</td><td>10 s</td><td>a track whose timestamps go
 *       forward by more than this (or back by more than one second) starts a new segment
 *       after {@code EXT-X-DISCONTINUITY}</td></tr>
 *   <tr><td>{@link #maxSegmentBytes()}</td><td>64 MiB</td><td>a segment is cut at this size even
 *       without a keyframe, so a stream that never sends one cannot exhaust memory</td></tr>
 *   <tr><td>{@link #segmentMaxAge()}</td><td>60 s</td><td>{@code Cache-Control: max-age} of
 *       segments (with {@code immutable}); longer than a segment lives in the playlist, short
 *       enough that a name reused by a later muxer of the same stream is soon fresh again</td></tr>
 *   <tr><td>{@link #playlistMaxAge()}</td><td>1 s</td><td>{@code Cache-Control: max-age} of live
 *       playlists: half a target duration or less, so a CDN never serves a stale window</td></tr>
 * </table>
 *
 * <p>Thread-safety: immutable.
 */
public final class HlsConfig {

    private static final HlsConfig DEFAULTS = builder().build();

    private final Duration targetDuration;
    private final int playlistWindow;
    private final int maxSegments;
    private final HlsSegmentFormat segmentFormat;
    private final HlsMuxing muxing;
    private final Duration idleTimeout;
    private final Duration endedRetention;
    private final Duration firstSegmentTimeout;
    private final Duration timestampJumpThreshold;
    private final int maxSegmentBytes;
    private final Duration segmentMaxAge;
    private final Duration playlistMaxAge;
    private final boolean lowLatency;
    private final Duration partTarget;
    private final Path outputDirectory;
    private final boolean playSessions;
    private final Duration playSessionTimeout;
    private final HlsSessionLimits sessionLimits;

    /** The window and kept counts as set on the builder, 0 for the defaults (for {@link #toBuilder()}). */
    private final int windowSet;
    private final int keptSet;

    private HlsConfig(Builder b) {
        this.windowSet = b.playlistWindow;
        this.keptSet = b.maxSegments;
        this.playSessions = b.playSessions;
        this.playSessionTimeout = b.playSessionTimeout;
        this.sessionLimits = b.sessionLimits;
        this.targetDuration = b.targetDuration;
        this.playlistWindow = b.playlistWindow > 0 ? b.playlistWindow : b.lowLatency ? 12 : 6;
        this.maxSegments = Math.max(b.maxSegments > 0 ? b.maxSegments : playlistWindow + 3, playlistWindow);
        this.lowLatency = b.lowLatency;
        this.partTarget = b.partTarget;
        this.outputDirectory = b.outputDirectory;
        if (lowLatency && partTarget.compareTo(targetDuration) > 0) {
            throw new IllegalArgumentException("partTarget " + partTarget + " exceeds targetDuration " + targetDuration);
        }
        this.segmentFormat = b.segmentFormat;
        this.muxing = b.muxing;
        this.idleTimeout = b.idleTimeout;
        this.endedRetention = b.endedRetention;
        this.firstSegmentTimeout = b.firstSegmentTimeout;
        this.timestampJumpThreshold = b.timestampJumpThreshold;
        this.maxSegmentBytes = b.maxSegmentBytes;
        this.segmentMaxAge = b.segmentMaxAge;
        this.playlistMaxAge = b.playlistMaxAge;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Returns the default configuration. */
    public static HlsConfig defaults() {
        return DEFAULTS;
    }

    /** Returns a builder that starts from this configuration's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.playlistWindow = windowSet;
        b.maxSegments = keptSet;
        return b
                .targetDuration(targetDuration)
                .segmentFormat(segmentFormat).muxing(muxing).idleTimeout(idleTimeout)
                .endedRetention(endedRetention).firstSegmentTimeout(firstSegmentTimeout)
                .timestampJumpThreshold(timestampJumpThreshold).maxSegmentBytes(maxSegmentBytes)
                .segmentMaxAge(segmentMaxAge).playlistMaxAge(playlistMaxAge)
                .lowLatency(lowLatency).partTarget(partTarget).outputDirectory(outputDirectory)
                .playSessions(playSessions).playSessionTimeout(playSessionTimeout).sessionLimits(sessionLimits);
    }

    /** Returns whether Low-Latency HLS (parts, blocking reload, delta updates) is on. */
    public boolean lowLatency() {
        return lowLatency;
    }

    /** Returns the part target duration of low-latency playlists. */
    public Duration partTarget() {
        return partTarget;
    }

    /** Returns whether viewers get play sessions ({@code onPlay}, {@code hls_ctx}, {@code onStop}). */
    public boolean playSessions() {
        return playSessions;
    }

    /** Returns how long a viewer's session lives without a request. */
    public Duration playSessionTimeout() {
        return playSessionTimeout;
    }

    /** Returns the limits of play sessions. */
    public HlsSessionLimits sessionLimits() {
        return sessionLimits;
    }

    /** Returns the directory playlists and segments are also written to, or null for memory only. */
    public Path outputDirectory() {
        return outputDirectory;
    }

    public Duration targetDuration() {
        return targetDuration;
    }

    public int playlistWindow() {
        return playlistWindow;
    }

    /** Returns how many segments are kept in memory; never less than {@link #playlistWindow()}. */
    public int maxSegments() {
        return maxSegments;
    }

    public HlsSegmentFormat segmentFormat() {
        return segmentFormat;
    }

    public HlsMuxing muxing() {
        return muxing;
    }

    public Duration idleTimeout() {
        return idleTimeout;
    }

    public Duration endedRetention() {
        return endedRetention;
    }

    public Duration firstSegmentTimeout() {
        return firstSegmentTimeout;
    }

    public Duration timestampJumpThreshold() {
        return timestampJumpThreshold;
    }

    public int maxSegmentBytes() {
        return maxSegmentBytes;
    }

    public Duration segmentMaxAge() {
        return segmentMaxAge;
    }

    public Duration playlistMaxAge() {
        return playlistMaxAge;
    }

    @Override
    public String toString() {
        return "HlsConfig[" + segmentFormat + " " + muxing + " target=" + targetDuration + " window="
                + playlistWindow + " kept=" + maxSegments + (lowLatency ? " low-latency part=" + partTarget : "")
                + (outputDirectory != null ? " dir=" + outputDirectory : "") + "]";
    }

    /** Builds an {@link HlsConfig}; see the class notes for the defaults. */
    public static final class Builder {
        private Duration targetDuration = Duration.ofSeconds(2);
        private int playlistWindow;
        private int maxSegments;
        private boolean lowLatency;
        private Duration partTarget = Duration.ofMillis(200);
        private Path outputDirectory;
        private boolean playSessions = true;
        private Duration playSessionTimeout = Duration.ofSeconds(30);
        private HlsSessionLimits sessionLimits = HlsSessionLimits.defaults();
        private HlsSegmentFormat segmentFormat = HlsSegmentFormat.TS;
        private HlsMuxing muxing = HlsMuxing.ON_DEMAND;
        private Duration idleTimeout = Duration.ofSeconds(30);
        private Duration endedRetention = Duration.ofSeconds(30);
        private Duration firstSegmentTimeout = Duration.ofSeconds(10);
        private Duration timestampJumpThreshold = Duration.ofSeconds(10);
        private int maxSegmentBytes = 64 << 20;
        private Duration segmentMaxAge = Duration.ofSeconds(60);
        private Duration playlistMaxAge = Duration.ofSeconds(1);

        private Builder() {
        }

        /** Sets the segment target duration, from 100 ms to 60 s. */
        public Builder targetDuration(Duration d) {
            this.targetDuration = range("targetDuration", d, Duration.ofMillis(100), Duration.ofSeconds(60));
            return this;
        }

        /** Sets how many segments a live playlist lists, at least 3. */
        public Builder playlistWindow(int segments) {
            if (segments < 3 || segments > 1000) {
                throw new IllegalArgumentException("playlistWindow must be 3..1000: " + segments);
            }
            this.playlistWindow = segments;
            return this;
        }

        /** Sets how many segments are kept in memory; raised to the playlist window if lower. */
        public Builder maxSegments(int segments) {
            if (segments < 1 || segments > 10_000) {
                throw new IllegalArgumentException("maxSegments must be 1..10000: " + segments);
            }
            this.maxSegments = segments;
            return this;
        }

        public Builder segmentFormat(HlsSegmentFormat format) {
            this.segmentFormat = Objects.requireNonNull(format, "format");
            return this;
        }

        public Builder muxing(HlsMuxing muxing) {
            this.muxing = Objects.requireNonNull(muxing, "muxing");
            return this;
        }

        public Builder idleTimeout(Duration d) {
            this.idleTimeout = range("idleTimeout", d, Duration.ofSeconds(1), Duration.ofDays(1));
            return this;
        }

        public Builder endedRetention(Duration d) {
            this.endedRetention = range("endedRetention", d, Duration.ZERO, Duration.ofDays(1));
            return this;
        }

        public Builder firstSegmentTimeout(Duration d) {
            this.firstSegmentTimeout = range("firstSegmentTimeout", d, Duration.ZERO, Duration.ofMinutes(5));
            return this;
        }

        public Builder timestampJumpThreshold(Duration d) {
            this.timestampJumpThreshold = range("timestampJumpThreshold", d, Duration.ofMillis(100),
                    Duration.ofHours(1));
            return this;
        }

        /** Sets the size at which a segment is cut even without a keyframe, from 64 KiB to 1 GiB. */
        public Builder maxSegmentBytes(int bytes) {
            if (bytes < 64 << 10 || bytes > 1 << 30) {
                throw new IllegalArgumentException("maxSegmentBytes must be 64 KiB..1 GiB: " + bytes);
            }
            this.maxSegmentBytes = bytes;
            return this;
        }

        public Builder segmentMaxAge(Duration d) {
            this.segmentMaxAge = range("segmentMaxAge", d, Duration.ZERO, Duration.ofDays(365));
            return this;
        }

        public Builder playlistMaxAge(Duration d) {
            this.playlistMaxAge = range("playlistMaxAge", d, Duration.ZERO, Duration.ofMinutes(1));
            return this;
        }

        /**
         * Turns Low-Latency HLS on or off (default off): partial segments every
         * {@link #partTarget(Duration)}, {@code EXT-X-SERVER-CONTROL} with blocking reload and
         * delta updates, {@code EXT-X-PRELOAD-HINT}.
         */
        public Builder lowLatency(boolean on) {
            this.lowLatency = on;
            return this;
        }

        /** Sets the part target duration of low-latency playlists, from 50 ms to 5 s (default 200 ms). */
        public Builder partTarget(Duration d) {
            this.partTarget = range("partTarget", d, Duration.ofMillis(50), Duration.ofSeconds(5));
            return this;
        }

        /**
         * Turns play sessions on or off (default on): a client session per viewer, asked
         * {@code onPlay} at its first playlist request, which is redirected to the same URL with
         * {@code hls_ctx=} added; {@code ?hls_ctx=} in the URIs of its playlists; {@code onStop}
         * when it idles out. Off, every playlist is served without asking (behind a caching CDN).
         */
        public Builder playSessions(boolean on) {
            this.playSessions = on;
            return this;
        }

        /** Sets how long a viewer's session lives without a request, from 1 s to 1 h (default 30 s). */
        public Builder playSessionTimeout(Duration d) {
            this.playSessionTimeout = range("playSessionTimeout", d, Duration.ofSeconds(1), Duration.ofHours(1));
            return this;
        }

        /** Sets the limits of play sessions (default {@link HlsSessionLimits#defaults()}). */
        public Builder sessionLimits(HlsSessionLimits limits) {
            this.sessionLimits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /** Sets the directory playlists and segments are also written to; null (the default) for none. */
        public Builder outputDirectory(Path dir) {
            this.outputDirectory = dir == null ? null : dir.toAbsolutePath().normalize();
            return this;
        }

        public HlsConfig build() {
            return new HlsConfig(this);
        }

        private static Duration range(String name, Duration d, Duration min, Duration max) {
            Objects.requireNonNull(d, name);
            if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                throw new IllegalArgumentException(name + " must be " + min + ".." + max + ": " + d);
            }
            return d;
        }
    }
}
