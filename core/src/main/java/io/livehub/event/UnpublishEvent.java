package io.livehub.event;

import io.livehub.media.StreamKey;
import java.time.Instant;
import java.util.Map;

/**
 * A publisher stopped publishing (SRS {@code on_unpublish}).
 */
public record UnpublishEvent(ClientInfo client, StreamKey stream, Map<String, String> params, Instant time)
        implements MediaEvent {

    public UnpublishEvent {
        params = EventParams.copy(params);
    }
}
