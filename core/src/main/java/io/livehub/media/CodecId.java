package io.livehub.media;

/**
 * Names the codecs the hub knows, with their enhanced-RTMP FourCC where one exists
 * (Enhanced RTMP v2, "FourCC" tables).
 */
public enum CodecId {
    H264(TrackKind.VIDEO, "avc1"),
    H265(TrackKind.VIDEO, "hvc1"),
    AV1(TrackKind.VIDEO, "av01"),
    VP9(TrackKind.VIDEO, "vp09"),
    AAC(TrackKind.AUDIO, "mp4a"),
    OPUS(TrackKind.AUDIO, "Opus"),
    MP3(TrackKind.AUDIO, ".mp3"),
    /** AMF or other script data, carried opaquely. */
    SCRIPT_DATA(TrackKind.DATA, null);

    private final TrackKind kind;
    private final String fourCc;

    CodecId(TrackKind kind, String fourCc) {
        this.kind = kind;
        this.fourCc = fourCc;
    }

    public TrackKind kind() {
        return kind;
    }

    /** Returns the four-character code of Enhanced RTMP, or null when it has none. */
    public String fourCc() {
        return fourCc;
    }

    /** Returns the codec with this FourCC, or null when none matches. */
    public static CodecId fromFourCc(String fourCc) {
        for (CodecId c : values()) {
            if (c.fourCc != null && c.fourCc.equals(fourCc)) {
                return c;
            }
        }
        return null;
    }
}
