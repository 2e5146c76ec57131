package io.livehub.rtmp.amf;

/**
 * Represents the AMF0 undefined (AMF0 spec §2.8) and AMF3 undefined (AMF3 spec §3.2) value,
 * which differs from {@code null} on the wire.
 */
public enum AmfUndefined {
    /** The only instance. */
    INSTANCE;

    @Override
    public String toString() {
        return "undefined";
    }
}
