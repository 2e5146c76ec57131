package io.livehub.event;

import io.livehub.media.StreamKey;
import java.time.Instant;
import java.util.Map;

/**
 * A client connected (SRS {@code on_connect}). For RTMP it fires on the {@code connect}
 * command, before any stream is named: {@link #app()} is known, {@link #stream()} is null.
 * A listener may deny it.
 */
public record ConnectEvent(ClientInfo client, String vhost, String app, Map<String, String> params,
                           Instant time) implements MediaEvent {

    public ConnectEvent {
        params = EventParams.copy(params);
    }

    @Override
    public StreamKey stream() {
        return null;
    }
}
