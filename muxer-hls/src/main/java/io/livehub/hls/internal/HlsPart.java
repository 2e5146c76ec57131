package io.livehub.hls.internal;

import java.util.Objects;

/**
 * Describes one partial segment of a Low-Latency HLS playlist (draft-pantos-hls-rfc8216bis
 * §4.4.4.9 {@code EXT-X-PART}) and holds its bytes.
 *
 * @param sequence        the media sequence number of the segment the part belongs to
 * @param index           the part's index in its segment, from 0
 * @param uri             the part's URI relative to the playlist, e.g. {@code x-12.3.m4s}
 * @param durationSeconds the {@code DURATION} attribute
 * @param independent     whether the part starts with an independent frame ({@code INDEPENDENT=YES})
 * @param content         the bytes; null in playlist tests
 *
 * <p>Thread-safety: immutable; the content follows {@link SharedBuffer}'s rules.
 */
public record HlsPart(long sequence, int index, String uri, double durationSeconds, boolean independent,
                      SharedBuffer content) {

    public HlsPart {
        Objects.requireNonNull(uri, "uri");
    }

    /** Releases the muxer's reference to the content. */
    void release() {
        if (content != null) {
            content.release();
        }
    }
}
