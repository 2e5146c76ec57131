package io.livehub.webrtc.rtp;

import io.livehub.media.MalformedMediaException;
import io.netty.buffer.ByteBuf;
import java.util.List;

/**
 * Packetizes one H.264 access unit into RTP payloads (RFC 6184, packetization mode 1):
 * a NAL unit that fits is sent whole (section 5.6), a larger one in FU-A fragments (section
 * 5.8), and before every IDR access unit the SPS and PPS are sent in one STAP-A (section
 * 5.7.1) so that a viewer that joins or lost them can decode from there. Access unit
 * delimiters are left out (RFC 6184 section 5.1 does not need them). The last payload of the
 * access unit carries the marker.
 *
 * <p>Thread-safety: stateless. Ownership: the access unit is borrowed; the run is appended
 * to {@code out}.
 */
public final class H264Packetizer {

    /** NAL unit type of a STAP-A (RFC 6184 section 5.4). */
    public static final int STAP_A = 24;
    /** NAL unit type of an FU-A (RFC 6184 section 5.4). */
    public static final int FU_A = 28;

    private static final int IDR = 5;
    private static final int SPS = 7;
    private static final int PPS = 8;
    private static final int AUD = 9;

    private H264Packetizer() {
    }

    /**
     * Appends the payloads of {@code accessUnit} (4-byte length-prefixed NAL units, the hub's
     * form) to {@code out} as an {@link RtpPayloadRun}.
     *
     * @param parameterSets the SPS and PPS NAL units to send before an IDR, in order
     * @param maxPayload    the largest RTP payload (the MTU budget left after the IP, UDP,
     *                      RTP and SRTP overhead)
     * @throws MalformedMediaException when a NAL length runs past the access unit
     */
    public static void packetize(ByteBuf accessUnit, List<byte[]> parameterSets, int maxPayload, ByteBuf out) {
        int start = accessUnit.readerIndex();
        int end = accessUnit.writerIndex();
        boolean idr = false;
        int count = 0;
        for (int i = start; i + 4 <= end; ) {
            int len = accessUnit.getInt(i);
            if (len <= 0 || len > end - i - 4) {
                throw new MalformedMediaException("H.264 NAL unit length " + len + " runs past the access unit");
            }
            int type = accessUnit.getByte(i + 4) & 0x1F;
            idr |= type == IDR;
            if (type != AUD) {
                count++;
            }
            i += 4 + len;
        }
        if (idr && !parameterSets.isEmpty()) {
            int stapLength = 1;
            int nri = 0;
            for (byte[] ps : parameterSets) {
                stapLength += 2 + ps.length;
                nri = Math.max(nri, ps[0] & 0x60);
            }
            if (stapLength <= maxPayload) {
                RtpPayloadRun.writeHeader(out, stapLength, count == 0);
                out.writeByte(nri | STAP_A);
                for (byte[] ps : parameterSets) {
                    out.writeShort(ps.length);
                    out.writeBytes(ps);
                }
            } else {
                int left = parameterSets.size();
                for (byte[] ps : parameterSets) {
                    left--;
                    nal(out, ps, 0, ps.length, maxPayload, count == 0 && left == 0);
                }
            }
        }
        for (int i = start; i + 4 <= end; ) {
            int len = accessUnit.getInt(i);
            int type = accessUnit.getByte(i + 4) & 0x1F;
            if (type != AUD) {
                count--;
                nal(out, accessUnit, i + 4, len, maxPayload, count == 0);
            }
            i += 4 + len;
        }
    }

    private static void nal(ByteBuf out, byte[] nal, int off, int len, int maxPayload, boolean last) {
        ByteBuf b = io.netty.buffer.Unpooled.wrappedBuffer(nal);
        nal(out, b, off, len, maxPayload, last);
    }

    private static void nal(ByteBuf out, ByteBuf src, int off, int len, int maxPayload, boolean last) {
        if (len <= maxPayload) {
            RtpPayloadRun.writeHeader(out, len, last);
            out.writeBytes(src, off, len);
            return;
        }
        int header = src.getByte(off) & 0xFF;
        int indicator = (header & 0xE0) | FU_A;
        int type = header & 0x1F;
        int chunk = maxPayload - 2;
        int p = off + 1;
        int remaining = len - 1;
        boolean first = true;
        while (remaining > 0) {
            int n = Math.min(chunk, remaining);
            boolean end = n == remaining;
            RtpPayloadRun.writeHeader(out, n + 2, last && end);
            out.writeByte(indicator);
            out.writeByte((first ? 0x80 : 0) | (end ? 0x40 : 0) | type);
            out.writeBytes(src, p, n);
            p += n;
            remaining -= n;
            first = false;
        }
    }
}
