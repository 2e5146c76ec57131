package io.livehub.rtmp.message;

import io.livehub.media.MalformedMediaException;

/**
 * Thrown when an RTMP message body breaks its format: a protocol control message (RTMP spec
 * §5.4), user control event (§6.2) or command (§7) that is too short or out of range. Network
 * code closes the connection that sent it.
 */
public class RtmpMessageException extends MalformedMediaException {

    private static final long serialVersionUID = 1L;

    /** Creates an exception with a message that names the broken rule. */
    public RtmpMessageException(String message) {
        super(message);
    }
}
