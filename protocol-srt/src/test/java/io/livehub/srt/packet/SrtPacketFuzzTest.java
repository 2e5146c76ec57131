package io.livehub.srt.packet;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.livehub.media.MalformedMediaException;
import io.livehub.srt.handshake.SrtHandshake;
import io.livehub.srt.handshake.SrtHandshakeExtension;
import io.livehub.srt.handshake.SrtHsMessage;
import io.livehub.srt.handshake.SrtKeyMaterial;
import io.livehub.srt.handshake.SrtStreamIdExtension;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.Arrays;

/**
 * Fuzzes what SRT reads from the network: {@link SrtPacketDecoder} on whole datagrams, the
 * handshake with its extension blocks ({@link SrtHsMessage}, {@link SrtStreamIdExtension},
 * {@link SrtKeyMaterial}), and the compressed loss list of a NAK ({@link SrtLossList}).
 *
 * <p>Only {@link MalformedMediaException} may escape a decoder. Whatever decodes must encode
 * and decode again to the same value, and every buffer must be released.
 *
 * <p>Seeds live in {@code SrtPacketFuzzTestInputs/<method>/} and run as regression tests in a
 * plain {@code mvn test}; set {@code JAZZER_FUZZ=1} to fuzz.
 */
class SrtPacketFuzzTest {

    private static final SrtPacketDecoder DECODER = new SrtPacketDecoder(1500 - 28);

    @FuzzTest(maxDuration = "60s")
    void decode(byte[] datagram) {
        ByteBuf in = Unpooled.wrappedBuffer(datagram);
        SrtPacket p;
        try {
            p = DECODER.decode(in);
        } catch (MalformedMediaException expected) {
            check(in.refCnt() == 1, "input released or retained on error: " + in.refCnt());
            in.release();
            return;
        }
        try {
            check(!in.isReadable(), "decoder left " + in.readableBytes() + " bytes unread");
            if (p instanceof SrtHandshake) {
                extensions((SrtHandshake) p);
            }
            ByteBuf out = SrtPacketEncoder.encode(p, UnpooledByteBufAllocator.DEFAULT);
            SrtPacket again;
            try {
                again = DECODER.decode(out);
            } finally {
                out.release();
            }
            try {
                check(same(p, again), "round trip changed " + p + " into " + again);
            } finally {
                if (again instanceof SrtDataPacket) {
                    ((SrtDataPacket) again).release();
                }
            }
        } finally {
            if (p instanceof SrtDataPacket) {
                ((SrtDataPacket) p).release();
            }
        }
        check(in.release(), "the datagram is still referenced after its packet was released");
    }

    @FuzzTest(maxDuration = "30s")
    void lossList(byte[] cif) {
        SrtLossList l;
        try {
            l = SrtLossList.decode(Unpooled.wrappedBuffer(cif), 64);
        } catch (MalformedMediaException expected) {
            return;
        }
        check(l.rangeCount() <= 64, "more ranges than the limit: " + l.rangeCount());
        ByteBuf out = Unpooled.buffer(l.encodedLength());
        l.encode(out);
        check(out.readableBytes() == l.encodedLength(), "encodedLength " + l.encodedLength() + " but wrote "
                + out.readableBytes());
        check(out.readableBytes() <= cif.length, "the encoding grew: " + out.readableBytes() + " > " + cif.length);
        SrtLossList again = SrtLossList.decode(out, 64);
        check(l.equals(again), "round trip changed " + l + " into " + again);
        long count = 0;
        for (int r = 0; r < l.rangeCount(); r++) {
            int off = SrtSequence.offset(l.first(r), l.last(r));
            check(off >= 0 && l.first(r) >= 0 && l.last(r) >= 0, "bad range " + l.first(r) + ".." + l.last(r));
            count += off + 1L;
        }
        check(count == l.count(), "count " + l.count() + " but ranges hold " + count);
    }

    /** Reads every extension the listener or caller reads, and checks that each one re-encodes. */
    private static void extensions(SrtHandshake hs) {
        hs.toString();
        for (SrtHandshakeExtension e : hs.extensions()) {
            try {
                switch (e.type()) {
                    case SrtHandshakeExtension.HSREQ, SrtHandshakeExtension.HSRSP -> {
                        SrtHsMessage m = SrtHsMessage.from(e);
                        check(m.equals(SrtHsMessage.from(m.toExtension(e.type()))), "HS message round trip " + m);
                    }
                    case SrtHandshakeExtension.SID -> {
                        String sid = hs.streamId();
                        if (sid.indexOf('\uFFFD') < 0 && sid.indexOf('\0') < 0) {
                            check(sid.equals(SrtStreamIdExtension.decode(SrtStreamIdExtension.encode(sid))),
                                    "stream id round trip " + sid);
                        }
                    }
                    case SrtHandshakeExtension.KMREQ, SrtHandshakeExtension.KMRSP -> {
                        if (SrtKeyMaterial.errorState(e) < 0) {
                            SrtKeyMaterial km = SrtKeyMaterial.from(e);
                            check(km.equals(SrtKeyMaterial.from(km.toExtension(e.type()))), "KM round trip " + km);
                        }
                    }
                    default -> {
                    }
                }
            } catch (MalformedMediaException expected) {
                // the handshake would be rejected
            }
        }
    }

    private static boolean same(SrtPacket a, SrtPacket b) {
        if (a instanceof SrtDataPacket && b instanceof SrtDataPacket) {
            SrtDataPacket x = (SrtDataPacket) a;
            SrtDataPacket y = (SrtDataPacket) b;
            return x.sequenceNumber() == y.sequenceNumber() && x.position() == y.position()
                    && x.inOrder() == y.inOrder() && x.keyFlags() == y.keyFlags()
                    && x.retransmitted() == y.retransmitted() && x.messageNumber() == y.messageNumber()
                    && x.timestamp() == y.timestamp() && x.destinationSocketId() == y.destinationSocketId()
                    && Arrays.equals(ByteBufUtil.getBytes(x.content()), ByteBufUtil.getBytes(y.content()));
        }
        return a.equals(b);
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }
}
