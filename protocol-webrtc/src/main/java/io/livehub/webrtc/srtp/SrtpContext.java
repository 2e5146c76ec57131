package io.livehub.webrtc.srtp;

import io.livehub.media.MalformedMediaException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Protects or unprotects the SRTP and SRTCP packets of one direction of one DTLS-SRTP
 * association (RFC 3711 sections 3 and 4) with {@link SrtpProfile#AES_CM_128_HMAC_SHA1_80}
 * or {@link SrtpProfile#AEAD_AES_128_GCM} (RFC 7714):
 * one master key and salt, session keys derived once, and per-SSRC state (rollover counter,
 * highest sequence number, replay window, SRTCP index).
 *
 * <p>Limits: at most {@code maxSsrcs} SSRCs get state; packets of further SSRCs are refused,
 * so a peer cannot grow the map.
 *
 * <p>Thread-safety: not thread-safe; one context is used by one thread at a time (the
 * sender's executor for the sending context). Ownership: input buffers are borrowed and left
 * unchanged; returned buffers belong to the caller.
 */
public final class SrtpContext {

    /** E flag of the SRTCP index word (RFC 3711 section 3.4). */
    private static final int SRTCP_E_FLAG = 0x80000000;

    private final SrtpProfile profile;
    private final int maxSsrcs;
    private final SecretKeySpec rtpKey;
    private final byte[] rtpSalt;
    private final Mac rtpMac;
    private final SecretKeySpec rtcpKey;
    private final byte[] rtcpSalt;
    private final Mac rtcpMac;
    private final Cipher aes;
    private final Map<Integer, SsrcState> ssrcs = new HashMap<>();
    private final byte[] iv = new byte[16];
    private long authFailures;
    private long replays;

    /**
     * Makes a context from a master key and salt (for DTLS-SRTP, the halves of the exported
     * keying material for this direction, RFC 5764 section 4.2); the session keys are derived
     * with RFC 3711 section 4.3 for both profiles (RFC 7714 section 11).
     */
    public SrtpContext(SrtpProfile profile, byte[] masterKey, byte[] masterSalt, int maxSsrcs) {
        this(profile, check(profile, masterKey, masterSalt),
                SrtpKeyDerivation.derive(masterKey, masterSalt, SrtpKeyDerivation.RTP_AUTHENTICATION,
                        profile.authKeyLength()),
                SrtpKeyDerivation.derive(masterKey, masterSalt, SrtpKeyDerivation.RTP_SALT, profile.saltLength()),
                SrtpKeyDerivation.derive(masterKey, masterSalt, SrtpKeyDerivation.RTCP_ENCRYPTION,
                        profile.keyLength()),
                SrtpKeyDerivation.derive(masterKey, masterSalt, SrtpKeyDerivation.RTCP_AUTHENTICATION,
                        profile.authKeyLength()),
                SrtpKeyDerivation.derive(masterKey, masterSalt, SrtpKeyDerivation.RTCP_SALT, profile.saltLength()),
                maxSsrcs);
    }

    /** Makes a context from session keys, as test vectors give them. */
    SrtpContext(SrtpProfile profile, byte[] rtpKey, byte[] rtpAuthKey, byte[] rtpSalt, byte[] rtcpKey,
                byte[] rtcpAuthKey, byte[] rtcpSalt, int maxSsrcs) {
        this.profile = profile;
        this.maxSsrcs = maxSsrcs;
        this.rtpKey = new SecretKeySpec(rtpKey, "AES");
        this.rtpSalt = rtpSalt.clone();
        this.rtcpKey = new SecretKeySpec(rtcpKey, "AES");
        this.rtcpSalt = rtcpSalt.clone();
        try {
            if (profile.isAead()) {
                this.rtpMac = null;
                this.rtcpMac = null;
                this.aes = Cipher.getInstance("AES/GCM/NoPadding");
            } else {
                this.rtpMac = Mac.getInstance("HmacSHA1");
                rtpMac.init(new SecretKeySpec(rtpAuthKey, "HmacSHA1"));
                this.rtcpMac = Mac.getInstance("HmacSHA1");
                rtcpMac.init(new SecretKeySpec(rtcpAuthKey, "HmacSHA1"));
                this.aes = Cipher.getInstance("AES/CTR/NoPadding");
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/CTR, AES/GCM or HmacSHA1 is not available", e);
        }
    }

    private static byte[] check(SrtpProfile profile, byte[] masterKey, byte[] masterSalt) {
        if (masterKey.length != profile.keyLength() || masterSalt.length != profile.saltLength()) {
            throw new IllegalArgumentException("master key " + masterKey.length + " and salt " + masterSalt.length
                    + " bytes do not fit " + profile);
        }
        return SrtpKeyDerivation.derive(masterKey, masterSalt, SrtpKeyDerivation.RTP_ENCRYPTION,
                profile.keyLength());
    }

    public SrtpProfile profile() {
        return profile;
    }

    /** Returns how many packets failed authentication. */
    public long authFailures() {
        return authFailures;
    }

    /** Returns how many packets were refused as replays. */
    public long replays() {
        return replays;
    }

    /**
     * Protects an RTP packet (RFC 3711 section 3.3): encrypts the payload and appends the
     * authentication tag. The sequence numbers of one SSRC must be sent in order (a wrap
     * increments the rollover counter); retransmit an already protected packet as is.
     *
     * @return a new buffer with the SRTP packet; {@code rtp} is left as it was
     */
    public ByteBuf protectRtp(ByteBuf rtp, ByteBufAllocator alloc) {
        int len = rtp.readableBytes();
        int headerLength = RtpHeaders.headerLength(rtp);
        int ssrc = rtp.getInt(rtp.readerIndex() + 8);
        int seq = rtp.getUnsignedShort(rtp.readerIndex() + 2);
        SsrcState s = state(ssrc);
        long roc;
        if (!s.sentAny) {
            s.sentAny = true;
            s.highestSeq = seq;
            roc = s.roc;
        } else if (seq < s.highestSeq && s.highestSeq - seq > 0x8000) {
            s.roc++; // the sequence number wrapped
            s.highestSeq = seq;
            roc = s.roc;
        } else if (seq > s.highestSeq && seq - s.highestSeq > 0x8000) {
            roc = s.roc - 1; // a late packet from before the wrap
        } else {
            s.highestSeq = Math.max(s.highestSeq, seq);
            roc = s.roc;
        }
        long index = (roc << 16) | seq;
        byte[] packet = new byte[len + profile.tagLength()];
        rtp.getBytes(rtp.readerIndex(), packet, 0, len);
        if (profile.isAead()) {
            // RFC 7714 section 8: the header is the AAD, the tag follows the ciphertext.
            gcm(Cipher.ENCRYPT_MODE, rtpKey, rtpIv(ssrc, roc, seq), packet, 0, headerLength, packet, headerLength,
                    len - headerLength);
            return alloc.buffer(packet.length).writeBytes(packet);
        }
        crypt(rtpKey, rtpSalt, ssrc, index, packet, headerLength, len - headerLength);
        rtpMac.update(packet, 0, len);
        rtpMac.update(intBytes((int) roc));
        System.arraycopy(rtpMac.doFinal(), 0, packet, len, profile.tagLength());
        return alloc.buffer(packet.length).writeBytes(packet);
    }

    /**
     * Authenticates and decrypts an SRTP packet (RFC 3711 section 3.3), estimating its index
     * from the rollover counter and highest sequence number (section 3.3.1).
     *
     * @return the RTP packet in a new buffer, or null when it failed authentication or is a
     *         replay (counted, and normal on a network)
     * @throws MalformedMediaException when it is too short or has an unknown SSRC past the limit
     */
    public ByteBuf unprotectRtp(ByteBuf srtp, ByteBufAllocator alloc) {
        int len = srtp.readableBytes() - profile.tagLength();
        if (len < 12) {
            throw new MalformedMediaException("SRTP packet of " + srtp.readableBytes() + " bytes");
        }
        byte[] packet = new byte[srtp.readableBytes()];
        srtp.getBytes(srtp.readerIndex(), packet);
        int headerLength = RtpHeaders.headerLength(srtp.slice(srtp.readerIndex(), len));
        int ssrc = srtp.getInt(srtp.readerIndex() + 8);
        int seq = srtp.getUnsignedShort(srtp.readerIndex() + 2);
        SsrcState s = state(ssrc);
        long v;
        if (!s.receivedAny) {
            v = 0;
        } else if (s.highestSeq < 0x8000) {
            v = seq - s.highestSeq > 0x8000 ? s.roc - 1 : s.roc;
        } else {
            v = s.highestSeq - 0x8000 > seq ? s.roc + 1 : s.roc;
        }
        if (v < 0) {
            replays++;
            return null;
        }
        long index = (v << 16) | seq;
        if (s.receivedAny && !s.replay.check(index)) {
            replays++;
            return null;
        }
        if (profile.isAead()) {
            if (!gcm(Cipher.DECRYPT_MODE, rtpKey, rtpIv(ssrc, v, seq), packet, 0, headerLength, packet,
                    headerLength, packet.length - headerLength)) {
                authFailures++;
                return null;
            }
        } else {
            rtpMac.update(packet, 0, len);
            rtpMac.update(intBytes((int) v));
            byte[] tag = rtpMac.doFinal();
            if (!MessageDigest.isEqual(java.util.Arrays.copyOf(tag, profile.tagLength()),
                    java.util.Arrays.copyOfRange(packet, len, len + profile.tagLength()))) {
                authFailures++;
                return null;
            }
            crypt(rtpKey, rtpSalt, ssrc, index, packet, headerLength, len - headerLength);
        }
        if (!s.receivedAny) {
            s.receivedAny = true;
            s.roc = v;
            s.highestSeq = seq;
        } else if (v > s.roc) {
            s.roc = v;
            s.highestSeq = seq;
        } else if (v == s.roc && seq > s.highestSeq) {
            s.highestSeq = seq;
        }
        s.replay.update(index);
        return alloc.buffer(len).writeBytes(packet, 0, len);
    }

    /**
     * Protects a compound RTCP packet (RFC 3711 section 3.4): encrypts everything after the
     * first 8 bytes, appends the E flag with the SRTCP index and the tag.
     */
    public ByteBuf protectRtcp(ByteBuf rtcp, ByteBufAllocator alloc) {
        int len = rtcp.readableBytes();
        if (len < 8) {
            throw new IllegalArgumentException("RTCP packet of " + len + " bytes");
        }
        int ssrc = rtcp.getInt(rtcp.readerIndex() + 4);
        SsrcState s = state(ssrc);
        int index = s.rtcpIndex;
        s.rtcpIndex = (s.rtcpIndex + 1) & 0x7FFFFFFF;
        byte[] packet = new byte[len + 4 + profile.tagLength()];
        rtcp.getBytes(rtcp.readerIndex(), packet, 0, len);
        if (profile.isAead()) {
            // RFC 7714 section 9: AAD is the first 8 bytes and the E flag with the index;
            // the packet is header, ciphertext, tag, then E and index.
            byte[] aad = new byte[12];
            System.arraycopy(packet, 0, aad, 0, 8);
            putInt(aad, 8, SRTCP_E_FLAG | index);
            gcm(Cipher.ENCRYPT_MODE, rtcpKey, rtcpIv(ssrc, index), aad, 0, 12, packet, 8, len - 8);
            putInt(packet, len + profile.tagLength(), SRTCP_E_FLAG | index);
            return alloc.buffer(packet.length).writeBytes(packet);
        }
        crypt(rtcpKey, rtcpSalt, ssrc, index, packet, 8, len - 8);
        putInt(packet, len, SRTCP_E_FLAG | index);
        rtcpMac.update(packet, 0, len + 4);
        System.arraycopy(rtcpMac.doFinal(), 0, packet, len + 4, profile.tagLength());
        return alloc.buffer(packet.length).writeBytes(packet);
    }

    /**
     * Authenticates and decrypts an SRTCP packet (RFC 3711 section 3.4).
     *
     * @return the compound RTCP packet in a new buffer, or null when it failed authentication
     *         or is a replay
     */
    public ByteBuf unprotectRtcp(ByteBuf srtcp, ByteBufAllocator alloc) {
        int total = srtcp.readableBytes();
        int len = total - 4 - profile.tagLength();
        if (len < 8) {
            throw new MalformedMediaException("SRTCP packet of " + total + " bytes");
        }
        byte[] packet = new byte[total];
        srtcp.getBytes(srtcp.readerIndex(), packet);
        if (profile.isAead()) {
            return unprotectRtcpAead(packet, alloc);
        }
        rtcpMac.update(packet, 0, len + 4);
        byte[] tag = rtcpMac.doFinal();
        if (!MessageDigest.isEqual(java.util.Arrays.copyOf(tag, profile.tagLength()),
                java.util.Arrays.copyOfRange(packet, len + 4, total))) {
            authFailures++;
            return null;
        }
        int ssrc = getInt(packet, 4);
        int word = getInt(packet, len);
        int index = word & 0x7FFFFFFF;
        SsrcState s = state(ssrc);
        if (!s.rtcpReplay.check(index)) {
            replays++;
            return null;
        }
        s.rtcpReplay.update(index);
        if ((word & SRTCP_E_FLAG) != 0) {
            crypt(rtcpKey, rtcpSalt, ssrc, index, packet, 8, len - 8);
        }
        return alloc.buffer(len).writeBytes(packet, 0, len);
    }

    private ByteBuf unprotectRtcpAead(byte[] packet, ByteBufAllocator alloc) {
        int total = packet.length;
        int word = getInt(packet, total - 4);
        int index = word & 0x7FFFFFFF;
        int ssrc = getInt(packet, 4);
        SsrcState s = state(ssrc);
        if (!s.rtcpReplay.check(index)) {
            replays++;
            return null;
        }
        byte[] aad;
        int cipherOff;
        if ((word & SRTCP_E_FLAG) != 0) {
            aad = new byte[12];
            System.arraycopy(packet, 0, aad, 0, 8);
            putInt(aad, 8, word);
            cipherOff = 8;
        } else {
            // Section 9.2: an unencrypted packet is all AAD, followed by the tag alone.
            aad = new byte[total - 4 - profile.tagLength() + 4];
            System.arraycopy(packet, 0, aad, 0, aad.length - 4);
            putInt(aad, aad.length - 4, word);
            cipherOff = total - 4 - profile.tagLength();
        }
        if (!gcm(Cipher.DECRYPT_MODE, rtcpKey, rtcpIv(ssrc, index), aad, 0, aad.length, packet, cipherOff,
                total - 4 - cipherOff)) {
            authFailures++;
            return null;
        }
        s.rtcpReplay.update(index);
        int len = total - 4 - profile.tagLength();
        return alloc.buffer(len).writeBytes(packet, 0, len);
    }

    /** RFC 7714 section 8.1: {@code (00 00 || SSRC || ROC || SEQ) XOR salt}. */
    private byte[] rtpIv(int ssrc, long roc, int seq) {
        byte[] v = new byte[12];
        putInt(v, 2, ssrc);
        putInt(v, 6, (int) roc);
        v[10] = (byte) (seq >>> 8);
        v[11] = (byte) seq;
        for (int i = 0; i < 12; i++) {
            v[i] ^= rtpSalt[i];
        }
        return v;
    }

    /** RFC 7714 section 9.1: {@code (00 00 || SSRC || 00 00 || 0 || index) XOR salt}. */
    private byte[] rtcpIv(int ssrc, int index) {
        byte[] v = new byte[12];
        putInt(v, 2, ssrc);
        putInt(v, 8, index & 0x7FFFFFFF);
        for (int i = 0; i < 12; i++) {
            v[i] ^= rtcpSalt[i];
        }
        return v;
    }

    /**
     * AES-GCM over {@code data[off, off+n)} in place, authenticating {@code aad[aadOff,
     * aadOff+aadLen)} too. Encrypting, {@code data} must have room for the tag after the
     * plaintext; decrypting, {@code n} includes the tag.
     *
     * @return false when decryption found the tag wrong
     */
    private boolean gcm(int mode, SecretKeySpec key, byte[] iv12, byte[] aad, int aadOff, int aadLen, byte[] data,
                        int off, int n) {
        try {
            aes.init(mode, key, new javax.crypto.spec.GCMParameterSpec(profile.tagLength() * 8, iv12));
            aes.updateAAD(aad, aadOff, aadLen);
            byte[] out = aes.doFinal(data, off, n);
            System.arraycopy(out, 0, data, off, out.length);
            return true;
        } catch (javax.crypto.AEADBadTagException e) {
            return false;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM failed", e);
        }
    }

    /** Sets the next SRTCP index of {@code ssrc}, as test vectors need. */
    void rtcpIndex(int ssrc, int index) {
        state(ssrc).rtcpIndex = index;
    }

    private void crypt(SecretKeySpec key, byte[] salt, int ssrc, long index, byte[] data, int off, int n) {
        aesCm(aes, iv, key, salt, ssrc, index, data, off, n);
    }

    /**
     * AES-CM (RFC 3711 section 4.1.1) over {@code data[off, off+n)} in place, with the IV
     * {@code (salt << 16) XOR (ssrc << 64) XOR (index << 16)}.
     */
    static void aesCm(Cipher aes, byte[] iv, SecretKeySpec key, byte[] salt, int ssrc, long index, byte[] data,
                      int off, int n) {
        java.util.Arrays.fill(iv, (byte) 0);
        System.arraycopy(salt, 0, iv, 0, 14);
        iv[4] ^= (byte) (ssrc >>> 24);
        iv[5] ^= (byte) (ssrc >>> 16);
        iv[6] ^= (byte) (ssrc >>> 8);
        iv[7] ^= (byte) ssrc;
        for (int i = 0; i < 6; i++) {
            iv[13 - i] ^= (byte) (index >>> (8 * i));
        }
        try {
            aes.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(iv));
            aes.doFinal(data, off, n, data, off);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/CTR failed", e);
        }
    }

    private SsrcState state(int ssrc) {
        SsrcState s = ssrcs.get(ssrc);
        if (s == null) {
            if (ssrcs.size() >= maxSsrcs) {
                throw new MalformedMediaException("more than " + maxSsrcs + " SSRCs in one SRTP session");
            }
            s = new SsrcState();
            ssrcs.put(ssrc, s);
        }
        return s;
    }

    private static byte[] intBytes(int v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    private static void putInt(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 24);
        b[i + 1] = (byte) (v >>> 16);
        b[i + 2] = (byte) (v >>> 8);
        b[i + 3] = (byte) v;
    }

    private static int getInt(byte[] b, int i) {
        return ((b[i] & 0xFF) << 24) | ((b[i + 1] & 0xFF) << 16) | ((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF);
    }

    private static final class SsrcState {
        long roc;
        int highestSeq;
        boolean sentAny;
        boolean receivedAny;
        final SrtpReplayWindow replay = new SrtpReplayWindow();
        final SrtpReplayWindow rtcpReplay = new SrtpReplayWindow();
        int rtcpIndex;
    }
}
