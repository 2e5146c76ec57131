package io.livehub.event;

import io.livehub.media.StreamKey;
import java.time.Instant;
import java.util.Map;

/**
 * A client asks to publish a stream (SRS {@code on_publish}). A listener may deny it; media flows
 * only after every listener allowed it.
 */
public record PublishEvent(ClientInfo client, StreamKey stream, Map<String, String> params, Instant time)
        implements MediaEvent {

    public PublishEvent {
        params = EventParams.copy(params);
    }
}
