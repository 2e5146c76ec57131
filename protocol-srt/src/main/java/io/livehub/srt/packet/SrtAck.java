package io.livehub.srt.packet;

/**
 * An ACK control packet (draft-sharabayko-srt section 3.2.4): acknowledges every packet
 * before {@link #lastAcknowledgedSequence()} and reports the receiver's RTT estimate,
 * buffer space and rates.
 *
 * <p>A full ACK has all seven fields and a non-zero ACK number, which the sender echoes in
 * an ACKACK for the RTT measurement; a light ACK carries only the sequence number; a small
 * ACK (sent by libsrt) carries the first four fields.
 *
 * @param ackNumber               the ACK number (type-specific information); 0 in a light ACK
 * @param lastAcknowledgedSequence the sequence number following the last packet received in order
 * @param rtt                     the receiver's RTT estimate in microseconds
 * @param rttVariance             its variance in microseconds
 * @param availableBuffer         free receiver buffer space, in packets
 * @param packetReceiveRate       packets per second
 * @param linkCapacity            estimated link capacity, packets per second
 * @param receiveRate             bytes per second
 * @param words                   how many CIF words were (or are to be) on the wire: 1, 4 or 7
 */
public record SrtAck(int ackNumber, int lastAcknowledgedSequence, int rtt, int rttVariance, int availableBuffer,
                     int packetReceiveRate, int linkCapacity, int receiveRate, int words, int timestamp,
                     int destinationSocketId) implements SrtControlPacket {

    /** CIF words of a full ACK. */
    public static final int FULL_WORDS = 7;
    /** CIF words of a light ACK. */
    public static final int LIGHT_WORDS = 1;

    public SrtAck {
        if (words != 1 && words != 4 && words != FULL_WORDS) {
            throw new IllegalArgumentException("an ACK has 1, 4 or 7 words: " + words);
        }
    }

    /** Makes a full ACK. */
    public static SrtAck full(int ackNumber, int lastAcknowledgedSequence, int rtt, int rttVariance,
                              int availableBuffer, int packetReceiveRate, int linkCapacity, int receiveRate,
                              int timestamp, int destinationSocketId) {
        return new SrtAck(ackNumber, lastAcknowledgedSequence, rtt, rttVariance, availableBuffer, packetReceiveRate,
                linkCapacity, receiveRate, FULL_WORDS, timestamp, destinationSocketId);
    }

    /** Makes a light ACK. */
    public static SrtAck light(int lastAcknowledgedSequence, int timestamp, int destinationSocketId) {
        return new SrtAck(0, lastAcknowledgedSequence, 0, 0, 0, 0, 0, 0, LIGHT_WORDS, timestamp, destinationSocketId);
    }

    /** Returns whether this is a light ACK, which is not answered with an ACKACK. */
    public boolean isLight() {
        return words == LIGHT_WORDS;
    }

    @Override
    public int controlType() {
        return SrtControlType.ACK;
    }
}
