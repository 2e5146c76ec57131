package io.livehub.webrtc.rtp;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Writes a compound RTCP packet of a sender report (RFC 3550 section 6.4.1) and an SDES with
 * the CNAME (section 6.5), which section 6.1 requires in every compound packet.
 *
 * <p>Thread-safety: stateless.
 */
public final class RtcpSenderReport {

    /** Seconds from the NTP epoch (1900) to the Unix epoch (1970). */
    private static final long NTP_UNIX_OFFSET = 2_208_988_800L;

    private RtcpSenderReport() {
    }

    /**
     * Appends SR + SDES to {@code out}.
     *
     * @param unixMicros    the wall-clock time the report describes, in microseconds
     * @param rtpTimestamp  the RTP timestamp of the same instant on this SSRC's clock
     */
    public static void write(ByteBuf out, int ssrc, long unixMicros, long rtpTimestamp, long packets, long octets,
                             String cname) {
        out.writeByte(0x80); // V=2, no reception report blocks: this side receives nothing
        out.writeByte(200);
        out.writeShort(6);
        out.writeInt(ssrc);
        out.writeLong(ntp(unixMicros));
        out.writeInt((int) rtpTimestamp);
        out.writeInt((int) packets);
        out.writeInt((int) octets);

        byte[] name = cname.getBytes(StandardCharsets.UTF_8);
        int itemLength = 2 + Math.min(name.length, 255);
        int chunk = 4 + itemLength + 1; // SSRC, item, END
        int padded = (chunk + 3) & ~3;
        out.writeByte(0x81);
        out.writeByte(202);
        out.writeShort(padded / 4);
        out.writeInt(ssrc);
        out.writeByte(1); // CNAME
        out.writeByte(itemLength - 2);
        out.writeBytes(name, 0, itemLength - 2);
        out.writeZero(padded - 4 - itemLength); // END and padding
    }

    /** Converts Unix microseconds to a 64-bit NTP timestamp (RFC 5905 section 6). */
    public static long ntp(long unixMicros) {
        long seconds = Math.floorDiv(unixMicros, 1_000_000L) + NTP_UNIX_OFFSET;
        long micros = Math.floorMod(unixMicros, 1_000_000L);
        long fraction = (micros << 32) / 1_000_000L;
        return (seconds << 32) | fraction;
    }
}
