package io.livehub.srt.packet;

/** A shutdown control packet (draft-sharabayko-srt section 3.2.7): the peer closes the connection. */
public record SrtShutdown(int timestamp, int destinationSocketId) implements SrtControlPacket {

    @Override
    public int controlType() {
        return SrtControlType.SHUTDOWN;
    }
}
