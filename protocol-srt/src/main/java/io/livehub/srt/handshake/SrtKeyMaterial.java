package io.livehub.srt.handshake;

import io.livehub.media.MalformedMediaException;
import java.util.Arrays;

/**
 * The Key Material message carried by the KMREQ and KMRSP handshake extensions
 * (draft-sharabayko-srt section 3.2.2): the cipher, the salt and the stream encrypting
 * key(s) wrapped with the key encrypting key derived from the passphrase.
 *
 * <p>Layout: a word with S (1 bit, 0), V (3 bits, 1), PT (4 bits, 2 = KM message), Sign
 * (16 bits, 0x2029 "HAI") and KK (2 low bits: 1 even, 2 odd, 3 both keys); KEKI (32 bits,
 * 0); cipher (8), auth (8), SE (8), reserved (8); reserved (16), salt length / 4 (8), key
 * length / 4 (8); the salt; the wrapped keys (8 + key length × number of keys bytes).
 *
 * <p>A KMRSP that refuses the keys carries only one word, the KM state
 * ({@link #STATE_BADSECRET}, {@link #STATE_NOSECRET}); see {@link #errorState}.
 *
 * <p>Thread-safety: immutable (arrays are copied).
 */
public final class SrtKeyMaterial {

    public static final int CIPHER_NONE = 0;
    public static final int CIPHER_AES_CTR = 2;
    /** Stream encapsulation SRT (MPEG-TS/SRT, the value libsrt sends). */
    public static final int SE_SRT = 2;
    public static final int KEY_EVEN = 1;
    public static final int KEY_ODD = 2;
    public static final int KEY_BOTH = 3;
    /** KM state: the peer's passphrase did not unwrap the keys. */
    public static final int STATE_BADSECRET = 4;
    /** KM state: the peer has no passphrase. */
    public static final int STATE_NOSECRET = 3;

    private static final int SIGN = 0x2029;
    private static final int FIRST_BYTE = 0x12; // S = 0, V = 1, PT = 2

    private final int keyFlags;
    private final int keki;
    private final int cipher;
    private final int auth;
    private final int streamEncapsulation;
    private final byte[] salt;
    private final int keyLength;
    private final byte[] wrappedKeys;

    /**
     * Makes a KM message.
     *
     * @throws IllegalArgumentException when the key length is not 16, 24 or 32, the salt is not
     *         16 bytes, or the wrapped keys do not match the key flags
     */
    public SrtKeyMaterial(int keyFlags, int cipher, byte[] salt, int keyLength, byte[] wrappedKeys) {
        this(keyFlags, 0, cipher, 0, SE_SRT, salt, keyLength, wrappedKeys);
        if (salt.length != 16) {
            throw new IllegalArgumentException("salt must be 16 bytes");
        }
    }

    private SrtKeyMaterial(int keyFlags, int keki, int cipher, int auth, int se, byte[] salt, int keyLength,
                           byte[] wrappedKeys) {
        if (keyFlags < 1 || keyFlags > 3) {
            throw new IllegalArgumentException("key flags must be 1, 2 or 3: " + keyFlags);
        }
        if (keyLength != 16 && keyLength != 24 && keyLength != 32) {
            throw new IllegalArgumentException("key length must be 16, 24 or 32: " + keyLength);
        }
        int keys = keyFlags == KEY_BOTH ? 2 : 1;
        if (wrappedKeys.length != 8 + keys * keyLength) {
            throw new IllegalArgumentException("wrapped keys must be " + (8 + keys * keyLength) + " bytes");
        }
        this.keyFlags = keyFlags;
        this.keki = keki;
        this.cipher = cipher;
        this.auth = auth;
        this.streamEncapsulation = se;
        this.salt = salt.clone();
        this.keyLength = keyLength;
        this.wrappedKeys = wrappedKeys.clone();
    }

    public int keyFlags() {
        return keyFlags;
    }

    public int keki() {
        return keki;
    }

    public int cipher() {
        return cipher;
    }

    public int auth() {
        return auth;
    }

    public int streamEncapsulation() {
        return streamEncapsulation;
    }

    public byte[] salt() {
        return salt.clone();
    }

    /** Returns the length of one key in bytes: 16, 24 or 32. */
    public int keyLength() {
        return keyLength;
    }

