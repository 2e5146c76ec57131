package io.livehub.webrtc.srtp;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Derives SRTP session keys from a master key and salt with the AES-CM PRF (RFC 3711 section
 * 4.3), with a key derivation rate of 0: keys are derived once per master key, which is
 * what DTLS-SRTP uses (RFC 5764 section 4.1.2 leaves the rate at its default of 0).
 *
 * <p>Thread-safety: stateless.
 */
public final class SrtpKeyDerivation {

    /** RFC 3711 section 4.3.2: the SRTP encryption key label. */
    public static final int RTP_ENCRYPTION = 0x00;
    /** RFC 3711 section 4.3.2: the SRTP authentication key label. */
    public static final int RTP_AUTHENTICATION = 0x01;
    /** RFC 3711 section 4.3.2: the SRTP salt label. */
    public static final int RTP_SALT = 0x02;
    /** RFC 3711 section 4.3.2: the SRTCP encryption key label. */
    public static final int RTCP_ENCRYPTION = 0x03;
    /** RFC 3711 section 4.3.2: the SRTCP authentication key label. */
    public static final int RTCP_AUTHENTICATION = 0x04;
    /** RFC 3711 section 4.3.2: the SRTCP salt label. */
    public static final int RTCP_SALT = 0x05;

    private SrtpKeyDerivation() {
    }

    /**
     * Returns {@code length} bytes of the key with {@code label}: AES-CM keystream under the
     * master key, from the IV {@code (master_salt XOR (label << 48)) << 16}.
     */
    public static byte[] derive(byte[] masterKey, byte[] masterSalt, int label, int length) {
        byte[] iv = new byte[16];
        System.arraycopy(masterSalt, 0, iv, 0, Math.min(14, masterSalt.length));
        // key_id = label || r with r = 0: the label lands in byte 7 of the 14-byte x.
        iv[7] ^= (byte) label;
        try {
            Cipher aes = Cipher.getInstance("AES/CTR/NoPadding");
            aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(masterKey, "AES"), new IvParameterSpec(iv));
            return aes.doFinal(new byte[length]);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/CTR is not available", e);
        }
    }
}
