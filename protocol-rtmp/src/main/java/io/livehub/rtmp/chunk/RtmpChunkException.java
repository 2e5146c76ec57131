package io.livehub.rtmp.chunk;

import io.livehub.media.MalformedMediaException;

/**
 * Thrown by {@link RtmpChunkDecoder} when chunk stream bytes break RTMP spec §5.3 or an
 * {@link RtmpChunkConfig} limit. The decoder has already logged it and closed the connection.
 */
public class RtmpChunkException extends MalformedMediaException {

    private static final long serialVersionUID = 1L;

    /** Creates an exception with a message that names the broken rule. */
    public RtmpChunkException(String message) {
        super(message);
    }
}
