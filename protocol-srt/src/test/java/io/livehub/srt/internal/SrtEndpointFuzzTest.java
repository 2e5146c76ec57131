package io.livehub.srt.internal;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.livehub.srt.SrtAcceptDecision;
import io.livehub.srt.SrtConfig;
import io.livehub.srt.SrtConnection;
import io.livehub.srt.SrtConnectionHandler;
import io.livehub.srt.handshake.SrtHandshake;
import io.livehub.srt.handshake.SrtHandshakeType;
import io.livehub.srt.handshake.SrtHsFlags;
import io.livehub.srt.packet.SrtPacket;
import io.livehub.srt.packet.SrtPacketDecoder;
import io.livehub.srt.packet.SrtPacketEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Fuzzes the listener side of the handshake as a caller drives it (draft-sharabayko-srt
 * section 4.3.1): {@link SrtEndpoint} in an {@link EmbeddedChannel} answers an induction, then
 * gets the fuzzed datagram with the SYN cookie it issued patched in when the datagram is a
 * handshake, so conclusions reach the HSREQ, SID and KMREQ handling and, when accepted, the
 * connection; then a second fuzzed datagram addressed to whatever socket the answer named.
 *
 * <p>Input: two bytes (big-endian) give the length of the first datagram, which follows; the
 * rest, when there is any, is the second datagram.
 * Nothing but a dropped datagram may come of bad input: no exception reaches the pipeline and
 * every buffer is released.
 *
 * <p>Seeds live in {@code SrtEndpointFuzzTestInputs/handshake/} and run as regression tests in a
 * plain {@code mvn test}; set {@code JAZZER_FUZZ=1} to fuzz.
 */
class SrtEndpointFuzzTest {

    static {
        // Each rejected handshake logs a line; at fuzzing speed the log would be the bottleneck.
        System.setProperty("org.slf4j.simpleLogger.log.io.livehub.srt.internal.SrtEndpoint", "warn");
    }

    private static final InetSocketAddress CALLER = new InetSocketAddress(InetAddress.getLoopbackAddress(), 5000);
    private static final InetSocketAddress LOCAL = new InetSocketAddress(InetAddress.getLoopbackAddress(), 10080);
    private static final SrtPacketDecoder DECODER = new SrtPacketDecoder(1472);
    /** Offset of the SYN cookie in a handshake datagram: 16 header bytes, then 28 CIF bytes. */
    private static final int COOKIE_AT = 16 + 28;

    @FuzzTest(maxDuration = "60s")
    void handshake(byte[] data) {
        SrtConfig config = SrtConfig.builder().maxConnections(4).build();
        SrtConnectionHandler handler = new SrtConnectionHandler() {
            @Override
            public void onPayload(SrtConnection connection, ByteBuf payload) {
                payload.readableBytes();
            }
        };
        SrtEndpoint endpoint = new SrtEndpoint(config,
                req -> CompletableFuture.completedFuture(SrtAcceptDecision.accept(handler)));
        EmbeddedChannel ch = new EmbeddedChannel(endpoint);
        try {
            SrtHandshake induction = new SrtHandshake(4, 0, SrtHsFlags.UDT_DGRAM, 1000, 1500, 8192,
                    SrtHandshakeType.INDUCTION, 77, 0, CALLER.getAddress(), List.of(), 0, 0);
            ch.writeInbound(datagram(SrtPacketEncoder.encode(induction, UnpooledByteBufAllocator.DEFAULT)));
            int cookie = ((SrtHandshake) answer(ch)).synCookie();
            drain(ch);

            if (data.length < 2) {
                return;
            }
            int split = Math.min(data.length, 2 + ((data[0] & 0xFF) << 8 | (data[1] & 0xFF)));
            byte[] first = java.util.Arrays.copyOfRange(data, 2, split);
            if (first.length >= COOKIE_AT + 4 && (first[0] & 0xFF) == 0x80 && first[1] == 0) {
                first[COOKIE_AT] = (byte) (cookie >>> 24);
                first[COOKIE_AT + 1] = (byte) (cookie >>> 16);
                first[COOKIE_AT + 2] = (byte) (cookie >>> 8);
                first[COOKIE_AT + 3] = (byte) cookie;
            }
            ch.writeInbound(datagram(Unpooled.wrappedBuffer(first)));
            ch.runPendingTasks();
            SrtPacket reply = answer(ch);
            drain(ch);
            if (split < data.length) {
                byte[] second = java.util.Arrays.copyOfRange(data, split, data.length);
                if (reply instanceof SrtHandshake && second.length >= 16) {
                    int id = ((SrtHandshake) reply).socketId();
                    second[12] = (byte) (id >>> 24);
                    second[13] = (byte) (id >>> 16);
                    second[14] = (byte) (id >>> 8);
                    second[15] = (byte) id;
                }
                ch.writeInbound(datagram(Unpooled.wrappedBuffer(second)));
                ch.runPendingTasks();
                drain(ch);
            }
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    private static DatagramPacket datagram(ByteBuf b) {
        return new DatagramPacket(b, LOCAL, CALLER);
    }

    /** Decodes the first datagram the endpoint sent, or returns null. */
    private static SrtPacket answer(EmbeddedChannel ch) {
        DatagramPacket out = ch.readOutbound();
        if (out == null) {
            return null;
        }
        try {
            SrtPacket p = DECODER.decode(out.content());
            io.netty.util.ReferenceCountUtil.release(p);
            return p;
        } finally {
            out.release();
        }
    }

    private static void drain(EmbeddedChannel ch) {
        for (Object o; (o = ch.readOutbound()) != null; ) {
            io.netty.util.ReferenceCountUtil.release(o);
        }
    }
}
