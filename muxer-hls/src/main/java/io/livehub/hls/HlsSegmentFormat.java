package io.livehub.hls;

/**
 * Names the container of HLS media segments (RFC 8216 §3).
 */
public enum HlsSegmentFormat {

    /** MPEG-2 transport stream segments ({@code .ts}, §3.2); playlist version 3. */
    TS,

    /**
     * Fragmented MPEG-4 segments ({@code .m4s}, §3.3) with an init segment named by
     * {@code EXT-X-MAP}; playlist version 7.
     */
    FMP4
}
