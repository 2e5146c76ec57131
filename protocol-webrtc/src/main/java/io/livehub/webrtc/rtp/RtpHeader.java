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
     * Returns the length of the header of the RTP packet at the reader index: 12 bytes, the
     * CSRCs and the header extension (RFC 3550 section 5.3.1), or -1 when the packet is shorter
     * than its header says or is not version 2.
     */
    public static int headerLength(ByteBuf rtp) {
        int i = rtp.readerIndex();
        int n = rtp.readableBytes();
        if (n < LENGTH || (rtp.getUnsignedByte(i) >>> 6) != 2) {
            return -1;
        }
        int b0 = rtp.getUnsignedByte(i);
        int len = LENGTH + 4 * (b0 & 0x0F);
        if ((b0 & 0x10) != 0) {
            if (len + 4 > n) {
                return -1;
            }
            len += 4 + 4 * rtp.getUnsignedShort(i + len + 2);
        }
        int padding = (b0 & 0x20) != 0 && n > len ? rtp.getUnsignedByte(i + n - 1) : 0;
        return len + padding > n ? -1 : len;
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