    /** Returns the RFC 3394 wrapped key(s): the even key first when both are present. */
    public byte[] wrappedKeys() {
        return wrappedKeys.clone();
    }

    /** Returns the block of type {@code KMREQ} or {@code KMRSP}. */
    public SrtHandshakeExtension toExtension(int type) {
        byte[] b = new byte[16 + salt.length + wrappedKeys.length];
        b[0] = FIRST_BYTE;
        b[1] = (byte) (SIGN >>> 8);
        b[2] = (byte) SIGN;
        b[3] = (byte) keyFlags;
        SrtHsMessage.putInt(b, 4, keki);
        b[8] = (byte) cipher;
        b[9] = (byte) auth;
        b[10] = (byte) streamEncapsulation;
        b[14] = (byte) (salt.length / 4);
        b[15] = (byte) (keyLength / 4);
        System.arraycopy(salt, 0, b, 16, salt.length);
        System.arraycopy(wrappedKeys, 0, b, 16 + salt.length, wrappedKeys.length);
        return new SrtHandshakeExtension(type, b);
    }

    /** Returns the one-word KMRSP block that refuses the keys with {@code state}. */
    public static SrtHandshakeExtension errorResponse(int state) {
        byte[] b = new byte[4];
        SrtHsMessage.putInt(b, 0, state);
        return new SrtHandshakeExtension(SrtHandshakeExtension.KMRSP, b);
    }

    /**
     * Returns the KM state of a one-word KMRSP, or -1 when the block is a full KM message.
     * libsrt writes the word in its host order (little-endian in practice) while this
     * implementation writes it big-endian; both readings are accepted, as states are small.
     */
    public static int errorState(SrtHandshakeExtension ext) {
        return ext.length() == 4 ? errorState(ext.contentUnsafe()) : -1;
    }

    /** Returns the KM state of a four-byte error word in either byte order. */
    public static int errorState(byte[] word) {
        int be = SrtHsMessage.getInt(word, 0);
        return (be & ~0xFF) == 0 ? be : Integer.reverseBytes(be);
    }

    /**
     * Reads a KM message.
     *
     * @throws MalformedMediaException when the block is not a well-formed KM message
     */
    public static SrtKeyMaterial from(SrtHandshakeExtension ext) {
        byte[] b = ext.contentUnsafe();
        if (b.length < 16) {
            throw new MalformedMediaException("SRT KM message of " + b.length + " bytes is too short");
        }
        if (b[0] != FIRST_BYTE || ((b[1] & 0xFF) << 8 | (b[2] & 0xFF)) != SIGN) {
            throw new MalformedMediaException("SRT KM message has a bad version, type or signature");
        }
        int kk = b[3] & 3;
        int saltLen = (b[14] & 0xFF) * 4;
        int keyLen = (b[15] & 0xFF) * 4;
        int keys = kk == KEY_BOTH ? 2 : 1;
        if (kk == 0 || saltLen != 16 || (keyLen != 16 && keyLen != 24 && keyLen != 32)) {
            throw new MalformedMediaException("SRT KM message: key flags " + kk + ", salt " + saltLen
                    + " bytes, key " + keyLen + " bytes are not supported");
        }
        int wrapped = 8 + keys * keyLen;
        if (b.length < 16 + saltLen + wrapped) {
            throw new MalformedMediaException("SRT KM message of " + b.length + " bytes is shorter than its keys");
        }
        return new SrtKeyMaterial(kk, SrtHsMessage.getInt(b, 4), b[8] & 0xFF, b[9] & 0xFF, b[10] & 0xFF,
                Arrays.copyOfRange(b, 16, 16 + saltLen), keyLen,
                Arrays.copyOfRange(b, 16 + saltLen, 16 + saltLen + wrapped));
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SrtKeyMaterial)) {
            return false;
        }
        SrtKeyMaterial k = (SrtKeyMaterial) o;
        return keyFlags == k.keyFlags && keki == k.keki && cipher == k.cipher && auth == k.auth
                && streamEncapsulation == k.streamEncapsulation && keyLength == k.keyLength
                && Arrays.equals(salt, k.salt) && Arrays.equals(wrappedKeys, k.wrappedKeys);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(wrappedKeys) * 31 + keyFlags;
    }

    @Override
    public String toString() {
        return "SrtKeyMaterial[kk=" + keyFlags + ", cipher=" + cipher + ", keyLength=" + keyLength + "]";
    }
}
