package io.livehub.flv;

/**
 * Names the kinds of video tag body (Enhanced RTMP v2, "Enhanced Video", VideoPacketType).
 * Legacy AVC and HEVC bodies map onto the first three: AVCPacketType 0 (sequence header) is
 * {@link #SEQUENCE_START}, 1 (NALU) is {@link #CODED_FRAMES}, 2 (end of sequence) is
 * {@link #SEQUENCE_END} (Adobe FLV v10.1, Annex E.4.3.1).
 */
public enum FlvVideoPacketType {
    /** Carries the decoder configuration record (avcC, hvcC, av1C, vpcC). */
    SEQUENCE_START(0),
    /** Carries one access unit; for avc1 and hvc1 preceded by a 24-bit composition time. */
    CODED_FRAMES(1),
    /** Ends the sequence; no payload. */
    SEQUENCE_END(2),
    /** Like {@link #CODED_FRAMES} for avc1 and hvc1 with a composition time of 0 and no field for it. */
    CODED_FRAMES_X(3),
    /** Carries AMF-encoded metadata such as {@code colorInfo}. */
    METADATA(4),
    /** Carries an MPEG-2 TS descriptor (AV1 only) instead of a configuration record. */
    MPEG2TS_SEQUENCE_START(5),
    /** Carries one or more tracks, each with its own track id. */
    MULTITRACK(6),
    /** Prefixes another packet type with extension data, such as a nanosecond timestamp offset. */
    MOD_EX(7);

    private static final FlvVideoPacketType[] BY_VALUE = values();

    private final int value;

    FlvVideoPacketType(int value) {
        this.value = value;
    }

    /** Returns the 4-bit value on the wire. */
    public int value() {
        return value;
    }

    /** Returns the packet type with this value, or null when the value is reserved. */
    public static FlvVideoPacketType valueOf(int value) {
        return value >= 0 && value < BY_VALUE.length ? BY_VALUE[value] : null;
    }
}
