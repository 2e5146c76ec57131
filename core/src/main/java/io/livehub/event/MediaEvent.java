package io.livehub.event;

import io.livehub.media.StreamKey;
import java.time.Instant;
import java.util.Map;

/**
 * What every event carries: the client, the stream, the query parameters the client sent
 * (from the RTMP tcUrl and stream name, the SRT stream id, or the HTTP query) and the time.
 */
public sealed interface MediaEvent permits ConnectEvent, CloseEvent, PublishEvent, UnpublishEvent,
        PlayEvent, StopEvent, RecordBeginEvent, RecordEndEvent, HlsSegmentEvent {

    ClientInfo client();

    /** Returns the stream; for {@link ConnectEvent} and {@link CloseEvent} it may be null. */
    StreamKey stream();

    /** Returns the query parameters, in the order the client sent them; never null. */
    Map<String, String> params();

    Instant time();

    default String protocol() {
        return client().protocol();
    }

    default String clientId() {
        return client().clientId();
    }
}
