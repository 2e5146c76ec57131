package io.livehub.srt.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.livehub.srt.Hex;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Known-answer tests: RFC 3394 section 4 (AES Key Wrap) and RFC 6070 (PBKDF2-HMAC-SHA1). */
class SrtKeyWrapTest {

    static final String KEK256 = "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F";

    static void assertWrap(String kek, String data, String wrapped) throws Exception {
        byte[] k = Hex.bytes(kek);
        assertArrayEquals(Hex.bytes(wrapped), SrtKeyWrap.wrap(k, Hex.bytes(data)));
        assertArrayEquals(Hex.bytes(data), SrtKeyWrap.unwrap(k, Hex.bytes(wrapped)));
    }

    @Test
    void rfc3394Section41WrapsA128BitKeyWithA128BitKek() throws Exception {
        assertWrap("000102030405060708090A0B0C0D0E0F", "00112233445566778899AABBCCDDEEFF",
                "1FA68B0A8112B447 AEF34BD8FB5A7B82 9D3E862371D2CFE5");
    }

    @Test
    void rfc3394Section42WrapsA128BitKeyWithA192BitKek() throws Exception {
        assertWrap("000102030405060708090A0B0C0D0E0F1011121314151617", "00112233445566778899AABBCCDDEEFF",
                "96778B25AE6CA435 F92B5B97C050AED2 468AB8A17AD84E5D");
    }

    @Test
    void rfc3394Section43WrapsA128BitKeyWithA256BitKek() throws Exception {
        assertWrap(KEK256, "00112233445566778899AABBCCDDEEFF", "64E8C3F9CE0F5BA2 63E9777905818A2A 93C8191E7D6E8AE7");
    }

    @Test
    void rfc3394Section44WrapsA192BitKeyWithA192BitKek() throws Exception {
        assertWrap("000102030405060708090A0B0C0D0E0F1011121314151617",
                "00112233445566778899AABBCCDDEEFF0001020304050607",
                "031D33264E15D332 68F24EC260743EDC E1C6C7DDEE725A93 6BA814915C6762D2");
    }

    @Test
    void rfc3394Section45WrapsA192BitKeyWithA256BitKek() throws Exception {
        assertWrap(KEK256, "00112233445566778899AABBCCDDEEFF0001020304050607",
                "A8F9BC1612C68B3F F6E6F4FBE30E71E4 769C8B80A32CB895 8CD5D17D6B254DA1");
    }

    @Test
    void rfc3394Section46WrapsA256BitKeyWithA256BitKek() throws Exception {
        assertWrap(KEK256, "00112233445566778899AABBCCDDEEFF000102030405060708090A0B0C0D0E0F",
                "28C9F404C4B810F4 CBCCB35CFB87F826 3F5786E2D80ED326 CBC7F0E71A99F43B FB988B9B7A02DD21");
    }

    @Test
    void unwrapWithAnotherKekFailsTheIntegrityCheck() {
        byte[] wrapped = Hex.bytes("1FA68B0A8112B447 AEF34BD8FB5A7B82 9D3E862371D2CFE5");
        assertThrows(GeneralSecurityException.class,
                () -> SrtKeyWrap.unwrap(Hex.bytes("000102030405060708090A0B0C0D0E0E"), wrapped));
        wrapped[5] ^= 1;
        assertThrows(GeneralSecurityException.class,
                () -> SrtKeyWrap.unwrap(Hex.bytes("000102030405060708090A0B0C0D0E0F"), wrapped));
        assertThrows(GeneralSecurityException.class,
                () -> SrtKeyWrap.unwrap(Hex.bytes("000102030405060708090A0B0C0D0E0F"), new byte[20]));
    }

    @Test
    void rfc6070Pbkdf2HmacSha1Vectors() {
        byte[] salt = "salt".getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(Hex.bytes("0c60c80f961f0e71f3a9b524af6012062fe037a6"),
                SrtKeyWrap.pbkdf2HmacSha1("password", salt, 1, 20));
        assertArrayEquals(Hex.bytes("ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957"),
                SrtKeyWrap.pbkdf2HmacSha1("password", salt, 2, 20));
        assertArrayEquals(Hex.bytes("4b007901b765489abead49d926f721d065a429c1"),
                SrtKeyWrap.pbkdf2HmacSha1("password", salt, 4096, 20));
        assertArrayEquals(Hex.bytes("3d2eec4fe41c849b80c8d83662c0e44a8b291a964cf2f07038"),
                SrtKeyWrap.pbkdf2HmacSha1("passwordPASSWORDpassword",
                        "saltSALTsaltSALTsaltSALTsaltSALTsalt".getBytes(StandardCharsets.UTF_8), 4096, 25));
    }

    @Test
    void theKekUsesTheLastEightSaltBytesAnd2048Iterations() {
        byte[] salt = Hex.bytes("00112233445566778899aabbccddeeff");
        byte[] expected = SrtKeyWrap.pbkdf2HmacSha1("passphrase-123", Arrays.copyOfRange(salt, 8, 16), 2048, 32);
        assertArrayEquals(expected, SrtKeyWrap.deriveKek("passphrase-123", salt, 32));
        byte[] other = salt.clone();
        other[0] ^= 1; // the first eight bytes do not enter the KEK
        assertArrayEquals(expected, SrtKeyWrap.deriveKek("passphrase-123", other, 32));
    }
}
