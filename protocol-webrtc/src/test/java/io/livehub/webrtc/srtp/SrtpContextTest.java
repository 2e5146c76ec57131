package io.livehub.webrtc.srtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** RFC 3711 appendix B vectors, and protect/unprotect both ways with rollover and replay. */
class SrtpContextTest {

    private static final UnpooledByteBufAllocator ALLOC = UnpooledByteBufAllocator.DEFAULT;

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    /** RFC 3711 appendix B.3: key derivation from one master key and salt. */
    @Test
    void derivesTheAppendixB3Keys() {
        byte[] key = hex("E1F97A0D3E018BE0D64FA32C06DE4139");
        byte[] salt = hex("0EC675AD498AFEEBB6960B3AABE6");
        assertArrayEquals(hex("C61E7A93744F39EE10734AFE3FF7A087"),
                SrtpKeyDerivation.derive(key, salt, SrtpKeyDerivation.RTP_ENCRYPTION, 16));
        assertArrayEquals(hex("30CBBC08863D8C85D49DB34A9AE1"),
                SrtpKeyDerivation.derive(key, salt, SrtpKeyDerivation.RTP_SALT, 14));
        assertArrayEquals(hex("CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4"),
                SrtpKeyDerivation.derive(key, salt, SrtpKeyDerivation.RTP_AUTHENTICATION, 20));
    }

    /** RFC 3711 appendix B.2: the AES-CM keystream of SSRC 0, index 0. */
    @Test
    void producesTheAppendixB2Keystream() throws Exception {
        byte[] data = new byte[48];
        SrtpContext.aesCm(Cipher.getInstance("AES/CTR/NoPadding"), new byte[16],
                new SecretKeySpec(hex("2B7E151628AED2A6ABF7158809CF4F3C"), "AES"),
                hex("F0F1F2F3F4F5F6F7F8F9FAFBFCFD"), 0, 0, data, 0, data.length);
        assertArrayEquals(hex("E03EAD0935C95E80E166B16DD92B4EB4"
                + "D23513162B02D0F72A43A2FE4A5F97AB"
                + "41E95B3BB0A2E8DD477901E4FCA894C0"), data);
    }

    private static SrtpContext context() {
        return new SrtpContext(SrtpProfile.AES_CM_128_HMAC_SHA1_80, hex("E1F97A0D3E018BE0D64FA32C06DE4139"),
                hex("0EC675AD498AFEEBB6960B3AABE6"), 4);
    }

    private static ByteBuf rtp(int seq) {
        ByteBuf b = Unpooled.buffer();
        b.writeByte(0x80).writeByte(96).writeShort(seq).writeInt(seq * 3000).writeInt(0xCAFEBABE);
        for (int i = 0; i < 100; i++) {
            b.writeByte(seq + i);
        }
        return b;
    }

    @Test
    void rtpRoundTripsAcrossTheSequenceWrapAndRefusesReplays() {
        SrtpContext sender = context();
        SrtpContext receiver = context();
        for (int n = 65530; n < 65546; n++) {
            int seq = n & 0xFFFF;
            ByteBuf plain = rtp(seq);
            ByteBuf protectedPacket = sender.protectRtp(plain, ALLOC);
            assertEquals(plain.readableBytes() + 10, protectedPacket.readableBytes());
            // The header stays in the clear, the payload does not.
            assertEquals(ByteBufUtil.hexDump(plain, 0, 12), ByteBufUtil.hexDump(protectedPacket, 0, 12));
            ByteBuf back = receiver.unprotectRtp(protectedPacket, ALLOC);
            assertNotNull(back, "packet " + seq);
            assertEquals(ByteBufUtil.hexDump(plain), ByteBufUtil.hexDump(back));
            assertNull(receiver.unprotectRtp(protectedPacket, ALLOC), "replay of " + seq);
            plain.release();
            back.release();
            protectedPacket.release();
        }
        assertEquals(16, receiver.replays());
    }

    @Test
    void refusesATamperedPacket() {
        SrtpContext sender = context();
        SrtpContext receiver = context();
        ByteBuf plain = rtp(7);
        ByteBuf p = sender.protectRtp(plain, ALLOC);
        p.setByte(20, p.getByte(20) ^ 1);
        assertNull(receiver.unprotectRtp(p, ALLOC));
        assertEquals(1, receiver.authFailures());
        plain.release();
        p.release();
    }

    @Test
    void rtcpRoundTrips() {
        SrtpContext sender = context();
        SrtpContext receiver = context();
        ByteBuf rr = Unpooled.wrappedBuffer(hex("81c90007 00000001 cafebabe 00000000 0000ffff 00000000 00000000 00000000"));
        ByteBuf p = sender.protectRtcp(rr, ALLOC);
        assertEquals(rr.readableBytes() + 14, p.readableBytes());
        assertEquals(0x80000000, p.getInt(rr.readableBytes()), "E flag, index 0");
        ByteBuf back = receiver.unprotectRtcp(p, ALLOC);
        assertEquals(ByteBufUtil.hexDump(rr), ByteBufUtil.hexDump(back));
        assertNull(receiver.unprotectRtcp(p, ALLOC), "replay");
        back.release();
        p.release();
    }

    @Test
    void replayWindowSlides() {
        SrtpReplayWindow w = new SrtpReplayWindow();
        w.update(100);
        assertEquals(false, w.check(100));
        assertEquals(true, w.check(99));
        w.update(99);
        assertEquals(false, w.check(99));
        w.update(200);
        assertEquals(false, w.check(100), "too old");
        assertEquals(true, w.check(150));
    }
}
