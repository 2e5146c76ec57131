package io.livehub.ts;

import io.livehub.media.MalformedMediaException;
import io.netty.buffer.ByteBuf;

/**
 * Holds the fields of a PES packet header that the hub uses (ITU-T H.222.0 §2.4.3.6,
 * Table 2-21, semantics in §2.4.3.7): the stream id, {@code PES_packet_length} and the
 * 33-bit PTS and DTS in 90 kHz units. Other optional fields (ESCR, ES rate, trick mode, CRC,
 * extension) are skipped when reading and never written.
 *
 * @param streamId {@code stream_id}, 0xBD to 0xFF
 * @param packetLength {@code PES_packet_length}: bytes after this field, or 0 for unbounded
 *     (allowed for video only)
 * @param pts the 33-bit presentation time stamp, or -1 when absent
 * @param dts the 33-bit decoding time stamp, or -1 when absent (then it equals the PTS)
 * @param headerLength bytes from {@code packet_start_code_prefix} to the first payload byte
 */
public record PesHeader(int streamId, int packetLength, long pts, long dts, int headerLength) {

    /** {@code private_stream_1}, used for Opus. */
    public static final int STREAM_ID_PRIVATE_1 = 0xBD;
    /** The first MPEG audio stream id, used for AAC. */
    public static final int STREAM_ID_AUDIO = 0xC0;
    /** The first video stream id. */
    public static final int STREAM_ID_VIDEO = 0xE0;
    /** Time stamps are 33 bits. */
    public static final long TIMESTAMP_MASK = (1L << 33) - 1;
    /** Bytes up to and including {@code PES_header_data_length}. */
    public static final int FIXED_LENGTH = 9;

    /** Returns the size of the header {@link #write} writes for these time stamps: 14 bytes, or 19 with a DTS. */
    public static int encodedLength(long pts, long dts) {
        return FIXED_LENGTH + (hasDts(pts, dts) ? 10 : 5);
    }

    /** Returns whether a DTS is written: when it differs from the PTS modulo 2^33. */
    static boolean hasDts(long pts, long dts) {
        return (dts & TIMESTAMP_MASK) != (pts & TIMESTAMP_MASK);
    }

    /**
     * Writes a header with a PTS, and a DTS when {@code dts != pts}, taking both modulo
     * 2^33 so that 64-bit time stamps wrap as §2.4.3.7 expects. The
     * {@code data_alignment_indicator} is set: every PES the muxer writes starts with an
     * access unit (an access unit delimiter, an ADTS or Opus control header).
     *
     * <p>Ownership: {@code out} is borrowed; its writer index advances.
     *
     * @param payloadLength the bytes that will follow the header, or -1 for an unbounded
     *     video PES ({@code PES_packet_length} 0); a bounded PES that would not fit 16 bits is
     *     written unbounded
     */
    public static void write(ByteBuf out, int streamId, int payloadLength, long pts, long dts) {
        boolean withDts = hasDts(pts, dts);
        int headerDataLength = withDts ? 10 : 5;
        long packetLength = payloadLength < 0 ? 0 : 3L + headerDataLength + payloadLength;
        out.writeMedium(0x000001);
        out.writeByte(streamId);
        out.writeShort(packetLength > 0xFFFF ? 0 : (int) packetLength);
        // '10', scrambling 00, priority 0, data_alignment_indicator 1, copyright 0, original 0
        out.writeByte(0x84);
        // PTS_DTS_flags, then ESCR, ES_rate, DSM_trick_mode, additional_copy_info, CRC, extension all 0
        out.writeByte(withDts ? 0xC0 : 0x80);
        out.writeByte(headerDataLength);
        writeTimestamp(out, withDts ? 0x3 : 0x2, pts);
        if (withDts) {
            writeTimestamp(out, 0x1, dts);
        }
    }

