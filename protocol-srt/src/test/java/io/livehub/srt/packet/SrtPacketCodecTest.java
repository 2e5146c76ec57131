package io.livehub.srt.packet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.media.MalformedMediaException;
import io.livehub.srt.Hex;
import io.livehub.srt.handshake.SrtHandshake;
import io.livehub.srt.handshake.SrtHandshakeExtension;
import io.livehub.srt.handshake.SrtHandshakeType;
import io.livehub.srt.handshake.SrtHsFlags;
import io.livehub.srt.handshake.SrtHsMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** Golden vectors of draft-sharabayko-srt section 3, several captured from libsrt 1.5.1. */
class SrtPacketCodecTest {

    private final SrtPacketDecoder decoder = new SrtPacketDecoder(1456);

    /** Induction request sent by srt-live-transmit 1.5.1 (caller). */
    static final String LIBSRT_INDUCTION = ""
            + "80000000" // F=1, type 0 (handshake), subtype 0
            + "00000000" // type-specific information
            + "0000009d" // timestamp 157 us
            + "00000000" // destination socket id 0: a connection request
            + "00000004" // version 4
            + "0000" + "0002" // encryption 0, extension 2 (UDT_DGRAM)
            + "1e082f28" // initial sequence number
            + "000005dc" // MTU 1500
            + "00002000" // flow window 8192
            + "00000001" // handshake type: induction
            + "0500d354" // caller's socket id
            + "00000000" // SYN cookie
            + "0100007f000000000000000000000000"; // peer IP 127.0.0.1, word bytes reversed

    /** Conclusion request of srt-live-transmit 1.5.1 with latency 200 and a stream id. */
    static final String LIBSRT_CONCLUSION = ""
            + "80000000" + "00000000" + "00079055" + "00000000"
            + "00000005" // version 5
            + "0000" + "0005" // encryption 0, extension HSREQ | CONFIG
            + "1e082f28" + "000005dc" + "00002000"
            + "ffffffff" // conclusion
            + "0500d354" + "cafebabe" // socket id, the cookie the listener gave
            + "0100007f000000000000000000000000"
            + "0001" + "0003" // HSREQ, 3 words
            + "00010501" // version 1.5.1
            + "000000bf" // flags TSBPDSND|TSBPDRCV|CRYPT|TLPKTDROP|PERIODICNAK|REXMITFLG|FILTER
            + "00c800c8" // receiver delay 200 ms, sender delay 200 ms
            + "0005" + "0008" // SID, 8 words
            + "3a3a2123696c3d726c2f657673657669616572743d6d2c6d6c62757000687369";

    @Test
    void decodesLibsrtInduction() {
        ByteBuf in = Hex.buf(LIBSRT_INDUCTION);
        SrtHandshake hs = assertInstanceOf(SrtHandshake.class, decoder.decode(in));
        assertEquals(4, hs.version());
        assertEquals(SrtHsFlags.UDT_DGRAM, hs.extensionField());
        assertEquals(0x1e082f28, hs.initialSequence());
        assertEquals(1500, hs.mtu());
        assertEquals(8192, hs.flowWindow());
        assertEquals(SrtHandshakeType.INDUCTION, hs.type());
        assertEquals(0x0500d354, hs.socketId());
        assertEquals(157, hs.timestamp());
        assertEquals(InetAddress.getLoopbackAddress(), hs.peerAddress());
        assertTrue(hs.extensions().isEmpty());
        assertRoundTrip(hs, LIBSRT_INDUCTION);
    }

    @Test
    void decodesLibsrtConclusionWithHsreqAndStreamId() {
        SrtHandshake hs = assertInstanceOf(SrtHandshake.class, decoder.decode(Hex.buf(LIBSRT_CONCLUSION)));
        assertEquals(SrtHandshakeType.CONCLUSION, hs.type());
        assertEquals(0xcafebabe, hs.synCookie());
        SrtHsMessage req = SrtHsMessage.from(hs.extension(SrtHandshakeExtension.HSREQ));
        assertEquals(0x010501, req.version());
        assertEquals(0xbf, req.flags());
        assertTrue(req.has(SrtHsFlags.TSBPDRCV) && req.has(SrtHsFlags.TLPKTDROP));
        assertEquals(200, req.receiverDelayMs());
        assertEquals(200, req.senderDelayMs());
        assertEquals("#!::r=live/livestream,m=publish", hs.streamId());
        assertRoundTrip(hs, LIBSRT_CONCLUSION);
    }

