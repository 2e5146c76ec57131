package io.livehub.rtmp.handshake;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Computes and finds the HMAC-SHA256 digests of the digest ("complex") handshake that Flash
 * Player, Flash Media Server, librtmp and FFmpeg use on top of RTMP spec §5.2.
 *
 * <p>A 1536-byte C1 or S1 holds a 32-byte digest at a position derived from four offset bytes:
 * in schema 0 the offset bytes are 8..11 and the digest lies in 12..739; in schema 1 they are
 * 772..775 and the digest lies in 776..1503. The digest is HMAC-SHA256 over the packet without the
 * digest, keyed by the first 30 bytes of the player key for C1 and the first 36 bytes of the
 * server key for S1. The last 32 bytes of C2 and S2 are HMAC-SHA256 over the first 1504, keyed by
 * HMAC-SHA256 of the other side's C1/S1 digest under the full player or server key.
 *
 * <p>Thread-safety: stateless, safe from any thread.
 */
final class HandshakeDigest {

    static final int PACKET_SIZE = 1536;
    static final int DIGEST_SIZE = 32;

    private static final byte[] KEY_TAIL = {
        (byte) 0xF0, (byte) 0xEE, (byte) 0xC2, (byte) 0x4A, (byte) 0x80, (byte) 0x68, (byte) 0xBE, (byte) 0xE8,
        (byte) 0x2E, (byte) 0x00, (byte) 0xD0, (byte) 0xD1, (byte) 0x02, (byte) 0x9E, (byte) 0x7E, (byte) 0x57,
        (byte) 0x6E, (byte) 0xEC, (byte) 0x5D, (byte) 0x2D, (byte) 0x29, (byte) 0x80, (byte) 0x6F, (byte) 0xAB,
        (byte) 0x93, (byte) 0xB8, (byte) 0xE6, (byte) 0x36, (byte) 0xCF, (byte) 0xEB, (byte) 0x31, (byte) 0xAE,
    };

    /** "Genuine Adobe Flash Player 001" and the 32 constant bytes: 62 bytes. */
    static final byte[] PLAYER_KEY = concat("Genuine Adobe Flash Player 001", KEY_TAIL);
    /** "Genuine Adobe Flash Media Server 001" and the 32 constant bytes: 68 bytes. */
    static final byte[] SERVER_KEY = concat("Genuine Adobe Flash Media Server 001", KEY_TAIL);
    static final int PLAYER_KEY_PUBLIC = 30;
    static final int SERVER_KEY_PUBLIC = 36;

    private HandshakeDigest() {
    }

    private static byte[] concat(String text, byte[] tail) {
        byte[] head = text.getBytes(StandardCharsets.US_ASCII);
        byte[] key = Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, key, head.length, tail.length);
        return key;
    }

    /** Returns where the digest lies in {@code packet} for {@code schema} 0 or 1. */
    static int digestOffset(byte[] packet, int schema) {
        int base = schema == 0 ? 8 : 772;
        int sum = (packet[base] & 0xFF) + (packet[base + 1] & 0xFF) + (packet[base + 2] & 0xFF) + (packet[base + 3] & 0xFF);
        return sum % 728 + base + 4;
    }

    /** Returns HMAC-SHA256 over {@code packet} without the 32 bytes at {@code skip} (or all if negative). */
    static byte[] hmac(byte[] key, int keyLength, byte[] packet, int length, int skip) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, 0, keyLength, "HmacSHA256"));
            if (skip < 0) {
                mac.update(packet, 0, length);
            } else {
                mac.update(packet, 0, skip);
                mac.update(packet, skip + DIGEST_SIZE, length - skip - DIGEST_SIZE);
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /**
     * Returns the offset of a valid digest in {@code packet} keyed by the first {@code keyLength}
     * bytes of {@code key}, trying schema 0 then schema 1, or -1.
     */
    static int findDigest(byte[] packet, byte[] key, int keyLength) {
        for (int schema = 0; schema < 2; schema++) {
            int at = digestOffset(packet, schema);
            byte[] expected = hmac(key, keyLength, packet, PACKET_SIZE, at);
            if (MessageDigest.isEqual(expected, Arrays.copyOfRange(packet, at, at + DIGEST_SIZE))) {
                return at;
            }
        }
        return -1;
    }

    /** Returns the schema (0 or 1) whose digest lies at {@code offset} in {@code packet}. */
    static int schemaOf(byte[] packet, int offset) {
        return digestOffset(packet, 0) == offset ? 0 : 1;
    }

    /**
     * Returns a C1 or S1: {@code time}, {@code version}, random bytes, and a digest keyed by the
     * first {@code keyLength} bytes of {@code key} placed by {@code schema}.
     */
    static byte[] newDigestPacket(int time, int version, byte[] key, int keyLength, int schema) {
        byte[] p = new byte[PACKET_SIZE];
        ThreadLocalRandom.current().nextBytes(p);
        writeInt(p, 0, time);
        writeInt(p, 4, version);
        int at = digestOffset(p, schema);
        System.arraycopy(hmac(key, keyLength, p, PACKET_SIZE, at), 0, p, at, DIGEST_SIZE);
        return p;
    }

    /** Returns a C2 or S2 answering the peer's digest: random bytes then their signature. */
    static byte[] newResponse(byte[] peerDigest, byte[] key) {
        byte[] p = new byte[PACKET_SIZE];
        ThreadLocalRandom.current().nextBytes(p);
        byte[] signature = responseSignature(peerDigest, key, p);
        System.arraycopy(signature, 0, p, PACKET_SIZE - DIGEST_SIZE, DIGEST_SIZE);
        return p;
    }

    /** Returns whether a C2 or S2 carries the signature that answers {@code ownDigest}. */
    static boolean verifyResponse(byte[] response, byte[] ownDigest, byte[] key) {
        byte[] expected = responseSignature(ownDigest, key, response);
        return MessageDigest.isEqual(expected, Arrays.copyOfRange(response, PACKET_SIZE - DIGEST_SIZE, PACKET_SIZE));
    }

    private static byte[] responseSignature(byte[] peerDigest, byte[] key, byte[] packet) {
        byte[] derived = hmac(key, key.length, peerDigest, peerDigest.length, -1);
        return hmac(derived, derived.length, packet, PACKET_SIZE - DIGEST_SIZE, -1);
    }

    static void writeInt(byte[] p, int at, int v) {
        p[at] = (byte) (v >>> 24);
        p[at + 1] = (byte) (v >>> 16);
        p[at + 2] = (byte) (v >>> 8);
        p[at + 3] = (byte) v;
    }

    static long readUnsignedInt(byte[] p, int at) {
        return ((p[at] & 0xFFL) << 24) | ((p[at + 1] & 0xFF) << 16) | ((p[at + 2] & 0xFF) << 8) | (p[at + 3] & 0xFF);
    }
}
