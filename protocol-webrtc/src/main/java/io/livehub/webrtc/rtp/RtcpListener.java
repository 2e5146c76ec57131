package io.livehub.webrtc.rtp;

/**
 * Receives what {@link RtcpParser} finds in a compound RTCP packet from a viewer. Default
 * bodies ignore each kind.
 */
public interface RtcpListener {

    /** A sender report (RFC 3550 section 6.4.1) from {@code ssrc}, with its 64-bit NTP time. */
    default void onSenderReport(int ssrc, long ntp, long rtpTimestamp) {
    }

    /** A receiver report block about one of our SSRCs (RFC 3550 section 6.4.2). */
    default void onReceiverReport(int mediaSsrc, int fractionLost, int cumulativeLost, long jitter) {
    }

    /** A generic NACK (RFC 4585 section 6.2.1): {@code lost} holds the missing sequence numbers. */
    default void onNack(int mediaSsrc, int[] lost, int count) {
    }

    /** A picture loss indication (RFC 4585 section 6.3.1). */
    default void onPictureLoss(int mediaSsrc) {
    }

    /** A full intra request (RFC 5104 section 4.3.1). */
    default void onFullIntraRequest(int mediaSsrc) {
    }

    /** A BYE (RFC 3550 section 6.6): the viewer leaves; {@code ssrc} is the first it names. */
    default void onBye(int ssrc) {
    }
}