    @Test
    void dataPacketFields() {
        String wire = "00000064" // F=0, sequence 100
                + "e0000007" // PP=11 solo, O=1, KK=00, R=0, message 7
                + "000f4240" // timestamp 1 000 000 us
                + "12345678" // destination socket id
                + "47ff";
        SrtDataPacket p = assertInstanceOf(SrtDataPacket.class, decoder.decode(Hex.buf(wire)));
        try {
            assertEquals(100, p.sequenceNumber());
            assertEquals(SrtDataPacket.POSITION_SOLO, p.position());
            assertTrue(p.inOrder());
            assertEquals(SrtDataPacket.KEY_NONE, p.keyFlags());
            assertFalse(p.retransmitted());
            assertEquals(7, p.messageNumber());
            assertEquals(1_000_000, p.timestamp());
            assertEquals(0x12345678, p.destinationSocketId());
            assertEquals("47ff", Hex.hex(p.content()));
            assertRoundTrip(p, wire);
        } finally {
            p.release();
        }
        String rexmit = "7fffffff" // sequence 2^31-1
                + "cc000001" // PP=11, O=0, KK=01 (even key), R=1, message 1
                + "ffffffff" + "00000001";
        SrtDataPacket r = (SrtDataPacket) decoder.decode(Hex.buf(rexmit));
        try {
            assertEquals(SrtSequence.MAX, r.sequenceNumber());
            assertEquals(SrtDataPacket.KEY_EVEN, r.keyFlags());
            assertTrue(r.retransmitted());
            assertFalse(r.inOrder());
            assertEquals(0, r.content().readableBytes());
            assertRoundTrip(r, rexmit);
        } finally {
            r.release();
        }
    }

    @Test
    void fullAndLightAck() {
        String full = "80020000" // ACK
                + "00000003" // ACK number 3
                + "00000010" + "0000abcd"
                + "00000065" // last acknowledged sequence 101
                + "000186a0" // RTT 100 000 us
                + "0000c350" // RTT variance 50 000 us
                + "00001fff" // available buffer 8191 packets
                + "000003e8" // packet receive rate 1000/s
                + "00002710" // link capacity 10000/s
                + "00142310"; // receive rate 1 319 696 B/s
        SrtAck a = assertInstanceOf(SrtAck.class, decoder.decode(Hex.buf(full)));
        assertEquals(new SrtAck(3, 101, 100_000, 50_000, 8191, 1000, 10_000, 1_319_696, 7, 16, 0xabcd), a);
        assertRoundTrip(a, full);

        String light = "80020000" + "00000000" + "00000010" + "0000abcd" + "00000065";
        SrtAck l = (SrtAck) decoder.decode(Hex.buf(light));
        assertTrue(l.isLight());
        assertEquals(101, l.lastAcknowledgedSequence());
        assertRoundTrip(l, light);

        String small = "80020000" + "00000009" + "00000010" + "0000abcd" + "00000065" + "000186a0" + "0000c350"
                + "00001fff";
        SrtAck s = (SrtAck) decoder.decode(Hex.buf(small));
        assertEquals(4, s.words());
        assertEquals(8191, s.availableBuffer());
        assertRoundTrip(s, small);
    }

    @Test
    void nakWithSingleAndRange() {
        String wire = "80030000" + "00000000" + "00000020" + "00000001"
                + "00000005" // single 5
                + "80000007" + "0000000a" // range 7..10
                + "fffffffe" + "00000001"; // range 2^31-2 .. 1 across the wrap
        SrtNak n = assertInstanceOf(SrtNak.class, decoder.decode(Hex.buf(wire)));
        assertEquals(SrtLossList.ofRanges(5, 5, 7, 10, 0x7ffffffe, 1), n.losses());
        assertEquals(1 + 4 + 4, n.losses().count());
        assertRoundTrip(n, wire);
    }

