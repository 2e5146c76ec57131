package io.livehub.webrtc.rtp;

import io.netty.buffer.ByteBuf;

/** Writes and reads the fixed RTP header (RFC 3550 section 5.1). */
public final class RtpHeader {

    /** The fixed header's length: no CSRCs, no extension. */
    public static final int LENGTH = 12;

    private RtpHeader() {
    }

    /** Writes a version-2 header without padding, extension or CSRCs. */
    public static void write(ByteBuf out, boolean marker, int payloadType, int sequence, long timestamp, int ssrc) {
        out.writeByte(0x80);
        out.writeByte((marker ? 0x80 : 0) | (payloadType & 0x7F));
        out.writeShort(sequence);
        out.writeInt((int) timestamp);
        out.writeInt(ssrc);
    }

    /**
     * Returns whether a datagram that starts with 128-191 (RFC 7983) is RTCP rather than
     * RTP: with rtcp-mux, RTCP packet types 192-223 sit where RTP has the marker and payload
     * type (RFC 5761 section 4).
     */
    public static boolean isRtcp(ByteBuf datagram) {
        int pt = datagram.getUnsignedByte(datagram.readerIndex() + 1);
        return pt >= 192 && pt <= 223;
    }
}
