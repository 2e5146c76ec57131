package io.livehub.srt.handshake;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.livehub.media.MalformedMediaException;
import io.livehub.srt.Hex;
import org.junit.jupiter.api.Test;

class SrtHandshakeExtensionTest {

    @Test
    void streamIdPacksWordsLittleEndian() {
        SrtHandshakeExtension e = SrtStreamIdExtension.encode("#!::r=a");
        // "#!::" -> "::!#", "r=a\0" -> "\0a=r"
        assertArrayEquals(Hex.bytes("3a3a2123 00613d72"), e.content());
        assertEquals("#!::r=a", SrtStreamIdExtension.decode(e));
        assertEquals("", SrtStreamIdExtension.decode(SrtStreamIdExtension.encode("")));
        assertEquals("abcd", SrtStreamIdExtension.decode(SrtStreamIdExtension.encode("abcd")));
        assertEquals("é/ü", SrtStreamIdExtension.decode(SrtStreamIdExtension.encode("é/ü")));
        assertThrows(IllegalArgumentException.class, () -> SrtStreamIdExtension.encode("x".repeat(513)));
        assertThrows(MalformedMediaException.class,
                () -> SrtStreamIdExtension.decode(new SrtHandshakeExtension(SrtHandshakeExtension.SID, new byte[516])));
    }

    @Test
    void hsMessageLayout() {
        SrtHsMessage m = new SrtHsMessage(0x010500, 0x3f, 120, 200);
        SrtHandshakeExtension e = m.toExtension(SrtHandshakeExtension.HSRSP);
        assertArrayEquals(Hex.bytes("00010500 0000003f 007800c8"), e.content());
        assertEquals(m, SrtHsMessage.from(e));
        assertThrows(MalformedMediaException.class,
                () -> SrtHsMessage.from(new SrtHandshakeExtension(SrtHandshakeExtension.HSREQ, new byte[8])));
    }

    @Test
    void keyMaterialLayout() {
        byte[] salt = Hex.bytes("000102030405060708090a0b0c0d0e0f");
        byte[] wrapped = new byte[8 + 16];
        wrapped[0] = (byte) 0xa6;
        SrtKeyMaterial km = new SrtKeyMaterial(SrtKeyMaterial.KEY_EVEN, SrtKeyMaterial.CIPHER_AES_CTR, salt, 16, wrapped);
        SrtHandshakeExtension e = km.toExtension(SrtHandshakeExtension.KMREQ);
        assertArrayEquals(Hex.bytes("12202901" // S=0 V=1 PT=2, sign 0x2029, KK=01
                + "00000000" // KEKI
                + "02000200" // cipher AES-CTR, auth 0, SE 2, reserved
                + "00000404" // reserved, salt 16/4, key 16/4
                + "000102030405060708090a0b0c0d0e0f"
                + "a6000000000000000000000000000000" + "0000000000000000"), e.content());
        assertEquals(km, SrtKeyMaterial.from(e));
        assertEquals(-1, SrtKeyMaterial.errorState(e));
        assertEquals(SrtKeyMaterial.STATE_BADSECRET,
                SrtKeyMaterial.errorState(SrtKeyMaterial.errorResponse(SrtKeyMaterial.STATE_BADSECRET)));
        byte[] truncated = java.util.Arrays.copyOf(e.content(), 40);
        assertThrows(MalformedMediaException.class,
                () -> SrtKeyMaterial.from(new SrtHandshakeExtension(SrtHandshakeExtension.KMREQ, truncated)));
    }

    @Test
    void rejectionTypes() {
        assertEquals(1010, SrtHandshakeType.rejection(SrtRejectReason.BADSECRET.code()));
        assertEquals(2403, SrtHandshakeType.rejection(SrtRejectReason.FORBIDDEN.code()));
        assertEquals("REJECT(FORBIDDEN (1403))", SrtHandshakeType.name(2403));
        assertEquals("USER 2001", SrtRejectReason.describe(2001));
    }
}