    @Test
    void smallControlPackets() {
        String ackack = "80060000" + "00000003" + "00000030" + "00000002" + "00000000";
        assertEquals(new SrtAckAck(3, 0x30, 2), decoder.decode(Hex.buf(ackack)));
        assertRoundTrip(new SrtAckAck(3, 0x30, 2), ackack);
        String keepalive = "80010000" + "00000000" + "00000030" + "00000002" + "00000000";
        assertEquals(new SrtKeepalive(0x30, 2), decoder.decode(Hex.buf(keepalive)));
        assertRoundTrip(new SrtKeepalive(0x30, 2), keepalive);
        String shutdown = "80050000" + "00000000" + "00000030" + "00000002" + "00000000";
        assertEquals(new SrtShutdown(0x30, 2), decoder.decode(Hex.buf(shutdown)));
        assertRoundTrip(new SrtShutdown(0x30, 2), shutdown);
        String dropreq = "80070000" + "00000009" + "00000030" + "00000002" + "00000064" + "00000066";
        assertEquals(new SrtDropRequest(9, 100, 102, 0x30, 2), decoder.decode(Hex.buf(dropreq)));
        assertRoundTrip(new SrtDropRequest(9, 100, 102, 0x30, 2), dropreq);
        // Libsrt's empty keep-alive (no CIF) is accepted as well.
        assertEquals(new SrtKeepalive(1, 2), decoder.decode(Hex.buf("80010000000000000000000100000002")));
        assertInstanceOf(SrtOtherControl.class, decoder.decode(Hex.buf("fffff00000000000000000010000000200")));
    }

    @Test
    void rejectsMalformedDatagramsWithMalformedMediaException() {
        String[] bad = {
            "", // empty
            "8000000000000000000000", // shorter than a header
            "80000000000000000000000000000000" + "00000005", // handshake CIF too short
            LIBSRT_CONCLUSION.substring(0, LIBSRT_CONCLUSION.length() - 8), // SID runs past the end
            "80020000000000000000000000000000", // ACK without a sequence number
            "80020000000000000000000000000000" + "80000001", // ACK with a negative sequence
            "80030000000000000000000000000000" + "80000007", // NAK range without its end
            "80030000000000000000000000000000" + "8000000a" + "00000007", // NAK range backwards
            "80030000000000000000000000000000" + "000007", // NAK not whole words
            "80070000000000000000000000000000" + "00000001", // drop request too short
        };
        for (String hex : bad) {
            ByteBuf in = Hex.buf(hex);
            assertThrows(MalformedMediaException.class, () -> decoder.decode(in), hex);
        }
        ByteBuf big = Unpooled.wrappedBuffer(new byte[1457]);
        assertThrows(MalformedMediaException.class, () -> decoder.decode(big));
        // Extension with too many blocks.
        StringBuilder many = new StringBuilder(LIBSRT_INDUCTION);
        for (int i = 0; i <= SrtHandshake.MAX_EXTENSIONS; i++) {
            many.append("00060000");
        }
        assertThrows(MalformedMediaException.class, () -> decoder.decode(Hex.buf(many.toString())));
    }

    @Test
    void fuzzedDatagramsNeverThrowAnythingElse() {
        java.util.Random r = new java.util.Random(42);
        byte[] seed = Hex.bytes(LIBSRT_CONCLUSION);
        for (int i = 0; i < 20_000; i++) {
            byte[] b = java.util.Arrays.copyOf(seed, r.nextInt(seed.length + 20));
            for (int k = 0; k < 4 && b.length > 0; k++) {
                b[r.nextInt(Math.max(1, b.length))] ^= (byte) r.nextInt(256);
            }
            if (b.length > 1 && r.nextBoolean()) {
                b[0] = (byte) (0x80 | r.nextInt(9));
                b[1] = 0;
            }
            try {
                SrtPacket p = decoder.decode(Unpooled.wrappedBuffer(b));
                if (p instanceof SrtDataPacket) {
                    ((SrtDataPacket) p).release();
                } else if (p instanceof SrtHandshake) {
                    ((SrtHandshake) p).streamId();
                }
            } catch (MalformedMediaException expected) {
                // the only allowed failure
            }
        }
    }

    static void assertRoundTrip(SrtPacket p, String hex) {
        ByteBuf out = SrtPacketEncoder.encode(p, ByteBufAllocator.DEFAULT);
        try {
            assertArrayEquals(Hex.bytes(hex), io.netty.buffer.ByteBufUtil.getBytes(out), "encoded " + p);
        } finally {
            out.release();
        }
    }
}
