package io.livehub.srt.packet;

/**
 * A NAK (loss report) control packet (draft-sharabayko-srt section 3.2.5): the sequence
 * numbers the receiver misses.
 */
public record SrtNak(SrtLossList losses, int timestamp, int destinationSocketId) implements SrtControlPacket {

    @Override
    public int controlType() {
        return SrtControlType.NAK;
    }
}
