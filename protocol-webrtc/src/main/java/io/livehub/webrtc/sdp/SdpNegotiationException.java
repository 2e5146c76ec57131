package io.livehub.webrtc.sdp;

/**
 * Thrown when an offer is well formed but cannot be answered: no H.264 with
 * packetization-mode 1, a DTLS role this server does not take, missing ICE credentials.
 * WHEP answers it with 406 or 400 and the message.
 */
public final class SdpNegotiationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public SdpNegotiationException(String message) {
        super(message);
    }
}
