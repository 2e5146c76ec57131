package io.livehub.event;

import io.livehub.media.StreamKey;
import java.time.Instant;
import java.util.Map;

/**
 * A player stopped playing (SRS {@code on_stop}).
 */
public record StopEvent(ClientInfo client, StreamKey stream, Map<String, String> params, Instant time)
        implements MediaEvent {

    public StopEvent {
        params = EventParams.copy(params);
    }
}
