package io.livehub.srt.crypto;

import java.security.GeneralSecurityException;
import java.security.Key;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Derives the key encrypting key (KEK) from a passphrase and wraps and unwraps stream
 * encrypting keys (SEKs) with it (draft-sharabayko-srt section 6.1): the KEK is
 * PBKDF2-HMAC-SHA1 of the passphrase with the last 8 bytes of the key material's 16-byte salt,
 * 2048 iterations, as long as one SEK (libsrt's {@code hcryptCtx_GenSecret}); the SEKs
 * are wrapped with the AES Key Wrap of RFC 3394, the even key first when both are present.
 *
 * <p>Uses only the JDK's providers ({@code PBKDF2WithHmacSHA1}, {@code AESWrap}).
 *
 * <p>Thread-safety: stateless.
 */
public final class SrtKeyWrap {

    /** PBKDF2 iterations of libsrt ({@code HAICRYPT_PBKDF2_ITER_CNT}). */
    public static final int PBKDF2_ITERATIONS = 2048;
    /** How many trailing salt bytes PBKDF2 uses ({@code HAICRYPT_PBKDF2_SALT_LEN}). */
    public static final int PBKDF2_SALT_LENGTH = 8;
    /** The bytes RFC 3394 adds to the wrapped keys (the integrity check value). */
    public static final int WRAP_OVERHEAD = 8;

    private SrtKeyWrap() {
    }

    /**
     * Derives the KEK of {@code passphrase} for a key material salt.
     *
     * @param salt      the 16-byte salt of the KM message; its last 8 bytes are the PBKDF2 salt
     * @param keyLength the SEK length, 16, 24 or 32 bytes; the KEK has the same length
     */
    public static byte[] deriveKek(String passphrase, byte[] salt, int keyLength) {
        byte[] pbkdfSalt = Arrays.copyOfRange(salt, Math.max(0, salt.length - PBKDF2_SALT_LENGTH), salt.length);
        return pbkdf2HmacSha1(passphrase, pbkdfSalt, PBKDF2_ITERATIONS, keyLength);
    }

    /**
     * Runs PBKDF2-HMAC-SHA1 (RFC 8018 section 5.2); the passphrase's characters enter as
     * UTF-8 bytes, as libsrt takes them.
     */
    public static byte[] pbkdf2HmacSha1(String passphrase, byte[] salt, int iterations, int length) {
        char[] chars = passphrase.toCharArray();
        PBEKeySpec spec = new PBEKeySpec(chars, salt, iterations, length * 8);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA1").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no PBKDF2WithHmacSHA1", e);
        } finally {
            spec.clearPassword();
            Arrays.fill(chars, '\0');
        }
    }

    /**
     * Wraps {@code keys} (one SEK, or the even and the odd SEK back to back) with {@code kek}
     * (RFC 3394 section 2.2.1, default initial value).
     *
     * @return {@code keys.length + 8} bytes
     */
    public static byte[] wrap(byte[] kek, byte[] keys) {
        try {
            Cipher c = Cipher.getInstance("AESWrap");
            c.init(Cipher.WRAP_MODE, new SecretKeySpec(kek, "AES"));
            return c.wrap(new SecretKeySpec(keys, "AES"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES key wrap failed", e);
        }
    }

    /**
     * Unwraps keys wrapped with {@code kek} (RFC 3394 section 2.2.2).
     *
     * @return {@code wrapped.length - 8} bytes
     * @throws GeneralSecurityException when the integrity check fails: the KEK is not the one
     *         the keys were wrapped with, i.e. the passphrase is wrong
     */
    public static byte[] unwrap(byte[] kek, byte[] wrapped) throws GeneralSecurityException {
        if (wrapped.length < 16 + WRAP_OVERHEAD || wrapped.length % 8 != 0) {
            throw new GeneralSecurityException("wrapped keys of " + wrapped.length + " bytes");
        }
        Cipher c = Cipher.getInstance("AESWrap");
        c.init(Cipher.UNWRAP_MODE, new SecretKeySpec(kek, "AES"));
        Key k = c.unwrap(wrapped, "AES", Cipher.SECRET_KEY);
        return k.getEncoded();
    }
}
