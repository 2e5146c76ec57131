package io.livehub.rtmp.handshake;

/**
 * Fired as a user event by {@link RtmpServerHandshakeHandler} and {@link RtmpClientHandshakeHandler}
 * when the handshake (RTMP spec §5.2) is done, just before the handler removes itself and passes
 * any bytes that followed the handshake on to the next handler.
 *
 * @param digest true when the digest handshake was used and verified: on the server, C1 carried a
 *     valid digest; on the client, S1 carried a valid digest and S2 the matching signature
 * @param peerVersion the four version bytes of the peer's C1 or S1 as an unsigned big-endian
 *     number; 0 for a simple-handshake peer
 */
public record RtmpHandshakeCompletedEvent(boolean digest, long peerVersion) {
}
