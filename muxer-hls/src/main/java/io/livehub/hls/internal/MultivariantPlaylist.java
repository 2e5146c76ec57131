package io.livehub.hls.internal;

/**
 * Writes the multivariant playlist of a stream with one rendition (RFC 8216 §4.3.4.2): one
 * {@code EXT-X-STREAM-INF} with {@code BANDWIDTH}, {@code AVERAGE-BANDWIDTH}, {@code CODECS}
 * and {@code RESOLUTION}, pointing at the media playlist.
 *
 * <p>Thread-safety: stateless.
 */
public final class MultivariantPlaylist {

    private MultivariantPlaylist() {
    }

    /**
     * Returns the playlist text.
     *
     * @param peakBandwidth    the highest segment bit rate, bit/s (§4.3.4.2 {@code BANDWIDTH})
     * @param averageBandwidth the average bit rate, bit/s, or 0 to leave it out
     * @param codecs           the RFC 6381 codecs of every track, comma separated, or null
     * @param width            the video width, or 0 when unknown or audio-only
     * @param height           the video height, or 0
     * @param mediaUri         the media playlist's URI, relative to this playlist
     */
    public static String render(long peakBandwidth, long averageBandwidth, String codecs, int width, int height,
                                String mediaUri) {
        StringBuilder b = new StringBuilder("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=").append(Math.max(1, peakBandwidth));
        if (averageBandwidth > 0) {
            b.append(",AVERAGE-BANDWIDTH=").append(averageBandwidth);
        }
        if (codecs != null && !codecs.isEmpty()) {
            b.append(",CODECS=\"").append(codecs).append('"');
        }
        if (width > 0 && height > 0) {
            b.append(",RESOLUTION=").append(width).append('x').append(height);
        }
        return b.append('\n').append(mediaUri).append('\n').toString();
    }
}
