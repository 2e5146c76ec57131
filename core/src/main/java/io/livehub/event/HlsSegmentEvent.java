package io.livehub.event;

import io.livehub.media.StreamKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * An HLS segment was completed (SRS {@code on_hls}).
 *
 * @param file     the segment's file path when written to disk, else its URL path
 * @param url      the segment's URL path relative to the HTTP root
 * @param m3u8     the playlist's file or URL path
 * @param m3u8Url  the playlist's URL path
 * @param seqNo    the segment's media sequence number
 * @param duration the segment's duration
 */
public record HlsSegmentEvent(ClientInfo client, StreamKey stream, Map<String, String> params,
                              Instant time, String file, String url, String m3u8, String m3u8Url,
                              long seqNo, Duration duration) implements MediaEvent {

    public HlsSegmentEvent {
        params = EventParams.copy(params);
    }
}
