package io.livehub.srt;

/**
 * Counts what one SRT connection moved, as libsrt's {@code SRT_TRACEBSTATS} does.
 *
 * @param packetsSent          data packets sent for the first time
 * @param packetsRetransmitted data packets sent again on a NAK
 * @param packetsReceived      data packets received, retransmissions included, duplicates not
 * @param packetsLost          sequence numbers found missing when a later one arrived
 * @param packetsDropped       packets given up: too late for delivery (receiver) or for sending (sender)
 * @param bytesSent            datagram bytes sent, headers included
 * @param bytesReceived        datagram bytes received, headers included
 * @param rttMicros            the smoothed round-trip time
 */
public record SrtConnectionStats(long packetsSent, long packetsRetransmitted, long packetsReceived, long packetsLost,
                                 long packetsDropped, long bytesSent, long bytesReceived, int rttMicros) {
}
