package io.livehub.rtmp.client;

import java.io.IOException;

/**
 * Tells why an RTMP client connection failed or ended: the server could not be reached, a
 * handshake (RTMP or TLS) failed, the server broke the protocol, did not answer a command in
 * time, or closed the connection. {@link RtmpStatusException} is the case where the server said
 * no with a status code.
 */
public class RtmpClientException extends IOException {

    private static final long serialVersionUID = 1L;

    /** Creates an exception with a message that says what went wrong and with which server. */
    public RtmpClientException(String message) {
        super(message);
    }

    /** Creates an exception with a message and the failure that caused it. */
    public RtmpClientException(String message, Throwable cause) {
        super(message, cause);
    }
}
