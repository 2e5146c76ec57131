package io.livehub.flv;

/**
 * Names the three FLV tag types (Adobe FLV v10.1, Annex E.4.1, "FLV tags", field TagType).
 */
public enum FlvTagType {
    AUDIO(8),
    VIDEO(9),
    /** AMF-encoded script data such as {@code onMetaData}; this package carries it opaquely. */
    SCRIPT_DATA(18);

    private final int value;

    FlvTagType(int value) {
        this.value = value;
    }

    /** Returns the 5-bit TagType value on the wire. */
    public int value() {
        return value;
    }

    /** Returns the type with this TagType value, or null when the value names none. */
    public static FlvTagType valueOf(int value) {
        switch (value) {
            case 8:
                return AUDIO;
            case 9:
                return VIDEO;
            case 18:
                return SCRIPT_DATA;
            default:
                return null;
        }
    }
}
