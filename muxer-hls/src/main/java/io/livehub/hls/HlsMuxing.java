package io.livehub.hls;

/**
 * Says when a stream is muxed to HLS.
 */
public enum HlsMuxing {

    /** Every published stream is muxed from its first keyframe, whether anyone watches or not. */
    ALWAYS,

    /**
     * A stream is muxed from the first HLS request for it; the muxer is released after
     * {@link HlsConfig#idleTimeout()} without requests.
     */
    ON_DEMAND
}
