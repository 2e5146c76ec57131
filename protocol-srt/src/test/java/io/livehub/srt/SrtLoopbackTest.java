package io.livehub.srt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.srt.handshake.SrtRejectReason;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Runs this implementation's caller against its listener on loopback. */
class SrtLoopbackTest {

    static EventLoopGroup group;

    @BeforeAll
    static void start() {
        group = new NioEventLoopGroup(2);
    }

    @AfterAll
    static void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    static SrtConfig config(int latencyMs) {
        return SrtConfig.builder().host("127.0.0.1").port(0).latency(Duration.ofMillis(latencyMs)).build();
    }

    @Test
    void callerSendsToListenerInOrderBothWays() throws Exception {
        PayloadCollector server = new PayloadCollector();
        CompletableFuture<SrtConnectionRequest> seen = new CompletableFuture<>();
        try (SrtListener listener = SrtListener.bind(config(80), group, NioDatagramChannel.class, req -> {
            seen.complete(req);
            return CompletableFuture.completedFuture(SrtAcceptDecision.accept(server));
        })) {
            PayloadCollector client = new PayloadCollector();
            SrtConnection c = SrtCaller.connect(config(120), group, NioDatagramChannel.class,
                    new InetSocketAddress("127.0.0.1", listener.port()), "#!::r=live/a,m=publish", client)
                    .get(5, TimeUnit.SECONDS);
            assertEquals("#!::r=live/a,m=publish", seen.get().streamId());
            assertEquals(120, c.sendLatencyMillis());
            assertEquals(120, c.receiveLatencyMillis());
            for (int i = 0; i < 300; i++) {
                c.send(Unpooled.wrappedBuffer(PayloadCollector.payload(i, 1316)));
                if (i % 50 == 0) {
                    Thread.sleep(5);
                }
            }
            PayloadCollector.await(() -> server.payloads.size() == 300, 5000, "300 payloads");
            for (int i = 0; i < 300; i++) {
                assertArrayEquals(PayloadCollector.payload(i, 1316), server.payloads.get(i));
            }
            server.connection.send(Unpooled.wrappedBuffer(PayloadCollector.payload(7, 100)));
            PayloadCollector.await(() -> client.payloads.size() == 1, 5000, "reply");
            assertEquals(1, listener.connectionCount());
            assertEquals(120, server.connection.receiveLatencyMillis());
            c.close();
            PayloadCollector.await(() -> !server.closed.isEmpty(), 5000, "server side closed by shutdown");
            assertEquals("peer shut down", server.closed.get(0));
            PayloadCollector.await(() -> listener.connectionCount() == 0, 5000, "connection removed");
        }
    }

    @Test
    void rejectionReachesTheCallerWithItsCode() throws Exception {
        try (SrtListener listener = SrtListener.bind(config(80), group, NioDatagramChannel.class,
                req -> CompletableFuture.supplyAsync(() -> SrtAcceptDecision.reject(SrtRejectReason.FORBIDDEN, "no"),
                        CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS)))) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> SrtCaller.connect(config(80), group,
                    NioDatagramChannel.class, new InetSocketAddress("127.0.0.1", listener.port()), "x",
                    new PayloadCollector()).get(5, TimeUnit.SECONDS));
            SrtRejectedException r = assertInstanceOf(SrtRejectedException.class, e.getCause());
            assertEquals(SrtRejectReason.FORBIDDEN.code(), r.rejectCode());
            assertEquals(1, listener.rejectedHandshakes());
        }
    }

    @Test
    void badDatagramsAndForeignPeersAreDroppedAndCounted() throws Exception {
        PayloadCollector server = new PayloadCollector();
        try (SrtListener listener = SrtListener.bind(config(60), group, NioDatagramChannel.class,
                req -> CompletableFuture.completedFuture(SrtAcceptDecision.accept(server)));
             DatagramSocket rogue = new DatagramSocket()) {
            SrtConnection c = SrtCaller.connect(config(60), group, NioDatagramChannel.class,
                    new InetSocketAddress("127.0.0.1", listener.port()), null, new PayloadCollector())
                    .get(5, TimeUnit.SECONDS);
            PayloadCollector.await(() -> server.connection != null, 5000, "accepted");
            InetSocketAddress target = new InetSocketAddress("127.0.0.1", listener.port());
            // Too short, and a shutdown plus a data packet aimed at the live connection from another port.
            rogue.send(new DatagramPacket(new byte[5], 5, target));
            byte[] shutdown = Hex.bytes("80050000 00000000 00000000" + String.format("%08x", server.connection.socketId())
                    + "00000000");
            rogue.send(new DatagramPacket(shutdown, shutdown.length, target));
            byte[] data = Hex.bytes("00000001 c0000001 00000000" + String.format("%08x", server.connection.socketId())
                    + "ffff");
            rogue.send(new DatagramPacket(data, data.length, target));
            byte[] unknown = Hex.bytes("80010000 00000000 00000000 7ffffff0 00000000");
            rogue.send(new DatagramPacket(unknown, unknown.length, target));
            PayloadCollector.await(() -> listener.malformedDatagrams() == 1 && listener.foreignPeerPackets() == 2
                    && listener.unknownSocketPackets() == 1, 5000, "counters");
            for (int i = 0; i < 20; i++) {
                c.send(Unpooled.wrappedBuffer(PayloadCollector.payload(i, 188)));
            }
            PayloadCollector.await(() -> server.payloads.size() == 20, 5000, "payloads after the noise");
            assertTrue(server.closed.isEmpty());
            assertEquals(0, PayloadCollector.indexOf(server.payloads.get(0)));
            c.close();
        }
    }
}
