package io.livehub.srt.handshake;

import java.util.Arrays;

/**
 * One extension block of an HSv5 handshake (draft-sharabayko-srt section 3.2.1.1): a 16-bit
 * type, a 16-bit length in 4-byte words, and the content.
 *
 * <p>Thread-safety: immutable (the content array is copied in and out).
 */
public final class SrtHandshakeExtension {

    public static final int HSREQ = 1;
    public static final int HSRSP = 2;
    public static final int KMREQ = 3;
    public static final int KMRSP = 4;
    public static final int SID = 5;
    public static final int CONGESTION = 6;
    public static final int FILTER = 7;
    public static final int GROUP = 8;

    private final int type;
    private final byte[] content;

    /**
     * Makes an extension block.
     *
     * @throws IllegalArgumentException when the content is not a whole number of words or is too long
     */
    public SrtHandshakeExtension(int type, byte[] content) {
        if ((type & ~0xFFFF) != 0) {
            throw new IllegalArgumentException("extension type is 16 bits: " + type);
        }
        if (content.length % 4 != 0 || content.length / 4 > 0xFFFF) {
            throw new IllegalArgumentException("extension content must be whole words: " + content.length);
        }
        this.type = type;
        this.content = content.clone();
    }

    public int type() {
        return type;
    }

    /** Returns a copy of the content. */
    public byte[] content() {
        return content.clone();
    }

    /** Returns the content length in bytes. */
    public int length() {
        return content.length;
    }

    byte[] contentUnsafe() {
        return content;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SrtHandshakeExtension && ((SrtHandshakeExtension) o).type == type
                && Arrays.equals(((SrtHandshakeExtension) o).content, content);
    }

    @Override
    public int hashCode() {
        return type * 31 + Arrays.hashCode(content);
    }

    @Override
    public String toString() {
        return "SrtHandshakeExtension[type=" + type + ", length=" + content.length + "]";
    }
}
