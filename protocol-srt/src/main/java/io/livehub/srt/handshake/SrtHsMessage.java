package io.livehub.srt.handshake;

import io.livehub.media.MalformedMediaException;

/**
 * The content of an HSREQ or HSRSP handshake extension (draft-sharabayko-srt section
 * 3.2.1.1.1): the SRT library version, the SRT flags ({@link SrtHsFlags}) and the two TSBPD
 * delays in milliseconds, receiver's in the high 16 bits and sender's in the low 16 bits of
 * the third word.
 *
 * <p>In HSv5 the caller's HSREQ proposes its own receiver delay and the delay it wants the
 * peer to receive with; the listener takes the larger of each pair and answers with the
 * result in the HSRSP, seen from its own side.
 *
 * @param version            the SRT version as {@code major << 16 | minor << 8 | patch}
 * @param flags              SRT flags
 * @param receiverDelayMs    TSBPD delay of the sender of this block as receiver
 * @param senderDelayMs      TSBPD delay the sender of this block asks its peer to receive with
 */
public record SrtHsMessage(int version, int flags, int receiverDelayMs, int senderDelayMs) {

    /** The version this implementation announces: 1.5.0. */
    public static final int VERSION_1_5_0 = 0x0001_0500;
    /** The lowest version that speaks HSv5 with the extensions used here (1.3.0). */
    public static final int MIN_VERSION = 0x0001_0300;

    public SrtHsMessage {
        if ((receiverDelayMs & ~0xFFFF) != 0 || (senderDelayMs & ~0xFFFF) != 0) {
            throw new IllegalArgumentException("TSBPD delays are 16-bit milliseconds");
        }
    }

    /** Returns the extension block of type {@code HSREQ} or {@code HSRSP}. */
    public SrtHandshakeExtension toExtension(int type) {
        byte[] b = new byte[12];
        putInt(b, 0, version);
        putInt(b, 4, flags);
        putInt(b, 8, receiverDelayMs << 16 | senderDelayMs);
        return new SrtHandshakeExtension(type, b);
    }

    /**
     * Reads the content of an HSREQ or HSRSP block.
     *
     * @throws MalformedMediaException when the block is shorter than three words
     */
    public static SrtHsMessage from(SrtHandshakeExtension ext) {
        byte[] b = ext.contentUnsafe();
        if (b.length < 12) {
            throw new MalformedMediaException("SRT HSREQ/HSRSP block has " + b.length + " bytes, needs 12");
        }
        int delays = getInt(b, 8);
        return new SrtHsMessage(getInt(b, 0), getInt(b, 4), delays >>> 16, delays & 0xFFFF);
    }

    public boolean has(int flag) {
        return (flags & flag) != 0;
    }

    static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    static int getInt(byte[] b, int at) {
        return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
    }
}
