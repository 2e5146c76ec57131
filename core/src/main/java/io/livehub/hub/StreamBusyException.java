package io.livehub.hub;

import io.livehub.media.StreamKey;

/** Thrown when a client asks to publish a stream that another client is publishing. */
public final class StreamBusyException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient StreamKey stream;

    public StreamBusyException(StreamKey stream) {
        super("stream " + stream + " is already being published");
        this.stream = stream;
    }

    public StreamKey stream() {
        return stream;
    }
}
