package io.livehub.hooks.api;

import io.livehub.media.StreamKey;
import java.time.Duration;
import java.time.Instant;

/**
 * Describes one stream of the hub at the moment it was looked at.
 *
 * <p>Thread-safety: immutable.
 *
 * @param id          a stable id for the API ({@code vid-} and a hash of the key)
 * @param key         the stream's key
 * @param publishing  whether a publisher is attached (false while only players wait)
 * @param publisherId the publisher's client id, or null
 * @param tcUrl       the URL the publisher connected to, or empty
 * @param publishedAt when the current publication started, or null
 * @param uptime      how long the current publication has been live, zero when none
 * @param subscribers the number of attached and waiting players
 * @param frames      frames published since the publication started
 * @param bytesIn     payload bytes published since the publication started
 * @param bytesOut    bytes sent to the stream's current players, summed
 * @param kbpsIn      the incoming bitrate over the last ~30 s (or since publishing, when shorter)
 * @param kbpsOut     the outgoing bitrate, likewise, summed over players
 * @param video       the video track, or null
 * @param audio       the audio track, or null
 */
public record StreamStats(String id, StreamKey key, boolean publishing, String publisherId, String tcUrl,
                          Instant publishedAt, Duration uptime, int subscribers, long frames, long bytesIn,
                          long bytesOut, long kbpsIn, long kbpsOut, Video video, Audio audio) {

    /**
     * Describes a video track.
     *
     * @param codec   the codec name as SRS writes it ({@code H264}, {@code H265}, ...)
     * @param profile the profile ({@code High}), or null when unknown
     * @param level   the level ({@code 3.1}), or null when unknown
     * @param width   the width in pixels, 0 when unknown
     * @param height  the height in pixels, 0 when unknown
     */
    public record Video(String codec, String profile, String level, int width, int height) {
    }

    /**
     * Describes an audio track.
     *
     * @param codec      the codec name as SRS writes it ({@code AAC}, {@code Opus}, {@code MP3})
     * @param profile    the profile ({@code LC}), or null when unknown
     * @param sampleRate the sample rate in Hz, 0 when unknown
     * @param channels   the channel count, 0 when unknown
     */
    public record Audio(String codec, String profile, int sampleRate, int channels) {
    }
}
