package io.livehub.srt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.testing.ExternalProcess;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sends through a relay that drops 5% of the datagrams each way and reorders 3%, at latency
 * 200 ms: retransmission on NAK must deliver every payload, in order, with no gap.
 */
class SrtLossTest {

    static final int COUNT = 1000;
    static EventLoopGroup group;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        group = new NioEventLoopGroup(2);
    }

    @AfterAll
    static void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    static SrtConfig config() {
        return SrtConfig.builder().host("127.0.0.1").port(0).latency(Duration.ofMillis(200)).build();
    }

    @Test
    void everyPayloadArrivesThroughLossBetweenOurCallerAndListener() throws Exception {
        PayloadCollector server = new PayloadCollector();
        try (SrtListener listener = SrtListener.bind(config(), group, NioDatagramChannel.class,
                req -> CompletableFuture.completedFuture(SrtAcceptDecision.accept(server)));
             LossyRelay relay = new LossyRelay(new InetSocketAddress("127.0.0.1", listener.port()), 0.05, 0.03, 7)) {
            SrtConnection c = SrtCaller.connect(config(), group, NioDatagramChannel.class, relay.address(), "lossy",
                    new PayloadCollector()).get(5, TimeUnit.SECONDS);
            for (int i = 0; i < COUNT; i++) {
                c.send(Unpooled.wrappedBuffer(PayloadCollector.payload(i, 1316)));
                Thread.sleep(1); // about 1000 packets/s, a 10 Mbit/s stream
            }
            try {
                PayloadCollector.await(() -> server.payloads.size() >= COUNT, 10_000, "all payloads");
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + ": got " + server.payloads.size() + ", sender " + c.stats()
                        + ", receiver " + server.connection.stats() + ", relay dropped " + relay.dropped, e);
            }
            Thread.sleep(300);
            assertAllInOrder(server.payloads);
            SrtConnectionStats sent = c.stats();
            assertTrue(sent.packetsRetransmitted() > 0, "retransmissions " + sent);
            assertTrue(relay.dropped.get() > 20, "relay dropped " + relay.dropped.get());
            assertEquals(0, server.connection.stats().packetsDropped(), server.connection.stats().toString());
            c.close();
        }
    }

    @Tag("interop")
    @Test
    void everyPayloadArrivesThroughLossFromSrtLiveTransmit() throws Exception {
        PayloadCollector server = new PayloadCollector();
        try (SrtListener listener = SrtListener.bind(config(), group, NioDatagramChannel.class,
                req -> CompletableFuture.completedFuture(SrtAcceptDecision.accept(server)));
             LossyRelay relay = new LossyRelay(new InetSocketAddress("127.0.0.1", listener.port()), 0.05, 0.03, 11);
             DatagramSocket feeder = new DatagramSocket()) {
            int in = SrtLiveTransmitInteropTest.freeUdpPort();
            try (ExternalProcess slt = ExternalProcess.start(dir, "srt-live-transmit", "-q", "udp://127.0.0.1:" + in,
                    "srt://127.0.0.1:" + relay.address().getPort() + "?latency=200")) {
                InetSocketAddress target = new InetSocketAddress("127.0.0.1", in);
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (server.connection == null) {
                    assertTrue(System.nanoTime() < deadline, "srt-live-transmit did not connect: " + slt.output());
                    feeder.send(new DatagramPacket(SrtLiveTransmitInteropTest.WARMUP, 1316, target));
                    Thread.sleep(50);
                }
                Thread.sleep(100);
                for (int i = 0; i < COUNT; i++) {
                    byte[] p = PayloadCollector.payload(i, 1316);
                    feeder.send(new DatagramPacket(p, p.length, target));
                    Thread.sleep(1); // about 1000 packets/s, a 10 Mbit/s stream
                }
                // A live stream goes on: later packets reveal a loss at the end of the numbered run.
                for (int i = 0; i < 50; i++) {
                    feeder.send(new DatagramPacket(SrtLiveTransmitInteropTest.WARMUP, 1316, target));
                    Thread.sleep(2);
                }
                try {
                    PayloadCollector.await(() -> SrtLiveTransmitInteropTest.numbered(server.payloads).size() >= COUNT,
                            10_000, "all payloads from srt-live-transmit");
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + ": got "
                            + SrtLiveTransmitInteropTest.numbered(server.payloads).size() + ", receiver "
                            + server.connection.stats() + ", closed " + server.closed + ", relay dropped "
                            + relay.dropped + "\n" + slt.output(), e);
                }
                Thread.sleep(300);
                assertAllInOrder(SrtLiveTransmitInteropTest.numbered(server.payloads));
            }
        }
    }

    @Tag("interop")
    @Test
    void everyPayloadArrivesThroughLossAtSrtLiveTransmit() throws Exception {
        int srtPort = SrtLiveTransmitInteropTest.freeUdpPort();
        try (DatagramSocket out = receiver();
             ExternalProcess slt = ExternalProcess.start(dir, "srt-live-transmit", "-v", "-s", "500",
                     "srt://127.0.0.1:" + srtPort + "?mode=listener&latency=200",
                     "udp://127.0.0.1:" + out.getLocalPort());
             LossyRelay relay = new LossyRelay(new InetSocketAddress("127.0.0.1", srtPort), 0.05, 0.03, 13)) {
            SrtConnection c = null;
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (c == null) {
                try {
                    c = SrtCaller.connect(config(), group, NioDatagramChannel.class, relay.address(), null,
                            new PayloadCollector()).get(5, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                    assertTrue(System.nanoTime() < deadline, "could not connect: " + e + "\n" + slt.output());
                    Thread.sleep(200);
                }
            }
            for (int i = 0; i < COUNT; i++) {
                c.send(Unpooled.wrappedBuffer(PayloadCollector.payload(i, 1316)));
                Thread.sleep(1); // about 1000 packets/s, a 10 Mbit/s stream
            }
            out.setSoTimeout(3000);
            List<byte[]> got = new ArrayList<>();
            byte[] buf = new byte[2000];
            try {
                while (got.size() < COUNT) {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    out.receive(p);
                    got.add(java.util.Arrays.copyOf(p.getData(), p.getLength()));
                }
            } catch (SocketTimeoutException e) {
                // checked below
            }
            try {
                assertAllInOrder(got);
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\nsender " + c.stats() + ", relay dropped " + relay.dropped
                        + "\n" + slt.output(), e);
            }
            assertTrue(c.stats().packetsRetransmitted() > 0, c.stats().toString());
            c.close();
        }
    }

    static DatagramSocket receiver() throws java.io.IOException {
        DatagramSocket s = new DatagramSocket(0, java.net.InetAddress.getLoopbackAddress());
        s.setReceiveBufferSize(4 << 20);
        return s;
    }

    static void assertAllInOrder(List<byte[]> got) {
        List<Integer> idx = new ArrayList<>();
        for (byte[] b : got) {
            idx.add(PayloadCollector.indexOf(b));
        }
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < COUNT; i++) {
            if (!idx.contains(i)) {
                missing.add(i);
            }
        }
        assertEquals(COUNT, got.size(), "payload count; missing " + missing);
        for (int i = 0; i < COUNT; i++) {
            assertArrayEquals(PayloadCollector.payload(i, 1316), got.get(i), "payload " + i + " of " + idx);
        }
    }
}
