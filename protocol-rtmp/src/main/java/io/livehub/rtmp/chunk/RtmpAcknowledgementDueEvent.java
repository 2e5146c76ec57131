package io.livehub.rtmp.chunk;

/**
 * Fired by {@link RtmpChunkDecoder} as a user event when the bytes received since the last such
 * event reach the window the peer set with Window Acknowledgement Size (RTMP spec §5.4.4). The
 * session answers with an Acknowledgement carrying {@link #sequenceNumber()} (§5.4.3).
 *
 * @param sequenceNumber bytes received so far, modulo 2^32
 */
public record RtmpAcknowledgementDueEvent(long sequenceNumber) {
}
