package io.livehub.event;

import io.livehub.media.StreamKey;
import java.time.Instant;
import java.util.Map;

/**
 * A client connection closed (SRS {@code on_close}), for whatever reason.
 *
 * @param stream    the last stream the client published or played, or null
 * @param sendBytes bytes the server sent to the client
 * @param recvBytes bytes the server received from the client
 */
public record CloseEvent(ClientInfo client, String vhost, String app, StreamKey stream,
                         Map<String, String> params, Instant time, long sendBytes, long recvBytes)
        implements MediaEvent {

    public CloseEvent {
        params = EventParams.copy(params);
    }
}
