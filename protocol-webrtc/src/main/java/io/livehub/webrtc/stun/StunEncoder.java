package io.livehub.webrtc.stun;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Encodes STUN messages (RFC 8489 section 5), optionally ending them with MESSAGE-INTEGRITY
 * (section 14.5, HMAC-SHA1 with a short-term key) and FINGERPRINT (section 14.7). Attributes
 * are padded with zeros to 4 bytes.
 *
 * <p>Thread-safety: stateless. Ownership: the returned buffer belongs to the caller.
 */
public final class StunEncoder {

    private StunEncoder() {
    }

    /**
     * Encodes {@code message}, adding MESSAGE-INTEGRITY when {@code integrityKey} is not null
     * and FINGERPRINT when {@code fingerprint} is true. An ICE response uses the ice-pwd of
     * the side that answers as the key (RFC 8445 section 7.3.1).
     */
    public static ByteBuf encode(StunMessage message, byte[] integrityKey, boolean fingerprint,
                                 ByteBufAllocator alloc) {
        byte[] bytes = encode(message, integrityKey, fingerprint);
        return alloc.buffer(bytes.length).writeBytes(bytes);
    }

    /** Encodes {@code message} as {@link #encode(StunMessage, byte[], boolean, ByteBufAllocator)} does. */
    public static byte[] encode(StunMessage message, byte[] integrityKey, boolean fingerprint) {
        int length = 0;
        for (StunAttribute a : message.attributes()) {
            length += 4 + ((a.length() + 3) & ~3);
        }
        int total = StunMessage.HEADER_LENGTH + length + (integrityKey != null ? 24 : 0) + (fingerprint ? 8 : 0);
        if (total - StunMessage.HEADER_LENGTH > 0xFFFF) {
            throw new IllegalArgumentException("STUN message of " + total + " bytes");
        }
        byte[] out = new byte[total];
        putShort(out, 0, message.type());
        putInt(out, 4, StunMessage.MAGIC_COOKIE);
        System.arraycopy(message.transactionIdUnsafe(), 0, out, 8, 12);
        int p = StunMessage.HEADER_LENGTH;
        for (StunAttribute a : message.attributes()) {
            putShort(out, p, a.type());
            putShort(out, p + 2, a.length());
            System.arraycopy(a.valueUnsafe(), 0, out, p + 4, a.length());
            p += 4 + ((a.length() + 3) & ~3);
        }
        if (integrityKey != null) {
            // The length covers MESSAGE-INTEGRITY but not yet FINGERPRINT (section 14.5).
            putShort(out, 2, p + 24 - StunMessage.HEADER_LENGTH);
            byte[] mac = StunDecoder.hmacSha1(integrityKey, out, p);
            putShort(out, p, StunAttribute.MESSAGE_INTEGRITY);
            putShort(out, p + 2, 20);
            System.arraycopy(mac, 0, out, p + 4, 20);
            p += 24;
        }
        if (fingerprint) {
            putShort(out, 2, p + 8 - StunMessage.HEADER_LENGTH);
            int crc = StunDecoder.crc(out, p) ^ StunDecoder.FINGERPRINT_XOR;
            putShort(out, p, StunAttribute.FINGERPRINT);
            putShort(out, p + 2, 4);
            putInt(out, p + 4, crc);
            p += 8;
        }
        putShort(out, 2, p - StunMessage.HEADER_LENGTH);
        return out;
    }

    private static void putShort(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 8);
        b[i + 1] = (byte) v;
    }

    private static void putInt(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 24);
        b[i + 1] = (byte) (v >>> 16);
        b[i + 2] = (byte) (v >>> 8);
        b[i + 3] = (byte) v;
    }
}
