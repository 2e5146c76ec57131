package io.livehub.srt.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.livehub.srt.Hex;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class SrtCtrCipherTest {

    static final byte[] SALT = Hex.bytes("a0a1a2a3a4a5a6a7a8a9aaabacadaeaf");

    @Test
    void counterBlockIsTheSaltWithTheSequenceNumberAtBytes10To13AndAZeroBlockCounter() {
        byte[] iv = new byte[16];
        SrtCtrCipher.counterBlock(SALT, 0x12345678, iv);
        // salt[0..9] | salt[10..13] XOR 12 34 56 78 | 00 00 (salt bytes 14 and 15 are not used)
        assertArrayEquals(Hex.bytes("a0a1a2a3a4a5a6a7a8a9 b89ffad5 0000"), iv);
    }

    @Test
    void everyKeyLengthAndOddLengthMatchesTheJdkCtr() throws Exception {
        for (int keyLength : new int[] {16, 24, 32}) {
            byte[] key = new byte[keyLength];
            java.util.Arrays.fill(key, (byte) keyLength);
            for (int len : new int[] {0, 1, 15, 16, 17, 188, 1316, 1456}) {
                byte[] plain = new byte[len];
                new java.util.Random(len).nextBytes(plain);
                byte[] iv = new byte[16];
                SrtCtrCipher.counterBlock(SALT, 0x7FFFFFFF, iv);
                Cipher ctr = Cipher.getInstance("AES/CTR/NoPadding");
                ctr.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new javax.crypto.spec.IvParameterSpec(iv));
                byte[] expected = len == 0 ? new byte[0] : ctr.doFinal(plain);
                byte[] buf = new byte[len];
                new SrtCtrCipher(key, SALT).apply(0x7FFFFFFF, plain, 0, len, buf, 0);
                assertArrayEquals(expected, buf, "key " + keyLength + ", length " + len);
            }
        }
    }

    @Test
    void encryptsAsAesEcbKeystreamOverSuccessiveCounterBlocks() throws Exception {
        byte[] key = Hex.bytes("000102030405060708090a0b0c0d0e0f");
        byte[] plain = new byte[1316];
        for (int i = 0; i < plain.length; i++) {
            plain[i] = (byte) i;
        }
        byte[] out = new byte[plain.length];
        new SrtCtrCipher(key, SALT).apply(77, plain, 0, plain.length, out, 0);

        // An independent computation: E(K, counter block + n) XOR plaintext.
        Cipher ecb = Cipher.getInstance("AES/ECB/NoPadding");
        ecb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
        byte[] block = new byte[16];
        SrtCtrCipher.counterBlock(SALT, 77, block);
        byte[] expected = new byte[plain.length];
        for (int off = 0, n = 0; off < plain.length; off += 16, n++) {
            byte[] ctr = block.clone();
            ctr[14] = (byte) (n >>> 8);
            ctr[15] = (byte) n;
            byte[] ks = ecb.doFinal(ctr);
            for (int i = 0; i < 16 && off + i < plain.length; i++) {
                expected[off + i] = (byte) (plain[off + i] ^ ks[i]);
            }
        }
        assertArrayEquals(expected, out);

        // And the JDK's own AES-CTR from the same counter block gives the same bytes.
        Cipher ctr = Cipher.getInstance("AES/CTR/NoPadding");
        ctr.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new javax.crypto.spec.IvParameterSpec(block));
        assertArrayEquals(ctr.doFinal(plain), out);

        byte[] back = new byte[plain.length];
        new SrtCtrCipher(key, SALT).apply(77, out, 0, out.length, back, 0);
        assertArrayEquals(plain, back);
        byte[] otherSeq = new byte[plain.length];
        new SrtCtrCipher(key, SALT).apply(78, plain, 0, plain.length, otherSeq, 0);
        assertFalse(java.util.Arrays.equals(out, otherSeq), "the sequence number changes the keystream");
    }
}
