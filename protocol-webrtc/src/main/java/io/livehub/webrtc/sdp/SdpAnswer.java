package io.livehub.webrtc.sdp;

/**
 * What answering an offer settled: the answer's text and what the transport and the RTP
 * sender need from the offer.
 *
 * @param sdp                     the answer, CRLF line ends
 * @param remoteUfrag             the offerer's ice-ufrag
 * @param remotePwd               the offerer's ice-pwd
 * @param remoteFingerprintAlgorithm the hash of the offerer's certificate fingerprint, as
 *                                the JDK names it ({@code SHA-256})
 * @param remoteFingerprint       the fingerprint's bytes
 * @param videoPayloadType        the H.264 payload type to send, or -1 when video is not sent
 * @param videoProfile            the answered H.264 profile-level-id, or null
 * @param audioPayloadType        the Opus payload type to send, or -1 when audio is not sent
 */
public record SdpAnswer(String sdp, String remoteUfrag, String remotePwd, String remoteFingerprintAlgorithm,
                        byte[] remoteFingerprint, int videoPayloadType, H264ProfileLevelId videoProfile,
                        int audioPayloadType) {
}
