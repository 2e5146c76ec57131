package io.livehub.srt.packet;

/** A keep-alive control packet (draft-sharabayko-srt section 3.2.3): keeps an idle connection open. */
public record SrtKeepalive(int timestamp, int destinationSocketId) implements SrtControlPacket {

    @Override
    public int controlType() {
        return SrtControlType.KEEPALIVE;
    }
}