    /**
     * Writes a 33-bit time stamp in the 5-byte layout of Table 2-21: a 4-bit prefix, then
     * bits 32..30, 29..15 and 14..0 each followed by a {@code marker_bit}.
     */
    static void writeTimestamp(ByteBuf out, int prefix, long ts) {
        long t = ts & TIMESTAMP_MASK;
        out.writeByte((int) (prefix << 4 | (t >>> 29) & 0x0E | 1));
        out.writeShort((int) ((t >>> 14) & 0xFFFE | 1));
        out.writeShort((int) ((t << 1) & 0xFFFE | 1));
    }

    /** Reads a 33-bit time stamp written by {@link #writeTimestamp}; marker bits are not checked. */
    static long readTimestamp(ByteBuf in, int index) {
        long b0 = in.getUnsignedByte(index);
        long mid = in.getUnsignedShort(index + 1);
        long low = in.getUnsignedShort(index + 3);
        return (b0 & 0x0E) << 29 | (mid >>> 1) << 15 | low >>> 1;
    }

    /**
     * Parses the PES header at absolute {@code index} of {@code in}, whose bytes end at
     * {@code end}.
     *
     * <p>Ownership: {@code in} is borrowed; its indexes do not move.
     *
     * @throws MalformedMediaException if the start code is missing, the header runs past
     *     {@code end}, or {@code PTS_DTS_flags} has the forbidden value 01 or a DTS comes
     *     without a PTS
     */
    public static PesHeader parse(ByteBuf in, int index, int end) {
        if (end - index < 6) {
            throw new MalformedMediaException("truncated PES header: " + (end - index) + " bytes");
        }
        if (in.getUnsignedMedium(index) != 0x000001) {
            throw new MalformedMediaException("PES packet_start_code_prefix missing");
        }
        int streamId = in.getUnsignedByte(index + 3);
        int packetLength = in.getUnsignedShort(index + 4);
        if (!hasOptionalHeader(streamId)) {
            return new PesHeader(streamId, packetLength, -1, -1, 6);
        }
        if (end - index < FIXED_LENGTH) {
            throw new MalformedMediaException("truncated PES header: " + (end - index) + " bytes");
        }
        int flags1 = in.getUnsignedByte(index + 6);
        if ((flags1 & 0xC0) != 0x80) {
            throw new MalformedMediaException("PES header without its '10' marker bits");
        }
        int ptsDtsFlags = in.getUnsignedByte(index + 7) >>> 6;
        int headerDataLength = in.getUnsignedByte(index + 8);
        int headerLength = FIXED_LENGTH + headerDataLength;
        if (headerLength > end - index) {
            throw new MalformedMediaException("PES_header_data_length " + headerDataLength + " runs past the data");
        }
        if (packetLength != 0 && packetLength < 3 + headerDataLength) {
            throw new MalformedMediaException("PES_packet_length " + packetLength + " shorter than its header");
        }
        long pts = -1;
        long dts = -1;
        if (ptsDtsFlags == 1) {
            throw new MalformedMediaException("PES PTS_DTS_flags 01 is forbidden");
        }
        if (ptsDtsFlags >= 2) {
            if (headerDataLength < (ptsDtsFlags == 3 ? 10 : 5)) {
                throw new MalformedMediaException("PES header too short for its time stamps: " + headerDataLength);
            }
            pts = readTimestamp(in, index + FIXED_LENGTH);
            if (ptsDtsFlags == 3) {
                dts = readTimestamp(in, index + FIXED_LENGTH + 5);
            }
        }
        return new PesHeader(streamId, packetLength, pts, dts, headerLength);
    }

    /** Returns whether the stream id has the optional header of Table 2-21 (the ids of §2.4.3.7 excepted). */
    private static boolean hasOptionalHeader(int streamId) {
        switch (streamId) {
            case 0xBC: // program_stream_map
            case 0xBE: // padding_stream
            case 0xBF: // private_stream_2
            case 0xF0: // ECM
            case 0xF1: // EMM
            case 0xF2: // DSMCC_stream
            case 0xF8: // ITU-T H.222.1 type E
            case 0xFF: // program_stream_directory
                return false;
            default:
                return true;
        }
    }
}
