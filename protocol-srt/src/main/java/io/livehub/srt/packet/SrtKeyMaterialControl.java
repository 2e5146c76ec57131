package io.livehub.srt.packet;

import java.util.Arrays;

/**
 * An in-stream key material message: a user-defined control packet (type 0x7FFF) with the
 * extended type KMREQ (3) or KMRSP (4) and a KM message, or a one-word KM state, as its CIF
 * (draft-sharabayko-srt sections 3.2.2 and 6.1.6). A sender announces a refreshed key with a
 * KMREQ; the receiver confirms with a KMRSP echoing the message.
 *
 * <p>Thread-safety: immutable (the content is copied in and out).
 */
public final class SrtKeyMaterialControl implements SrtControlPacket {

    /** Extended type of a key material request. */
    public static final int KMREQ = 3;
    /** Extended type of a key material response. */
    public static final int KMRSP = 4;
    /** The longest content read: a KM message with two 32-byte keys is 104 bytes. */
    public static final int MAX_CONTENT = 256;

    private final int subtype;
    private final byte[] content;
    private final int timestamp;
    private final int destinationSocketId;

    /**
     * @throws IllegalArgumentException when the subtype is not KMREQ/KMRSP or the content is
     *         not whole words or longer than {@link #MAX_CONTENT}
     */
    public SrtKeyMaterialControl(int subtype, byte[] content, int timestamp, int destinationSocketId) {
        if (subtype != KMREQ && subtype != KMRSP) {
            throw new IllegalArgumentException("subtype must be KMREQ or KMRSP: " + subtype);
        }
        if (content.length % 4 != 0 || content.length > MAX_CONTENT) {
            throw new IllegalArgumentException("KM content of " + content.length + " bytes");
        }
        this.subtype = subtype;
        this.content = content.clone();
        this.timestamp = timestamp;
        this.destinationSocketId = destinationSocketId;
    }

    @Override
    public int controlType() {
        return SrtControlType.USER_DEFINED;
    }

    /** Returns {@link #KMREQ} or {@link #KMRSP}. */
    public int subtype() {
        return subtype;
    }

    /** Returns a copy of the KM message (or the one-word state). */
    public byte[] content() {
        return content.clone();
    }

    int length() {
        return content.length;
    }

    byte[] contentUnsafe() {
        return content;
    }

    @Override
    public int timestamp() {
        return timestamp;
    }

    @Override
    public int destinationSocketId() {
        return destinationSocketId;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SrtKeyMaterialControl k && k.subtype == subtype && Arrays.equals(k.content, content)
                && k.timestamp == timestamp && k.destinationSocketId == destinationSocketId;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(content) * 31 + subtype;
    }

    @Override
    public String toString() {
        return "SrtKeyMaterialControl[" + (subtype == KMREQ ? "KMREQ" : "KMRSP") + ", " + content.length
                + " bytes, dst=" + Integer.toHexString(destinationSocketId) + "]";
    }
}
