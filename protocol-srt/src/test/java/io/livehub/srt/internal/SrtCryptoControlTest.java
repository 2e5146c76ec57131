package io.livehub.srt.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.srt.SrtConfig;
import io.livehub.srt.handshake.SrtHandshakeExtension;
import io.livehub.srt.handshake.SrtKeyMaterial;
import io.livehub.srt.handshake.SrtRejectReason;
import io.livehub.srt.packet.SrtDataPacket;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SrtCryptoControlTest {

    static final String SECRET = "a passphrase of some length";

    @Test
    void keyMaterialRoundTripsForEveryKeyLength() throws Exception {
        for (int len : new int[] {16, 24, 32}) {
            SrtCryptoControl.Keys made = SrtCryptoControl.generate(SECRET, len);
            SrtKeyMaterial km = SrtKeyMaterial.from(new SrtHandshakeExtension(SrtHandshakeExtension.KMREQ,
                    made.message()));
            assertEquals(SrtKeyMaterial.KEY_EVEN, km.keyFlags());
            assertEquals(SrtKeyMaterial.CIPHER_AES_CTR, km.cipher());
            assertEquals(len, km.keyLength());
            assertEquals(16 + 16 + 8 + len, made.message().length);
            SrtCryptoControl.Keys got = SrtCryptoControl.unwrap(SECRET, made.message());
            assertArrayEquals(made.even(), got.even());
            assertArrayEquals(made.salt(), got.salt());
            assertArrayEquals(made.kek(), got.kek());
            assertNull(got.odd());
        }
    }

    @Test
    void aWrongPassphraseIsBadSecretAndGarbageIsUnsecure() {
        byte[] msg = SrtCryptoControl.generate(SECRET, 16).message();
        SrtCryptoControl.KeyMaterialException e = assertThrows(SrtCryptoControl.KeyMaterialException.class,
                () -> SrtCryptoControl.unwrap("another passphrase", msg));
        assertEquals(SrtRejectReason.BADSECRET.code(), e.rejectCode);

        byte[] flipped = msg.clone();
        flipped[msg.length - 1] ^= 1; // the wrapped key: the RFC 3394 integrity check fails
        assertEquals(SrtRejectReason.BADSECRET.code(), assertThrows(SrtCryptoControl.KeyMaterialException.class,
                () -> SrtCryptoControl.unwrap(SECRET, flipped)).rejectCode);

        for (byte[] garbage : new byte[][] {
            Arrays.copyOf(msg, 12), // shorter than the KM header
            Arrays.copyOf(msg, 40), // shorter than its keys
            withByte(msg, 15, 5), // key length 20 bytes
            withByte(msg, 14, 2), // salt of 8 bytes
            withByte(msg, 3, 0), // no key flags
            withByte(msg, 0, 0x13), // version 1, packet type 3
            withByte(msg, 8, 1), // cipher AES-ECB
        }) {
            SrtCryptoControl.KeyMaterialException g = assertThrows(SrtCryptoControl.KeyMaterialException.class,
                    () -> SrtCryptoControl.unwrap(SECRET, garbage));
            assertEquals(SrtRejectReason.UNSECURE.code(), g.rejectCode, g.getMessage());
        }
    }

    private static byte[] withByte(byte[] b, int at, int value) {
        byte[] c = b.clone();
        c[at] = (byte) value;
        return c;
    }

    @Test
    void keysAreRefreshedAnnouncedConfirmedSwitchedAndRetired() throws Exception {
        SrtConfig config = SrtConfig.builder().passphrase(SECRET).kmRefreshRate(20).kmPreAnnounce(5).build();
        SrtCryptoControl.Keys keys = SrtCryptoControl.generate(SECRET, 16);
        AtomicLong switches = new AtomicLong();
        SrtCryptoControl sender = new SrtCryptoControl(config, keys, switches);
        SrtCryptoControl receiver = new SrtCryptoControl(config, SrtCryptoControl.unwrap(SECRET, keys.message()),
                new AtomicLong());
        int announcements = 0;
        int lastFlags = SrtDataPacket.KEY_EVEN;
        int flips = 0;
        for (int seq = 0; seq < 200; seq++) {
            byte[] plain = ("payload " + seq).getBytes();
            ByteBuf wire = sender.encrypt(seq, Unpooled.wrappedBuffer(plain), ByteBufAllocator.DEFAULT);
            int kk = sender.keyFlags(seq);
            if (kk != lastFlags) {
                flips++;
                lastFlags = kk;
            }
            assertFalse(Arrays.equals(plain, bytes(wire)));
            assertTrue(receiver.decrypt(seq, kk, wire));
            assertArrayEquals(plain, bytes(wire), "packet " + seq);
            wire.release();
            // An ACK per packet; the announcement goes to the receiver, its echo comes back.
            sender.onAck();
            byte[] km = sender.kmRequestDue(seq * 1_000_000_000L + 1, 1000);
            if (km != null) {
                announcements++;
                SrtKeyMaterial m = SrtKeyMaterial.from(new SrtHandshakeExtension(SrtHandshakeExtension.KMREQ, km));
                assertEquals(SrtKeyMaterial.KEY_BOTH, m.keyFlags(), "a refresh announces both keys");
                byte[] echo = receiver.onKmRequest(km, "test");
                assertNotNull(echo);
                sender.onKmResponse(echo, "test");
            }
        }
        assertTrue(switches.get() >= 8, "switches " + switches.get());
        assertEquals(switches.get(), flips);
        assertTrue(announcements >= switches.get(), "announcements " + announcements);
        assertEquals(0, receiver.undecryptable());
    }

    @Test
    void anUnconfirmedAnnouncementIsRepeatedTenTimesAndABadOneIsNotAnswered() {
        SrtConfig config = SrtConfig.builder().passphrase(SECRET).kmRefreshRate(20).kmPreAnnounce(5).build();
        SrtCryptoControl sender = new SrtCryptoControl(config, SrtCryptoControl.generate(SECRET, 16), new AtomicLong());
        for (int seq = 0; seq < 16; seq++) {
            sender.encrypt(seq, Unpooled.wrappedBuffer(new byte[10]), ByteBufAllocator.DEFAULT).release();
        }
        sender.onAck();
        int sent = 0;
        for (long t = 1; t < 100; t++) {
            if (sender.kmRequestDue(t * 1_000_000_000L, 1000) != null) {
                sent++;
            }
        }
        assertEquals(1 + SrtCryptoControl.MAX_KM_RETRIES, sent);

        SrtCryptoControl other = new SrtCryptoControl(SrtConfig.builder().passphrase("some other passphrase").build(),
                SrtCryptoControl.generate("some other passphrase", 16), new AtomicLong());
        assertNull(other.onKmRequest(SrtCryptoControl.generate(SECRET, 16).message(), "test"));
        assertNull(other.onKmRequest(new byte[8], "test"));
        // A packet under a key that never arrived is dropped, not decrypted with garbage.
        ByteBuf b = Unpooled.wrappedBuffer(new byte[10]);
        assertFalse(other.decrypt(1, SrtDataPacket.KEY_ODD, b));
        b.release();
        assertEquals(1, other.undecryptable());
    }

    private static byte[] bytes(ByteBuf b) {
        byte[] out = new byte[b.readableBytes()];
        b.getBytes(b.readerIndex(), out);
        return out;
    }
}
