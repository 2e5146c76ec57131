package io.livehub.flv;

/**
 * Names the kinds of audio tag body (Enhanced RTMP v2, "Enhanced Audio", AudioPacketType).
 * Legacy AAC bodies map onto the first two: AACPacketType 0 (sequence header) is
 * {@link #SEQUENCE_START} and 1 (raw) is {@link #CODED_FRAMES} (Adobe FLV v10.1, Annex E.4.2.1);
 * other legacy formats are all {@link #CODED_FRAMES}.
 */
public enum FlvAudioPacketType {
    /** Carries the codec configuration (AudioSpecificConfig for mp4a, OpusHead for Opus, ...). */
    SEQUENCE_START(0),
    /** Carries one or more coded audio frames. */
    CODED_FRAMES(1),
    /** Ends the sequence; no payload. */
    SEQUENCE_END(2),
    /** Describes the channel order and count. */
    MULTICHANNEL_CONFIG(4),
    /** Carries one or more tracks, each with its own track id. */
    MULTITRACK(5),
    /** Prefixes another packet type with extension data, such as a nanosecond timestamp offset. */
    MOD_EX(7);

    private final int value;

    FlvAudioPacketType(int value) {
        this.value = value;
    }

    /** Returns the 4-bit value on the wire. */
    public int value() {
        return value;
    }

    /** Returns the packet type with this value, or null when the value is reserved. */
    public static FlvAudioPacketType valueOf(int value) {
        for (FlvAudioPacketType t : values()) {
            if (t.value == value) {
                return t;
            }
        }
        return null;
    }
}
