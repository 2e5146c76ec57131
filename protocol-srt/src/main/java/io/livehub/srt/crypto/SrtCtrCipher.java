package io.livehub.srt.crypto;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts and decrypts data packet payloads with one stream encrypting key in AES-CTR
 * (draft-sharabayko-srt section 6.2.2). The counter block of a packet is the key
 * material's salt with the packet sequence number, big-endian, XORed into bytes 10 to 13;
 * bytes 14 and 15 are the block counter, starting at 0 (libsrt's {@code hcrypt_SetCtrIV}).
 * CTR is its own inverse: the same call encrypts and decrypts.
 *
 * <p>The JDK's {@code AES/CTR/NoPadding} is made once and re-initialised per packet with the
 * packet's counter block. That costs about 112 bytes of short-lived garbage per packet (the
 * IV and key copies of {@code init}); computing the keystream through a once-initialised
 * {@code AES/ECB/NoPadding} instead allocates nothing but ran at a quarter of the speed, since
 * the JDK's CTR intrinsic pipelines the AES rounds ({@code SrtCtrCipherBenchmark}).
 *
 * <p>Thread-safety: not thread-safe; one instance per key and connection, used on the
 * connection's event loop.
 */
public final class SrtCtrCipher {

    private final SecretKeySpec key;
    private final int keyLength;
    private final byte[] salt;
    private final byte[] iv = new byte[16];
    private final Cipher cipher;

    /**
     * @param key  the SEK, 16, 24 or 32 bytes
     * @param salt the 16-byte salt of the key material that carried the key
     */
    public SrtCtrCipher(byte[] key, byte[] salt) {
        if (key.length != 16 && key.length != 24 && key.length != 32) {
            throw new IllegalArgumentException("key must be 16, 24 or 32 bytes: " + key.length);
        }
        if (salt.length != 16) {
            throw new IllegalArgumentException("salt must be 16 bytes: " + salt.length);
        }
        this.key = new SecretKeySpec(key, "AES");
        this.keyLength = key.length;
        this.salt = salt.clone();
        try {
            this.cipher = Cipher.getInstance("AES/CTR/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no AES/CTR/NoPadding", e);
        }
    }

    /** Returns the key length in bytes. */
    public int keyLength() {
        return keyLength;
    }

    /**
     * Writes the counter block of packet {@code sequence} to {@code out} (16 bytes).
     */
    public static void counterBlock(byte[] salt, int sequence, byte[] out) {
        System.arraycopy(salt, 0, out, 0, 14);
        out[10] ^= (byte) (sequence >>> 24);
        out[11] ^= (byte) (sequence >>> 16);
        out[12] ^= (byte) (sequence >>> 8);
        out[13] ^= (byte) sequence;
        out[14] = 0;
        out[15] = 0;
    }

    /**
     * Encrypts or decrypts {@code len} bytes of packet {@code sequence} from {@code in} to
     * {@code out}; the arrays must not overlap.
     */
    public void apply(int sequence, byte[] in, int inOffset, int len, byte[] out, int outOffset) {
        counterBlock(salt, sequence, iv);
        try {
            cipher.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(iv));
            cipher.doFinal(in, inOffset, len, out, outOffset);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-CTR failed", e);
        }
    }
}
