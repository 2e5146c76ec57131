package io.livehub.hls.internal;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Describes one media segment of a live playlist (RFC 8216 §3) and holds its bytes.
 *
 * @param sequence        the media sequence number (§4.3.3.2)
 * @param uri             the segment's URI relative to the playlist, e.g. {@code x-12.ts}
 * @param durationSeconds the {@code EXTINF} duration (§4.3.2.1)
 * @param programDateTime the wall-clock time of the first sample (§4.3.2.6), or null
 * @param discontinuity   whether an {@code EXT-X-DISCONTINUITY} precedes it (§4.3.2.3)
 * @param mapUri          the init segment's URI for {@code EXT-X-MAP} (§4.3.2.5), or null for TS
 * @param content         the bytes; null in playlist tests
 * @param parts           the segment's partial segments when low-latency, else empty; their bytes
 *                        are the segment's bytes
 *
 * <p>Thread-safety: immutable; the content follows {@link SharedBuffer}'s rules.
 */
public record HlsSegment(long sequence, String uri, double durationSeconds, Instant programDateTime,
                         boolean discontinuity, String mapUri, SharedBuffer content, List<HlsPart> parts) {

    public HlsSegment {
        Objects.requireNonNull(uri, "uri");
        parts = List.copyOf(parts);
    }

    /** Makes a segment without parts. */
    public HlsSegment(long sequence, String uri, double durationSeconds, Instant programDateTime,
                      boolean discontinuity, String mapUri, SharedBuffer content) {
        this(sequence, uri, durationSeconds, programDateTime, discontinuity, mapUri, content, List.of());
    }

    /** Releases the muxer's references to the content and the parts. */
    void release() {
        if (content != null) {
            content.release();
        }
        for (HlsPart p : parts) {
            p.release();
        }
    }
}
