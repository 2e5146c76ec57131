package io.livehub.webrtc.stun;

import io.livehub.media.MalformedMediaException;
import io.netty.buffer.ByteBuf;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Decodes STUN messages (RFC 8489 section 5 and 14) from whole datagrams and checks their
 * FINGERPRINT (section 14.7) and, on request, MESSAGE-INTEGRITY (section 14.5).
 *
 * <p>Limits: a message longer than {@code maxMessageBytes} or with more than
 * {@code maxAttributes} attributes is refused before anything is copied, so a peer cannot
 * make the server keep more than that per datagram.
 *
 * <p>Thread-safety: immutable; {@link #decode} may be called from any thread. Ownership: the
 * datagram is borrowed; its reader index is moved past the message.
 */
public final class StunDecoder {

    /** RFC 8489 section 14.7: the CRC-32 is XORed with this ("STUN"). */
    static final int FINGERPRINT_XOR = 0x5354554e;

    private final int maxMessageBytes;
    private final int maxAttributes;

    /**
     * @param maxMessageBytes the longest message accepted, header included
     * @param maxAttributes   the most attributes accepted in one message
     */
    public StunDecoder(int maxMessageBytes, int maxAttributes) {
        if (maxMessageBytes < StunMessage.HEADER_LENGTH || maxAttributes < 1) {
            throw new IllegalArgumentException("maxMessageBytes " + maxMessageBytes + ", maxAttributes " + maxAttributes);
        }
        this.maxMessageBytes = maxMessageBytes;
        this.maxAttributes = maxAttributes;
    }

    /** Returns whether the datagram's first bytes look like STUN (RFC 7983 and the magic cookie). */
    public static boolean isStun(ByteBuf datagram) {
        int i = datagram.readerIndex();
        return datagram.readableBytes() >= StunMessage.HEADER_LENGTH
                && (datagram.getByte(i) & 0xC0) == 0
                && datagram.getInt(i + 4) == StunMessage.MAGIC_COOKIE;
    }

    /**
     * Decodes the message at the datagram's reader index.
     *
     * @throws MalformedMediaException when the bytes break RFC 8489 or a limit, or the
     *         FINGERPRINT does not match
     */
    public StunMessage decode(ByteBuf in) {
        int start = in.readerIndex();
        int available = in.readableBytes();
        if (available < StunMessage.HEADER_LENGTH) {
            throw new MalformedMediaException("STUN message of " + available + " bytes is shorter than its header");
        }
        int type = in.getUnsignedShort(start);
        if ((type & 0xC000) != 0) {
            throw new MalformedMediaException("STUN message type has its top bits set");
        }
        int length = in.getUnsignedShort(start + 2);
        if ((length & 3) != 0) {
            throw new MalformedMediaException("STUN message length " + length + " is not a multiple of 4");
        }
        int total = StunMessage.HEADER_LENGTH + length;
        if (total > maxMessageBytes) {
            throw new MalformedMediaException("STUN message of " + total + " bytes is over the limit of "
                    + maxMessageBytes);
        }
        if (total > available) {
            throw new MalformedMediaException("STUN message says " + total + " bytes, datagram has " + available);
        }
        if (in.getInt(start + 4) != StunMessage.MAGIC_COOKIE) {
            throw new MalformedMediaException("STUN message without the magic cookie");
        }
        byte[] raw = new byte[total];
        in.getBytes(start, raw);
        byte[] tx = new byte[12];
        System.arraycopy(raw, 8, tx, 0, 12);
        List<StunAttribute> attributes = new ArrayList<>();
        int integrityOffset = -1;
        int p = StunMessage.HEADER_LENGTH;
        while (p < total) {
            if (attributes.size() == maxAttributes) {
                throw new MalformedMediaException("STUN message has more than " + maxAttributes + " attributes");
            }
            if (p + 4 > total) {
                throw new MalformedMediaException("STUN attribute header cut at byte " + p);
            }
            int at = ((raw[p] & 0xFF) << 8) | (raw[p + 1] & 0xFF);
            int al = ((raw[p + 2] & 0xFF) << 8) | (raw[p + 3] & 0xFF);
            int padded = (al + 3) & ~3;
            if (p + 4 + padded > total) {
                throw new MalformedMediaException("STUN attribute 0x" + Integer.toHexString(at) + " of " + al
                        + " bytes runs past the message");
            }
            byte[] value = new byte[al];
            System.arraycopy(raw, p + 4, value, 0, al);
            if (at == StunAttribute.FINGERPRINT) {
                // Section 14.7: FINGERPRINT is last, and covers everything before it.
                if (al != 4 || p + 8 != total) {
                    throw new MalformedMediaException("STUN FINGERPRINT is not a last 4-byte attribute");
                }
                int expected = crc(raw, p) ^ FINGERPRINT_XOR;
                int got = ((value[0] & 0xFF) << 24) | ((value[1] & 0xFF) << 16) | ((value[2] & 0xFF) << 8)
                        | (value[3] & 0xFF);
                if (got != expected) {
                    throw new MalformedMediaException("STUN FINGERPRINT does not match");
                }
            } else if (integrityOffset >= 0) {
                // Section 14.5: only FINGERPRINT may follow MESSAGE-INTEGRITY; others are ignored.
                p += 4 + padded;
                continue;
            }
            if (at == StunAttribute.MESSAGE_INTEGRITY) {
                if (al != 20) {
                    throw new MalformedMediaException("STUN MESSAGE-INTEGRITY of " + al + " bytes");
                }
                integrityOffset = p;
            }
            attributes.add(new StunAttribute(at, value));
            p += 4 + padded;
        }
        in.readerIndex(start + total);
        return new StunMessage(type, tx, attributes, raw, integrityOffset);
    }

    /**
     * Checks a decoded message's MESSAGE-INTEGRITY with the short-term credential {@code key}
     * (for ICE, the receiver's ice-pwd as UTF-8), in constant time.
     *
     * @return false when the message has no MESSAGE-INTEGRITY or it does not match
     */
    public static boolean checkIntegrity(StunMessage message, byte[] key) {
        byte[] raw = message.raw();
        int offset = message.integrityOffset();
        if (raw == null || offset < 0) {
            return false;
        }
        byte[] covered = java.util.Arrays.copyOf(raw, offset);
        // The length field counts up to and including MESSAGE-INTEGRITY (section 14.5).
        int length = offset - StunMessage.HEADER_LENGTH + 24;
        covered[2] = (byte) (length >>> 8);
        covered[3] = (byte) length;
        byte[] expected = hmacSha1(key, covered, covered.length);
        byte[] got = java.util.Arrays.copyOfRange(raw, offset + 4, offset + 24);
        return MessageDigest.isEqual(expected, got);
    }

    /** Returns the CRC-32 of {@code data[0, length)}. */
    static int crc(byte[] data, int length) {
        CRC32 crc = new CRC32();
        crc.update(data, 0, length);
        return (int) crc.getValue();
    }

    static byte[] hmacSha1(byte[] key, byte[] data, int length) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            mac.update(data, 0, length);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is not available", e);
        }
    }
}
