package io.livehub.rtmp.amf;

import io.livehub.media.MalformedMediaException;

/**
 * Thrown when AMF0 or AMF3 bytes break the format (AMF0 spec §2, AMF3 spec §3) or an
 * {@link AmfLimits} limit. Network code closes the connection that sent the bytes.
 */
public class AmfException extends MalformedMediaException {

    private static final long serialVersionUID = 1L;

    /** Creates an exception with a message that names the broken rule. */
    public AmfException(String message) {
        super(message);
    }
}
