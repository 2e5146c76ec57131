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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Interoperates with libsrt's srt-live-transmit (Debian srt-tools) as caller and as listener. */
@Tag("interop")
class SrtLiveTransmitInteropTest {

    static final int COUNT = 300;
    /** Filler payload, told apart by its index -1. */
    static final byte[] WARMUP = filler();

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

    private static byte[] filler() {
        byte[] b = new byte[1316];
        b[0] = b[1] = b[2] = b[3] = (byte) 0xFF;
        return b;
    }

    static int freeUdpPort() throws Exception {
        try (DatagramSocket s = new DatagramSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void srtLiveTransmitCallsOurListener() throws Exception {
        PayloadCollector server = new PayloadCollector();
        List<SrtConnectionRequest> requests = new CopyOnWriteArrayList<>();
        SrtConfig config = SrtConfig.builder().host("127.0.0.1").port(0).latency(Duration.ofMillis(120)).build();
        try (SrtListener listener = SrtListener.bind(config, group, NioDatagramChannel.class, req -> {
            requests.add(req);
            return CompletableFuture.completedFuture(SrtAcceptDecision.accept(server));
        })) {
            int in = freeUdpPort();
            String sid = "#!::r=live/livestream,m=publish";
            try (ExternalProcess slt = ExternalProcess.start(dir, "srt-live-transmit", "-q",
                    "udp://127.0.0.1:" + in, "srt://127.0.0.1:" + listener.port() + "?streamid=" + sid
                            + "&latency=200");
                 DatagramSocket feeder = new DatagramSocket()) {
                InetSocketAddress target = new InetSocketAddress("127.0.0.1", in);
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (server.connection == null) {
                    assertTrue(System.nanoTime() < deadline, "srt-live-transmit did not connect: " + slt.output());
                    feeder.send(new DatagramPacket(WARMUP, WARMUP.length, target));
                    Thread.sleep(50);
                }
                Thread.sleep(100);
                for (int i = 0; i < COUNT; i++) {
                    byte[] p = PayloadCollector.payload(i, 1316);
                    feeder.send(new DatagramPacket(p, p.length, target));
                    // About 10 Mbit/s: srt-live-transmit's UDP input drops bursts on a busy machine.
                    Thread.sleep(1);
                }
                PayloadCollector.await(() -> numbered(server.payloads).size() == COUNT, 10_000,
                        "payloads from srt-live-transmit");
                List<byte[]> got = numbered(server.payloads);
                for (int i = 0; i < COUNT; i++) {
                    assertArrayEquals(PayloadCollector.payload(i, 1316), got.get(i), "payload " + i);
                }
                assertEquals(sid, requests.get(0).streamId());
                // libsrt proposed 200 ms; the larger proposal wins.
                assertEquals(200, server.connection.receiveLatencyMillis());
            }
            PayloadCollector.await(() -> !server.closed.isEmpty(), 10_000, "close after srt-live-transmit ended");
        }
    }

    @Test
    void ourCallerPushesToSrtLiveTransmitListener() throws Exception {
        int srtPort = freeUdpPort();
        try (DatagramSocket out = SrtLossTest.receiver(); // a 4 MiB buffer: srt-live-transmit writes in bursts
             ExternalProcess slt = ExternalProcess.start(dir, "srt-live-transmit", "-q",
                     "srt://127.0.0.1:" + srtPort + "?mode=listener&latency=150",
                     "udp://127.0.0.1:" + out.getLocalPort())) {
            SrtConfig config = SrtConfig.builder().latency(Duration.ofMillis(100)).build();
            SrtConnection c = null;
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (c == null) {
                try {
                    c = SrtCaller.connect(config, group, NioDatagramChannel.class,
                            new InetSocketAddress("127.0.0.1", srtPort), "push", new PayloadCollector())
                            .get(5, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                    // srt-live-transmit may not listen yet
                    assertTrue(System.nanoTime() < deadline, "could not connect: " + e + "\n" + slt.output());
                    Thread.sleep(200);
                }
            }
            assertEquals(150, c.sendLatencyMillis());
            for (int i = 0; i < COUNT; i++) {
                c.send(Unpooled.wrappedBuffer(PayloadCollector.payload(i, 1316)));
                Thread.sleep(1);
            }
            // Generous: on a loaded machine srt-live-transmit may pause for seconds.
            out.setSoTimeout(10_000);
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
            assertEquals(COUNT, got.size(), "payloads relayed by srt-live-transmit\n" + slt.output());
            for (int i = 0; i < COUNT; i++) {
                assertArrayEquals(PayloadCollector.payload(i, 1316), got.get(i), "payload " + i);
            }
            c.close();
        }
    }

    static List<byte[]> numbered(List<byte[]> all) {
        List<byte[]> out = new ArrayList<>();
        for (byte[] b : all) {
            if (PayloadCollector.indexOf(b) != -1) {
                out.add(b);
            }
        }
        return out;
    }
}
