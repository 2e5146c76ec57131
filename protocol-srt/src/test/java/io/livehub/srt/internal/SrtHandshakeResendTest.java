package io.livehub.srt.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.srt.SrtAcceptDecision;
import io.livehub.srt.SrtConfig;
import io.livehub.srt.SrtConnection;
import io.livehub.srt.SrtConnectionHandler;
import io.livehub.srt.handshake.SrtHandshake;
import io.livehub.srt.handshake.SrtHandshakeExtension;
import io.livehub.srt.handshake.SrtHandshakeType;
import io.livehub.srt.handshake.SrtHsFlags;
import io.livehub.srt.handshake.SrtHsMessage;
import io.livehub.srt.packet.SrtPacket;
import io.livehub.srt.packet.SrtPacketDecoder;
import io.livehub.srt.packet.SrtPacketEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A repeated handshake carries the time it is sent at (draft-sharabayko-srt section 4.3.1,
 * section 4.5): the peer derives its TSBPD time base from the timestamp of the handshake it
 * accepts, so a repeat with the first one's timestamp would make every packet look older by the
 * resend delay. Found by SrtLossTest: when the relay lost the first conclusion, libsrt dropped
 * packets as too late in the stream's first 200 ms.
 */
class SrtHandshakeResendTest {

    static final InetSocketAddress PEER = new InetSocketAddress(InetAddress.getLoopbackAddress(), 4000);
    static final InetSocketAddress LOCAL = new InetSocketAddress(InetAddress.getLoopbackAddress(), 10080);
    static final SrtPacketDecoder DECODER = new SrtPacketDecoder(1472);

    /** Returns the next handshake the endpoint sent, skipping other packets (ACKs of the new connection). */
    static SrtHandshake next(EmbeddedChannel ch) {
        ch.flush();
        for (DatagramPacket d; (d = ch.readOutbound()) != null; ) {
            try {
                SrtPacket p = DECODER.decode(d.content());
                ReferenceCountUtil.release(p);
                if (p instanceof SrtHandshake) {
                    return (SrtHandshake) p;
                }
            } finally {
                d.release();
            }
        }
        throw new AssertionError("no handshake sent");
    }

    static DatagramPacket datagram(SrtHandshake h) {
        return new DatagramPacket(SrtPacketEncoder.encode(h, UnpooledByteBufAllocator.DEFAULT), LOCAL, PEER);
    }

    @Test
    void theListenerAnswersARepeatedConclusionWithAFreshTimestamp() throws Exception {
        SrtConnectionHandler handler = new SrtConnectionHandler() {
            @Override
            public void onPayload(SrtConnection c, ByteBuf payload) {
            }
        };
        EmbeddedChannel ch = new EmbeddedChannel(new SrtEndpoint(SrtConfig.defaults(),
                req -> CompletableFuture.completedFuture(SrtAcceptDecision.accept(handler))));
        try {
            ch.writeInbound(datagram(new SrtHandshake(4, 0, SrtHsFlags.UDT_DGRAM, 100, 1500, 8192,
                    SrtHandshakeType.INDUCTION, 77, 0, LOCAL.getAddress(), List.of(), 0, 0)));
            int cookie = next(ch).synCookie();
            SrtHandshakeExtension hsreq = new SrtHsMessage(SrtHsMessage.VERSION_1_5_0,
                    SrtHsFlags.TSBPDSND | SrtHsFlags.TSBPDRCV, 120, 120).toExtension(SrtHandshakeExtension.HSREQ);
            SrtHandshake conclusion = new SrtHandshake(5, 0, SrtHsFlags.EXT_HSREQ, 100, 1500, 8192,
                    SrtHandshakeType.CONCLUSION, 77, cookie, LOCAL.getAddress(), List.of(hsreq), 1000, 0);
            ch.writeInbound(datagram(conclusion));
            ch.runPendingTasks();
            SrtHandshake first = next(ch);
            assertEquals(SrtHandshakeType.CONCLUSION, first.type());
            Thread.sleep(300); // the caller repeats its conclusion after 250 ms when no answer came
            ch.writeInbound(datagram(conclusion));
            SrtHandshake again = next(ch);
            assertEquals(first.socketId(), again.socketId());
            long later = Integer.toUnsignedLong(again.timestamp()) - Integer.toUnsignedLong(first.timestamp());
            assertTrue(later >= 300_000, "the repeat is stamped " + later + " us after the first");
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void theCallerRepeatsItsConclusionWithAFreshTimestamp() throws Exception {
        SrtEndpoint endpoint = new SrtEndpoint(SrtConfig.defaults(), null);
        EmbeddedChannel ch = new EmbeddedChannel(endpoint);
        try {
            endpoint.connect(PEER, "sid", new SrtConnectionHandler() {
                @Override
                public void onPayload(SrtConnection c, ByteBuf payload) {
                }
            }, ch.eventLoop().newPromise());
            SrtHandshake induction = next(ch);
            ch.writeInbound(new DatagramPacket(SrtPacketEncoder.encode(new SrtHandshake(5, 0, SrtHsFlags.SRT_MAGIC,
                    induction.initialSequence(), 1500, 8192, SrtHandshakeType.INDUCTION, 55, 0xCAFE,
                    LOCAL.getAddress(), List.of(), 0, induction.socketId()), UnpooledByteBufAllocator.DEFAULT),
                    PEER, PEER));
            SrtHandshake first = next(ch);
            while (first.type() == SrtHandshakeType.INDUCTION) {
                first = next(ch); // a repeated induction queued before the answer came
            }
            assertEquals(SrtHandshakeType.CONCLUSION, first.type(), first.toString());
            Thread.sleep(300); // longer than the 250 ms resend interval
            ch.advanceTimeBy(300, java.util.concurrent.TimeUnit.MILLISECONDS);
            ch.runScheduledPendingTasks();
            SrtHandshake again = next(ch);
            assertEquals(SrtHandshakeType.CONCLUSION, again.type(), again.toString());
            long later = Integer.toUnsignedLong(again.timestamp()) - Integer.toUnsignedLong(first.timestamp());
            assertTrue(later >= 250_000, "the repeat is stamped " + later + " us after the first");
        } finally {
            ch.finishAndReleaseAll();
        }
    }
}
