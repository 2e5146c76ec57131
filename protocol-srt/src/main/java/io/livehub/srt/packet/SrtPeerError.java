package io.livehub.srt.packet;

/** A peer error control packet (draft-sharabayko-srt section 3.2.10); libsrt sends it on a file write failure. */
public record SrtPeerError(int errorCode, int timestamp, int destinationSocketId) implements SrtControlPacket {

    @Override
    public int controlType() {
        return SrtControlType.PEERERROR;
    }
}
