package io.livehub.webrtc.stun;

import java.util.Arrays;

/**
 * One STUN attribute (RFC 8489 section 14): its type and its value without padding.
 *
 * <p>Thread-safety: immutable; {@link #value()} returns a copy.
 */
public final class StunAttribute {

    /** RFC 8489 section 14.3. */
    public static final int USERNAME = 0x0006;
    /** RFC 8489 section 14.5. */
    public static final int MESSAGE_INTEGRITY = 0x0008;
    /** RFC 8489 section 14.8. */
    public static final int ERROR_CODE = 0x0009;
    /** RFC 8489 section 14.9. */
    public static final int UNKNOWN_ATTRIBUTES = 0x000A;
    /** RFC 8489 section 14.2. */
    public static final int XOR_MAPPED_ADDRESS = 0x0020;
    /** RFC 8445 section 16.1. */
    public static final int PRIORITY = 0x0024;
    /** RFC 8445 section 16.1. */
    public static final int USE_CANDIDATE = 0x0025;
    /** RFC 8489 section 14.14. */
    public static final int SOFTWARE = 0x8022;
    /** RFC 8489 section 14.7. */
    public static final int FINGERPRINT = 0x8028;
    /** RFC 8445 section 16.1. */
    public static final int ICE_CONTROLLED = 0x8029;
    /** RFC 8445 section 16.1. */
    public static final int ICE_CONTROLLING = 0x802A;

    private final int type;
    private final byte[] value;

    /** Makes an attribute; {@code value} is copied. */
    public StunAttribute(int type, byte[] value) {
        if (type < 0 || type > 0xFFFF) {
            throw new IllegalArgumentException("attribute type " + type);
        }
        if (value.length > 0xFFFF) {
            throw new IllegalArgumentException("attribute value of " + value.length + " bytes");
        }
        this.type = type;
        this.value = value.clone();
    }

    public int type() {
        return type;
    }

    /** Returns a copy of the value. */
    public byte[] value() {
        return value.clone();
    }

    /** Returns the value's length without padding. */
    public int length() {
        return value.length;
    }

    byte[] valueUnsafe() {
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StunAttribute a && a.type == type && Arrays.equals(a.value, value);
    }

    @Override
    public int hashCode() {
        return type * 31 + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return String.format("StunAttribute[0x%04x %dB]", type, value.length);
    }
}
