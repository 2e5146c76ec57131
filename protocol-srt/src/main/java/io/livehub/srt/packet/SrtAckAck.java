package io.livehub.srt.packet;

/**
 * An ACKACK control packet (draft-sharabayko-srt section 3.2.8): echoes the number of a full
 * ACK so that its sender can measure the round-trip time (section 4.10).
 */
public record SrtAckAck(int ackNumber, int timestamp, int destinationSocketId) implements SrtControlPacket {

    @Override
    public int controlType() {
        return SrtControlType.ACKACK;
    }
}
