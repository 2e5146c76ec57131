package io.livehub.srt;

/**
 * Counts what one SRT connection moved, as libsrt's {@code SRT_TRACEBSTATS} does.
 *
 * @param packetsSent           data packets sent for the first time
 * @param packetsRetransmitted  data packets sent again on a NAK
 * @param packetsReceived       data packets received, retransmissions included, duplicates not
 * @param packetsLost           sequence numbers found missing when a later one arrived
 * @param packetsDropped        packets given up, both directions: {@code packetsSendDropped + packetsReceiveDropped}
 * @param bytesSent             datagram bytes sent, headers included
 * @param bytesReceived         datagram bytes received, headers included
 * @param rttMicros             the smoothed round-trip time
 * @param packetsSendDropped    packets the sender gave up (libsrt's {@code pktSndDrop}): too late to
 *                              arrive before their play time (TLPKTDROP) or pushed out of a full send buffer
 * @param packetsReceiveDropped packets the receiver gave up (libsrt's {@code pktRcvDrop}): missing when
 *                              a later packet's play time came, named by the sender's drop request, or
 *                              received but not decryptable
 * @param dropRequestsSent      drop requests (UMSG_DROPREQ) sent to the peer
 * @param dropRequestsReceived  drop requests received from the peer
 */
public record SrtConnectionStats(long packetsSent, long packetsRetransmitted, long packetsReceived, long packetsLost,
                                 long packetsDropped, long bytesSent, long bytesReceived, int rttMicros,
                                 long packetsSendDropped, long packetsReceiveDropped, long dropRequestsSent,
                                 long dropRequestsReceived) {
}
