package io.livehub.virtual;

import io.livehub.media.StreamKey;
import java.time.Duration;
import java.time.Instant;

/**
 * A snapshot of one virtual live stream, as {@link VirtualLiveModule#list()} reports it.
 *
 * @param key       the stream published
 * @param file      the file, relative to the media root
 * @param clientId  the id of the file publisher's client session
 * @param state     where the stream is in its life
 * @param loop      the pass through the file being played, from 1
 * @param loops     the passes asked for; 0 means forever
 * @param position  the media time of the last frame published, from the start of the file
 * @param published the media time published since the start, across loops
 * @param frames    the frames published
 * @param startedAt when the start was asked for
 */
public record VirtualLiveStatus(StreamKey key, String file, String clientId, VirtualLiveState state, long loop,
                                long loops, Duration position, Duration published, long frames, Instant startedAt) {
}
