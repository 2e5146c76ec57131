package io.livehub.srt.internal;

import io.livehub.media.MalformedMediaException;
import io.livehub.srt.SrtConfig;
import io.livehub.srt.crypto.SrtCtrCipher;
import io.livehub.srt.crypto.SrtKeyWrap;
import io.livehub.srt.handshake.SrtHandshakeExtension;
import io.livehub.srt.handshake.SrtKeyMaterial;
import io.livehub.srt.handshake.SrtRejectReason;
import io.livehub.srt.packet.SrtDataPacket;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the encryption state of one SRT connection (draft-sharabayko-srt section 6): the
 * sending keys with the refresh cycle (announce a new key {@code kmPreAnnounce} packets
 * before the switch, flip the KK bits after {@code kmRefreshRate} packets, retire the old
 * key {@code kmPreAnnounce} packets later, as libsrt's {@code hcryptCtx_Tx_ManageKM}),
 * the receiving keys (even and odd, replaced by in-stream KMREQs), and the per-packet
 * AES-CTR work.
 *
 * <p>In HSv5 the caller makes the first key; the listener unwraps it and both directions
 * start with it. Each side then refreshes its own sending keys, and the peer installs them
 * as its receiving keys.
 *
 * <p>Thread-safety: confined to the connection's event loop.
 */
final class SrtCryptoControl {

    private static final Logger log = LoggerFactory.getLogger(SrtCryptoControl.class);
    /** libsrt's {@code SRT_MAX_KMRETRY}: a KMREQ is sent at most this many more times unanswered. */
    static final int MAX_KM_RETRIES = 10;
    private static final long MIN_KM_RESEND_NANOS = 20_000_000L;
    private static final SecureRandom RANDOM = new SecureRandom();

    private static final int ALT_NONE = 0;
    private static final int ALT_ANNOUNCED = 1;
    private static final int ALT_DEPRECATED = 2;

    /**
     * The result of a handshake key exchange.
     *
     * @param salt      the KM salt
     * @param kek       the key encrypting key derived from the passphrase and the salt
     * @param keyLength the SEK length
     * @param even      the even SEK, or null
     * @param odd       the odd SEK, or null
     * @param message   the KM message as sent (KMREQ) or received, for the KMRSP
     * @param passphrase the passphrase that made the KEK, for key material with another salt
     */
    record Keys(byte[] salt, byte[] kek, int keyLength, byte[] even, byte[] odd, byte[] message, String passphrase) {
    }

    /** Tells why a peer's key material was refused, with the reject reason to answer. */
    static final class KeyMaterialException extends Exception {
        private static final long serialVersionUID = 1L;
        final int rejectCode;

        KeyMaterialException(SrtRejectReason reason, String message) {
            super(message);
            this.rejectCode = reason.code();
        }
    }

    /** Makes a caller's first key: a random salt and even SEK, wrapped for {@code passphrase}. */
    static Keys generate(String passphrase, int keyLength) {
        byte[] salt = new byte[16];
        byte[] key = new byte[keyLength];
        RANDOM.nextBytes(salt);
        RANDOM.nextBytes(key);
        byte[] kek = SrtKeyWrap.deriveKek(passphrase, salt, keyLength);
        byte[] msg = new SrtKeyMaterial(SrtKeyMaterial.KEY_EVEN, SrtKeyMaterial.CIPHER_AES_CTR, salt, keyLength,
                SrtKeyWrap.wrap(kek, key)).toExtension(SrtHandshakeExtension.KMREQ).content();
        return new Keys(salt, kek, keyLength, key, null, msg, passphrase);
    }

    /**
     * Reads and unwraps a peer's KM message with {@code passphrase}.
     *
     * @throws KeyMaterialException with {@code BADSECRET} when the keys do not unwrap (wrong
     *         passphrase), with {@code UNSECURE} when the message is malformed or names a cipher
     *         other than AES-CTR
     */
    static Keys unwrap(String passphrase, byte[] message) throws KeyMaterialException {
        SrtKeyMaterial km;
        try {
            km = SrtKeyMaterial.from(new SrtHandshakeExtension(SrtHandshakeExtension.KMREQ, message));
        } catch (MalformedMediaException | IllegalArgumentException e) {
            throw new KeyMaterialException(SrtRejectReason.UNSECURE, "malformed key material: " + e.getMessage());
        }
        if (km.cipher() != SrtKeyMaterial.CIPHER_AES_CTR) {
            throw new KeyMaterialException(SrtRejectReason.UNSECURE, "key material cipher " + km.cipher()
                    + " is not AES-CTR (2)");
        }
        byte[] salt = km.salt();
        byte[] kek = SrtKeyWrap.deriveKek(passphrase, salt, km.keyLength());
        return unwrap(km, salt, kek, message, passphrase);
    }

    private static Keys unwrap(SrtKeyMaterial km, byte[] salt, byte[] kek, byte[] message, String passphrase)
            throws KeyMaterialException {
        byte[] keys;
        try {
            keys = SrtKeyWrap.unwrap(kek, km.wrappedKeys());
        } catch (GeneralSecurityException e) {
            throw new KeyMaterialException(SrtRejectReason.BADSECRET, "wrong passphrase (the keys do not unwrap)");
        }
        int n = km.keyLength();
        byte[] even = null;
        byte[] odd = null;
        if (km.keyFlags() == SrtKeyMaterial.KEY_BOTH) {
            even = Arrays.copyOfRange(keys, 0, n);
            odd = Arrays.copyOfRange(keys, n, 2 * n);
        } else if (km.keyFlags() == SrtKeyMaterial.KEY_EVEN) {
            even = keys;
        } else {
            odd = keys;
        }
        return new Keys(salt, kek, n, even, odd, message.clone(), passphrase);
    }

    private final String passphrase;
    private final int refreshRate;
    private final int preAnnounce;
    private final byte[] salt;
    private final byte[] kek;
    private final int keyLength;
    private final SrtCtrCipher[] tx = new SrtCtrCipher[2];
    private final byte[][] txKeys = new byte[2][];
    private final SrtCtrCipher[] rx = new SrtCtrCipher[2];
    private final byte[] sentKeyFlags;
    private final int mask;
    private final byte[] scratchIn;
    private final byte[] scratchOut;
    private int txActive;
    private long txCount;
    private int altState = ALT_NONE;
    private byte[] rxKekSalt;
    private int rxKekLength;
    private byte[] rxKek;
    private byte[] pendingKm;
    private int pendingRetries;
    private long pendingSentAt;
    private boolean rxFailureLogged;
    private long undecryptable;
    private final AtomicLong switches;

    /**
     * Starts with {@code keys} for both directions, as HSv5 does.
     *
     * @param switches counts sending key switches, shared by the connections of an endpoint
     */
    SrtCryptoControl(SrtConfig config, Keys keys, AtomicLong switches) {
        this.switches = switches;
        this.passphrase = keys.passphrase();
        this.refreshRate = config.kmRefreshRate();
        this.preAnnounce = config.kmPreAnnounce();
        this.salt = keys.salt().clone();
        this.kek = keys.kek().clone();
        this.keyLength = keys.keyLength();
        int cap = Integer.highestOneBit(Math.max(config.flowWindow(), 2) - 1) << 1;
        this.sentKeyFlags = new byte[cap];
        this.mask = cap - 1;
        this.scratchIn = new byte[config.maxPacketSize()];
        this.scratchOut = new byte[config.maxPacketSize()];
        install(tx, keys);
        txKeys[0] = keys.even();
        txKeys[1] = keys.odd();
        txActive = keys.even() != null ? 0 : 1;
        install(rx, keys);
        rxKekSalt = keys.salt().clone();
        rxKekLength = keys.keyLength();
        rxKek = keys.kek().clone();
    }

    private static void install(SrtCtrCipher[] slots, Keys keys) {
        if (keys.even() != null) {
            slots[0] = new SrtCtrCipher(keys.even(), keys.salt());
        }
        if (keys.odd() != null) {
            slots[1] = new SrtCtrCipher(keys.odd(), keys.salt());
        }
    }

    // ---- data ----

    /**
     * Encrypts a payload about to enter the send buffer as packet {@code sequence} with the
     * active key and records its KK bits for retransmissions.
     *
     * <p>Ownership: takes {@code payload} (which may be shared with other connections and is
     * only read) and returns a new buffer holding the ciphertext.
     */
    ByteBuf encrypt(int sequence, ByteBuf payload, ByteBufAllocator alloc) {
        int len = payload.readableBytes();
        ByteBuf out = alloc.ioBuffer(len);
        try {
            payload.getBytes(payload.readerIndex(), scratchIn, 0, len);
            tx[txActive].apply(sequence, scratchIn, 0, len, scratchOut, 0);
            out.writeBytes(scratchOut, 0, len);
        } catch (RuntimeException e) {
            out.release();
            throw e;
        } finally {
            payload.release();
        }
        sentKeyFlags[sequence & mask] = (byte) (txActive == 0 ? SrtDataPacket.KEY_EVEN : SrtDataPacket.KEY_ODD);
        txCount++;
        return out;
    }

    /** Returns the KK bits packet {@code sequence} was encrypted with. */
    int keyFlags(int sequence) {
        return sentKeyFlags[sequence & mask];
    }

    /**
     * Decrypts a received payload in place with the key its KK bits name.
     *
     * <p>Ownership: borrows {@code payload}, which must be writable and not shared.
     *
     * @return false when that key is not installed or the payload is too long: the packet
     *         cannot be read and is dropped
     */
    boolean decrypt(int sequence, int keyFlags, ByteBuf payload) {
        SrtCtrCipher c = rx[keyFlags == SrtDataPacket.KEY_EVEN ? 0 : 1];
        int len = payload.readableBytes();
        if (c == null || len > scratchIn.length) {
            undecryptable++;
            return false;
        }
        int at = payload.readerIndex();
        payload.getBytes(at, scratchIn, 0, len);
        c.apply(sequence, scratchIn, 0, len, scratchOut, 0);
        payload.setBytes(at, scratchOut, 0, len);
        return true;
    }

    long undecryptable() {
        return undecryptable;
    }

    // ---- sender key refresh ----

    /**
     * Advances the sending key cycle; called on every ACK, as libsrt does, so that nothing is
     * announced before the peer is connected and acknowledges data. The switch waits for the
     * peer's KMRSP (or for the announcement's repeats to run out), so that a burst of packets
     * never outruns the new key.
     */
    void onAck() {
        if (altState == ALT_NONE && txCount > refreshRate - preAnnounce) {
            int alt = txActive ^ 1;
            byte[] key = new byte[keyLength];
            RANDOM.nextBytes(key);
            txKeys[alt] = key;
            tx[alt] = new SrtCtrCipher(key, salt);
            byte[] both = new byte[2 * keyLength];
            System.arraycopy(txKeys[0], 0, both, 0, keyLength);
            System.arraycopy(txKeys[1], 0, both, keyLength, keyLength);
            pendingKm = new SrtKeyMaterial(SrtKeyMaterial.KEY_BOTH, SrtKeyMaterial.CIPHER_AES_CTR, salt, keyLength,
                    SrtKeyWrap.wrap(kek, both)).toExtension(SrtHandshakeExtension.KMREQ).content();
            pendingRetries = MAX_KM_RETRIES + 1;
            pendingSentAt = 0;
            altState = ALT_ANNOUNCED;
        } else if (altState == ALT_ANNOUNCED && txCount > refreshRate && pendingRetries <= 0) {
            txActive ^= 1;
            txCount = 0;
            altState = ALT_DEPRECATED;
            switches.incrementAndGet();
        } else if (altState == ALT_DEPRECATED && txCount > preAnnounce) {
            // Retransmissions resend stored ciphertext, so the old key is not needed again.
            int old = txActive ^ 1;
            tx[old] = null;
            txKeys[old] = null;
            altState = ALT_NONE;
        }
    }

    /**
     * Returns the KMREQ content to send now, or null: a new announcement at once, then
     * repeats every 1.5 RTT until confirmed or {@link #MAX_KM_RETRIES} repeats went out.
     */
    byte[] kmRequestDue(long now, int rttMicros) {
        if (pendingKm == null || pendingRetries <= 0) {
            return null;
        }
        long interval = Math.max(MIN_KM_RESEND_NANOS, rttMicros * 1500L);
        if (pendingSentAt != 0 && now - pendingSentAt < interval) {
            return null;
        }
        pendingRetries--;
        pendingSentAt = now == 0 ? 1 : now;
        return pendingKm;
    }

    /** Takes the peer's KMRSP to an in-stream KMREQ: a confirming echo or a one-word error state. */
    void onKmResponse(byte[] content, Object connection) {
        if (pendingKm == null) {
            return;
        }
        if (Arrays.equals(content, pendingKm)) {
            pendingRetries = 0;
            return;
        }
        if (content.length == 4) {
            pendingRetries = 0;
            log.warn("SRT {}: peer refused the refreshed key (KM state {}); it cannot decrypt after the switch",
                    connection, SrtKeyMaterial.errorState(content));
        } else {
            log.debug("SRT {}: KMRSP of {} bytes does not echo the announced key material ({} bytes)", connection,
                    content.length, pendingKm.length);
        }
    }

    // ---- receiver key refresh ----

    /**
     * Installs the keys of an in-stream KMREQ as receiving keys.
     *
     * @return the KMRSP content (the request echoed), or null when the keys do not unwrap:
     *         like libsrt with enforced encryption, no answer is sent and the connection stays
     */
    byte[] onKmRequest(byte[] content, Object connection) {
        Keys keys;
        try {
            SrtKeyMaterial km = SrtKeyMaterial.from(new SrtHandshakeExtension(SrtHandshakeExtension.KMREQ, content));
            if (km.cipher() != SrtKeyMaterial.CIPHER_AES_CTR) {
                throw new KeyMaterialException(SrtRejectReason.UNSECURE, "cipher " + km.cipher() + " is not AES-CTR");
            }
            byte[] kmSalt = km.salt();
            if (!Arrays.equals(kmSalt, rxKekSalt) || km.keyLength() != rxKekLength) {
                rxKek = SrtKeyWrap.deriveKek(passphrase, kmSalt, km.keyLength());
                rxKekSalt = kmSalt;
                rxKekLength = km.keyLength();
            }
            keys = unwrap(km, kmSalt, rxKek, content, passphrase);
        } catch (KeyMaterialException | MalformedMediaException | IllegalArgumentException e) {
            if (!rxFailureLogged) {
                rxFailureLogged = true;
                log.warn("SRT {}: ignoring in-stream key material: {}", connection, e.getMessage());
            }
            return null;
        }
        install(rx, keys);
        return content;
    }
}
