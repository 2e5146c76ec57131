package io.livehub.srt.packet;

/**
 * A message drop request (draft-sharabayko-srt section 3.2.9): the sender gave up on the
 * packets {@code firstSequence..lastSequence} of a message; the receiver stops asking for
 * them.
 */
public record SrtDropRequest(int messageNumber, int firstSequence, int lastSequence, int timestamp,
                             int destinationSocketId) implements SrtControlPacket {

    @Override
    public int controlType() {
        return SrtControlType.DROPREQ;
    }
}
