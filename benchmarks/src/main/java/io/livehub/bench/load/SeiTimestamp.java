package io.livehub.bench.load;

import java.nio.charset.StandardCharsets;

/**
 * Encodes and finds the latency probe's stamp: an H.264 SEI NAL unit (ITU-T H.264 §7.3.2.3)
 * holding one user_data_unregistered message (payload type 5, §D.1.7) whose UUID is
 * {@link #UUID} and whose user data is the ASCII text {@code <sequence>:<epochMicros>}.
 *
 * <p>The probe publisher puts the stamp first in every video frame, in the frame's 4-byte
 * length-prefixed form; a player finds it in the first bytes of the FLV video body. A server
 * passes SEI NAL units on untouched, so the stamp survives any server, unlike AMF data
 * messages, which servers may drop. The sequence number counts video frames sent, so a gap
 * shows a dropped frame; the time is the wall clock when the frame was sent.
 *
 * <p>The UUID and the text contain no zero byte, so the NAL unit never needs emulation
 * prevention bytes (§7.4.1) and its bytes are the same in the stream as here.
 *
 * <p>Thread-safety: stateless, safe from any thread.
 */
public final class SeiTimestamp {

    /** The 16-byte UUID of the stamp, ASCII {@code LivehubLatencyT1}. */
    static final byte[] UUID = "LivehubLatencyT1".getBytes(StandardCharsets.US_ASCII);

    /** The NAL unit type of SEI (H.264 Table 7-1). */
    static final int NAL_TYPE_SEI = 6;

    /** The SEI payload type of user_data_unregistered (H.264 §D.1.7). */
    static final int PAYLOAD_TYPE_USER_DATA_UNREGISTERED = 5;

    /** Bytes of an FLV AVC video body before its first NAL unit: flags, packet type, composition time. */
    public static final int AVC_BODY_HEADER = 5;

    /** The most bytes a stamp takes as a length-prefixed NAL unit. */
    public static final int MAX_LENGTH = 4 + 3 + UUID.length + 20 + 1 + 20 + 1;

    private SeiTimestamp() {
    }

    /**
     * Returns the stamp as a length-prefixed NAL unit: a 4-byte big-endian length, then the SEI.
     *
     * @param sequence the frame's sequence number, at least 0
     * @param epochMicros the send time in microseconds since the epoch, at least 0
     */
    public static byte[] encode(long sequence, long epochMicros) {
        if (sequence < 0 || epochMicros < 0) {
            throw new IllegalArgumentException("sequence and time must not be negative");
        }
        byte[] text = (sequence + ":" + epochMicros).getBytes(StandardCharsets.US_ASCII);
        int payloadSize = UUID.length + text.length;
        int nalLength = 1 + 1 + 1 + payloadSize + 1;
        byte[] out = new byte[4 + nalLength];
        int i = 0;
        out[i++] = (byte) (nalLength >>> 24);
        out[i++] = (byte) (nalLength >>> 16);
        out[i++] = (byte) (nalLength >>> 8);
        out[i++] = (byte) nalLength;
        out[i++] = NAL_TYPE_SEI;
        out[i++] = PAYLOAD_TYPE_USER_DATA_UNREGISTERED;
        out[i++] = (byte) payloadSize;
        System.arraycopy(UUID, 0, out, i, UUID.length);
        i += UUID.length;
        System.arraycopy(text, 0, out, i, text.length);
        i += text.length;
        out[i] = (byte) 0x80; // rbsp_stop_one_bit and alignment
        return out;
    }

    /**
     * Finds a stamp among the length-prefixed NAL units at the start of {@code nals}.
     *
     * <p>Looks at whole NAL units only, within {@code length} bytes from {@code offset}, and
     * stops at the first NAL unit that does not fit. Allocates nothing.
     *
     * @param out receives the sequence number at index 0 and the epoch microseconds at index 1
     * @return whether a stamp was found
     */
    public static boolean find(byte[] nals, int offset, int length, long[] out) {
        int end = Math.min(nals.length, offset + length);
        int at = offset;
        while (end - at >= 5) {
            long nalLength = ((nals[at] & 0xFFL) << 24) | ((nals[at + 1] & 0xFF) << 16)
                    | ((nals[at + 2] & 0xFF) << 8) | (nals[at + 3] & 0xFF);
            int nal = at + 4;
            if (nalLength < 1 || nalLength > end - nal) {
                return false;
            }
            int nalEnd = nal + (int) nalLength;
            if ((nals[nal] & 0x1F) == NAL_TYPE_SEI && readSei(nals, nal + 1, nalEnd, out)) {
                return true;
            }
            at = nalEnd;
        }
        return false;
    }

    /** Reads the SEI messages of one NAL unit's payload; true when one is the stamp. */
    private static boolean readSei(byte[] b, int at, int end, long[] out) {
        while (end - at >= 2 && (b[at] & 0xFF) != 0x80) {
            int type = 0;
            while (at < end && (b[at] & 0xFF) == 0xFF) {
                type += 255;
                at++;
            }
            if (at >= end) {
                return false;
            }
            type += b[at++] & 0xFF;
            int size = 0;
            while (at < end && (b[at] & 0xFF) == 0xFF) {
                size += 255;
                at++;
            }
            if (at >= end) {
                return false;
            }
            size += b[at++] & 0xFF;
            if (size > end - at) {
                return false;
            }
            if (type == PAYLOAD_TYPE_USER_DATA_UNREGISTERED && size > UUID.length && hasUuid(b, at)) {
                return readText(b, at + UUID.length, at + size, out);
            }
            at += size;
        }
        return false;
    }

    private static boolean hasUuid(byte[] b, int at) {
        for (int i = 0; i < UUID.length; i++) {
            if (b[at + i] != UUID[i]) {
                return false;
            }
        }
        return true;
    }

    /** Reads {@code <digits>:<digits>}. */
    private static boolean readText(byte[] b, int at, int end, long[] out) {
        long first = 0;
        int digits = 0;
        while (at < end && b[at] != ':') {
            int d = b[at++] - '0';
            if (d < 0 || d > 9 || ++digits > 18) {
                return false;
            }
            first = first * 10 + d;
        }
        if (digits == 0 || at >= end) {
            return false;
        }
        at++;
        long second = 0;
        digits = 0;
        while (at < end) {
            int d = b[at++] - '0';
            if (d < 0 || d > 9 || ++digits > 18) {
                return false;
            }
            second = second * 10 + d;
        }
        if (digits == 0) {
            return false;
        }
        out[0] = first;
        out[1] = second;
        return true;
    }
}
