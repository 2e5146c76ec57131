package io.livehub.rtmp.handshake;

import io.livehub.media.MalformedMediaException;

/**
 * Thrown when handshake bytes break RTMP spec §5.2, for example an unsupported version in C0.
 * The handshake handler has already logged it and closed the connection.
 */
public class RtmpHandshakeException extends MalformedMediaException {

    private static final long serialVersionUID = 1L;

    /** Creates an exception with a message that names the broken rule. */
    public RtmpHandshakeException(String message) {
        super(message);
    }
}
