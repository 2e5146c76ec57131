package io.livehub.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Checks HMAC-SHA256 signing against RFC 4231's test vectors, and verification. */
class HookSignerTest {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void signsRfc4231TestCase2() {
        // RFC 4231 section 4.3: key "Jefe", data "what do ya want for nothing?".
        assertEquals("sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
                new HookSigner("Jefe").sign(utf8("what do ya want for nothing?")));
    }

    @Test
    void signsRfc4231TestCase1() {
        // RFC 4231 section 4.2: key 20 bytes of 0x0b, data "Hi There".
        byte[] key = new byte[20];
        java.util.Arrays.fill(key, (byte) 0x0b);
        assertEquals("sha256=b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
                new HookSigner(key).sign(utf8("Hi There")));
    }

    @Test
    void verifiesOnlyTheExactBodyAndKey() {
        HookSigner signer = new HookSigner("k3y");
        byte[] body = utf8("{\"action\":\"on_publish\"}");
        String sig = signer.sign(body);
        assertTrue(signer.verify(body, sig));
        assertTrue(signer.verify(body, sig.toUpperCase().replace("SHA256=", "sha256=")));
        assertFalse(signer.verify(utf8("{\"action\":\"on_play\"}"), sig));
        assertFalse(new HookSigner("other").verify(body, sig));
        assertFalse(signer.verify(body, null));
        assertFalse(signer.verify(body, "sha256=zz"));
        assertFalse(signer.verify(body, sig.substring(7)));
        assertFalse(signer.toString().contains("k3y"));
    }
}
