package io.livehub.event;

import io.livehub.media.StreamKey;
import java.time.Instant;
import java.util.Map;

/**
 * A client asks to play a stream (SRS {@code on_play}). A listener may deny it.
 */
public record PlayEvent(ClientInfo client, StreamKey stream, Map<String, String> params, Instant time)
        implements MediaEvent {

    public PlayEvent {
        params = EventParams.copy(params);
    }
}
