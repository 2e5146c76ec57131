package io.livehub.webrtc.srtp;

import io.livehub.media.MalformedMediaException;
import io.netty.buffer.ByteBuf;

/** Reads the length of an RTP header (RFC 3550 section 5.1): what SRTP leaves in the clear. */
final class RtpHeaders {

    private RtpHeaders() {
    }

    /**
     * Returns the header's length: 12 bytes, the CSRC list and the header extension.
     *
     * @throws MalformedMediaException when the packet is shorter than its header says
     */
    static int headerLength(ByteBuf rtp) {
        int i = rtp.readerIndex();
        int n = rtp.readableBytes();
        if (n < 12) {
            throw new MalformedMediaException("RTP packet of " + n + " bytes");
        }
        int b0 = rtp.getUnsignedByte(i);
        if ((b0 >>> 6) != 2) {
            throw new MalformedMediaException("RTP version " + (b0 >>> 6));
        }
        int len = 12 + 4 * (b0 & 0x0F);
        if ((b0 & 0x10) != 0) {
            if (len + 4 > n) {
                throw new MalformedMediaException("RTP header extension cut");
            }
            len += 4 + 4 * rtp.getUnsignedShort(i + len + 2);
        }
        if (len > n) {
            throw new MalformedMediaException("RTP header of " + len + " bytes in a packet of " + n);
        }
        return len;
    }
}
