package io.livehub.webrtc.srtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** AEAD_AES_128_GCM with the RFC 7714 section 16 (SRTP) and 17 (SRTCP) vectors. */
class SrtpGcmTest {

    private static final UnpooledByteBufAllocator ALLOC = UnpooledByteBufAllocator.DEFAULT;
    private static final byte[] KEY = hex("000102030405060708090a0b0c0d0e0f");
    private static final byte[] SALT = hex("517569642070726f2071756f"); // "Quid pro quo"

    /** Section 16.1: SSRC 0x5501a0b2, sequence number 0xf17b, ROC 0; "Gallia est omnis divisa in partes tres". */
    private static final String RTP = "8040f17b 8041f8d3 5501a0b2"
            + "47616c6c 69612065 7374206f 6d6e6973 20646976 69736120 696e2070 61727465 73207472 6573";
    private static final String SRTP = "8040f17b 8041f8d3 5501a0b2"
            + "f24de3a3 fb34de6c acba861c 9d7e4bca be633bd5 0d294e6f 42a5f47a 51c7d19b 36de3adf 8833" // ciphertext
            + "899d7f27 beb16a91 52cf765e e4390cce"; // tag

    /** Section 17.1: a sender report of SSRC "Mars", SRTCP index 0x5d4. */
    private static final String RTCP = "81c8000d 4d617273"
            + "4e545031 4e545032 52545020 0000042a 0000e930 4c756e61 deadbeef deadbeef deadbeef deadbeef deadbeef";
    private static final String SRTCP = "81c8000d 4d617273"
            + "63e94885 dcdab67c a727d766 2f6b7e99 7ff5c0f7 6c06f32d c676a5f1 730d6fda 4ce09b46 86303ded 0bb9275b"
            + "c84aa458 96cf4d2f c5abf872 45d9eade" // tag
            + "800005d4"; // E flag and index

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    private static SrtpContext vectorContext() {
        return new SrtpContext(SrtpProfile.AEAD_AES_128_GCM, KEY, new byte[0], SALT, KEY, new byte[0], SALT, 4);
    }

    @Test
    void protectsAndUnprotectsTheSection16Packet() {
        ByteBuf rtp = Unpooled.wrappedBuffer(hex(RTP));
        ByteBuf out = vectorContext().protectRtp(rtp, ALLOC);
        assertEquals(SRTP.replace(" ", ""), ByteBufUtil.hexDump(out));
        ByteBuf back = vectorContext().unprotectRtp(out, ALLOC);
        assertEquals(RTP.replace(" ", ""), ByteBufUtil.hexDump(back));
        out.setByte(20, out.getByte(20) ^ 1);
        SrtpContext c = vectorContext();
        assertNull(c.unprotectRtp(out, ALLOC), "a changed ciphertext fails the tag");
        assertEquals(1, c.authFailures());
        out.release();
        back.release();
    }

    @Test
    void protectsAndUnprotectsTheSection17Packet() {
        SrtpContext sender = vectorContext();
        sender.rtcpIndex(0x4d617273, 0x5d4);
        ByteBuf out = sender.protectRtcp(Unpooled.wrappedBuffer(hex(RTCP)), ALLOC);
        assertEquals(SRTCP.replace(" ", ""), ByteBufUtil.hexDump(out));
        ByteBuf back = vectorContext().unprotectRtcp(out, ALLOC);
        assertNotNull(back);
        assertEquals(RTCP.replace(" ", ""), ByteBufUtil.hexDump(back));
        out.release();
        back.release();
    }

    @Test
    void roundTripsWithDerivedKeys() {
        byte[] masterSalt = hex("0102030405060708090a0b0c");
        SrtpContext a = new SrtpContext(SrtpProfile.AEAD_AES_128_GCM, KEY, masterSalt, 4);
        SrtpContext b = new SrtpContext(SrtpProfile.AEAD_AES_128_GCM, KEY, masterSalt, 4);
        ByteBuf rtp = Unpooled.wrappedBuffer(hex(RTP));
        ByteBuf p = a.protectRtp(rtp, ALLOC);
        assertEquals(rtp.readableBytes() + 16, p.readableBytes());
        ByteBuf back = b.unprotectRtp(p, ALLOC);
        assertEquals(ByteBufUtil.hexDump(rtp), ByteBufUtil.hexDump(back));
        assertNull(b.unprotectRtp(p, ALLOC), "replay");
        ByteBuf rtcp = Unpooled.wrappedBuffer(hex(RTCP));
        ByteBuf pr = a.protectRtcp(rtcp, ALLOC);
        ByteBuf rtcpBack = b.unprotectRtcp(pr, ALLOC);
        assertEquals(ByteBufUtil.hexDump(rtcp), ByteBufUtil.hexDump(rtcpBack));
        p.release();
        back.release();
        pr.release();
        rtcpBack.release();
    }
}
