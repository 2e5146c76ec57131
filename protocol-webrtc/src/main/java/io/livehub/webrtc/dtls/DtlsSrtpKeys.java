package io.livehub.webrtc.dtls;

import io.livehub.webrtc.srtp.SrtpProfile;

/**
 * The SRTP master keys a DTLS-SRTP handshake exported (RFC 5764 section 4.2), split into the
 * server's (this side's, for what it sends) and the client's (for what it receives).
 */
public record DtlsSrtpKeys(SrtpProfile profile, byte[] localKey, byte[] localSalt, byte[] remoteKey,
                           byte[] remoteSalt) {
}
