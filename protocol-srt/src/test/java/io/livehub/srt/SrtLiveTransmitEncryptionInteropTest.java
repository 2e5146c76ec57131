package io.livehub.srt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.srt.handshake.SrtRejectReason;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Encrypted SRT against libsrt's srt-live-transmit: it calls our listener and listens for our
 * caller, sends and receives, with key refreshes forced by a small refresh rate, and both
 * sides refuse a wrong or missing passphrase.
 */
@Tag("interop")
class SrtLiveTransmitEncryptionInteropTest {

    static final String SECRET = "interop-secret-42";
    /** 3000 packets at 1000 per key: several switches. */
    static final int COUNT = 3000;
    static final String REFRESH = "&kmrefreshrate=1000&kmpreannounce=200";

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

    static SrtConfig.Builder config(String passphrase) {
        return SrtConfig.builder().host("127.0.0.1").port(0).latency(Duration.ofMillis(200)).passphrase(passphrase);
    }

    /** Feeds numbered payloads to srt-live-transmit's UDP input, after warm-up until {@code ready}. */
    static void feed(int udpPort, java.util.function.BooleanSupplier ready, ExternalProcess slt) throws Exception {
        feed(udpPort, ready, slt, COUNT);
    }

    static void feed(int udpPort, java.util.function.BooleanSupplier ready, ExternalProcess slt, int count)
            throws Exception {
        try (DatagramSocket feeder = new DatagramSocket()) {
            InetSocketAddress target = new InetSocketAddress("127.0.0.1", udpPort);
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!ready.getAsBoolean()) {
                assertTrue(System.nanoTime() < deadline, "srt-live-transmit did not connect: " + slt.output());
                feeder.send(new DatagramPacket(SrtLiveTransmitInteropTest.WARMUP, 1316, target));
                Thread.sleep(50);
            }
            Thread.sleep(100);
            // Paced at about 1000 datagrams a second: srt-live-transmit's UDP input (outside SRT)
            // drops bursts on a busy machine.
            for (int i = 0; i < count; i++) {
                byte[] p = PayloadCollector.payload(i, 1316);
                feeder.send(new DatagramPacket(p, p.length, target));
                Thread.sleep(1);
            }
            // Trailing filler lets the receiver see a loss at the end of the numbered run.
            for (int i = 0; i < 20; i++) {
                feeder.send(new DatagramPacket(SrtLiveTransmitInteropTest.WARMUP, 1316, target));
                Thread.sleep(5);
            }
        }
    }

    static void assertNumbered(List<byte[]> got) {
        assertNumbered(got, COUNT);
    }

    static void assertNumbered(List<byte[]> got, int count) {
        assertEquals(count, got.size(), "numbered payloads");
        for (int i = 0; i < count; i++) {
            assertArrayEquals(PayloadCollector.payload(i, 1316), got.get(i), "payload " + i);
        }
    }

    /** Waits for {@code count} numbered payloads, with the connection's stats and the program's output on failure. */
    static void awaitNumbered(PayloadCollector got, int count, ExternalProcess slt) throws Exception {
        try {
            PayloadCollector.await(() -> SrtLiveTransmitInteropTest.numbered(got.payloads).size() >= count, 20_000,
                    count + " payloads from srt-live-transmit");
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + ": got " + SrtLiveTransmitInteropTest.numbered(got.payloads)
                    .size() + ", receiver " + (got.connection == null ? null : got.connection.stats()) + ", closed "
                    + got.closed + "\n" + slt.output(), e);
        }
        assertNumbered(SrtLiveTransmitInteropTest.numbered(got.payloads), count);
    }

    static List<byte[]> receive(DatagramSocket out, int count) throws Exception {
        out.setSoTimeout(5000);
        List<byte[]> got = new ArrayList<>();
        byte[] buf = new byte[2000];
        try {
            while (got.size() < count) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                out.receive(p);
                byte[] b = java.util.Arrays.copyOf(p.getData(), p.getLength());
                if (PayloadCollector.indexOf(b) != -1) {
                    got.add(b);
                }
            }
        } catch (SocketTimeoutException e) {
            // checked by the caller
        }
        return got;
    }

    static SrtConnection connectWithRetry(SrtConfig config, int port, PayloadCollector handler, ExternalProcess slt)
            throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            try {
                return SrtCaller.connect(config, group, NioDatagramChannel.class,
                        new InetSocketAddress("127.0.0.1", port), null, handler).get(5, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                // srt-live-transmit may not listen yet
                SrtRejectedException r = (SrtRejectedException) e.getCause();
                assertEquals(SrtRejectReason.TIMEOUT.code(), r.rejectCode(), r.getMessage());
                assertTrue(System.nanoTime() < deadline, "could not connect: " + e + "\n" + slt.output());
                Thread.sleep(200);
            }
        }
    }

    @Test
    void srtLiveTransmitCallerPublishesToOurListenerWithKeyRefresh() throws Exception {
        PayloadCollector server = new PayloadCollector();
        try (SrtListener listener = SrtListener.bind(config(SECRET).build(), group, NioDatagramChannel.class,
                req -> CompletableFuture.completedFuture(SrtAcceptDecision.accept(server)))) {
            int in = SrtLiveTransmitInteropTest.freeUdpPort();
            try (ExternalProcess slt = ExternalProcess.start(dir, "srt-live-transmit", "-q", "udp://127.0.0.1:" + in,
                    "srt://127.0.0.1:" + listener.port() + "?latency=200&passphrase=" + SECRET + "&pbkeylen=32"
                            + REFRESH)) {
                feed(in, () -> server.connection != null, slt);
                awaitNumbered(server, COUNT, slt);
                assertEquals(0, server.connection.stats().packetsDropped(), server.connection.stats().toString());
                assertTrue(listener.keysReceived() >= 2, "refreshed keys installed: " + listener.keysReceived());
            }
        }
    }

    @Test
    void srtLiveTransmitCallerPlaysFromOurListenerWithKeyRefresh() throws Exception {
        PayloadCollector server = new PayloadCollector();
        SrtConfig config = config(SECRET).kmRefreshRate(1000).kmPreAnnounce(200).build();
        try (SrtListener listener = SrtListener.bind(config, group, NioDatagramChannel.class,
                req -> CompletableFuture.completedFuture(SrtAcceptDecision.accept(server)));
             DatagramSocket out = SrtLossTest.receiver();
             ExternalProcess slt = ExternalProcess.start(dir, "srt-live-transmit", "-q",
                     "srt://127.0.0.1:" + listener.port() + "?latency=200&passphrase=" + SECRET,
                     "udp://127.0.0.1:" + out.getLocalPort())) {
            PayloadCollector.await(() -> server.connection != null, 10_000, "srt-live-transmit connected");
            List<byte[]> received = new java.util.concurrent.CopyOnWriteArrayList<>();
            Thread reader = new Thread(() -> {
                byte[] buf = new byte[2000];
                try {
                    out.setSoTimeout(30_000);
                    while (true) {
                        DatagramPacket p = new DatagramPacket(buf, buf.length);
                        out.receive(p);
                        received.add(java.util.Arrays.copyOf(p.getData(), p.getLength()));
                    }
                } catch (java.io.IOException e) {
                    // closed or quiet: the test checks what arrived
                }
            }, "slt-output");
            reader.setDaemon(true);
            reader.start();
            // Keys advance on ACKs: send until our listener switched its sending key three times.
            int sent = 0;
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (sent < COUNT || listener.keySwitches() < 3) {
                assertTrue(System.nanoTime() < deadline, "key switches " + listener.keySwitches() + " after " + sent);
                for (int k = 0; k < 10; k++, sent++) {
                    server.connection.send(Unpooled.wrappedBuffer(PayloadCollector.payload(sent, 1316)));
                }
                Thread.sleep(5);
            }
            int total = sent;
            try {
                PayloadCollector.await(() -> received.size() >= total, 20_000, total + " payloads relayed");
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + ": got " + received.size() + ", sender "
                        + server.connection.stats() + "\n" + slt.output(), e);
            }
            assertNumbered(received, total);
            out.close();
        }
    }

    @Test
    void ourCallerPublishesToSrtLiveTransmitListenerWithKeyRefresh() throws Exception {
        int srtPort = SrtLiveTransmitInteropTest.freeUdpPort();
        try (DatagramSocket out = SrtLossTest.receiver();
             ExternalProcess slt = ExternalProcess.start(dir, "srt-live-transmit", "-q",
                     "srt://127.0.0.1:" + srtPort + "?mode=listener&latency=200&passphrase=" + SECRET,
                     "udp://127.0.0.1:" + out.getLocalPort())) {
            SrtConnection c = connectWithRetry(config(SECRET).keyLength(24).kmRefreshRate(1000).kmPreAnnounce(200)
                    .build(), srtPort, new PayloadCollector(), slt);
            CompletableFuture<List<byte[]>> got = CompletableFuture.supplyAsync(() -> {
                try {
                    return receive(out, COUNT);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            for (int i = 0; i < COUNT; i++) {
                c.send(Unpooled.wrappedBuffer(PayloadCollector.payload(i, 1316)));
                if (i % 10 == 9) {
                    Thread.sleep(2);
                }
            }
            List<byte[]> received = got.get(60, TimeUnit.SECONDS);
            try {
                assertNumbered(received);
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + ", sender " + c.stats() + "\n" + slt.output(), e);
            }
            c.close();
        }
    }

    @Test
    void ourCallerPlaysFromSrtLiveTransmitListenerWithKeyRefresh() throws Exception {
        int srtPort = SrtLiveTransmitInteropTest.freeUdpPort();
        int in = SrtLiveTransmitInteropTest.freeUdpPort();
        try (ExternalProcess slt = ExternalProcess.start(dir, "srt-live-transmit", "-q", "udp://127.0.0.1:" + in,
                "srt://127.0.0.1:" + srtPort + "?mode=listener&latency=200&passphrase=" + SECRET + REFRESH)) {
            PayloadCollector client = new PayloadCollector();
            // srt-live-transmit accepts the SRT side only once its UDP input has data.
            CompletableFuture<SrtConnection> conn = new CompletableFuture<>();
            Thread connector = new Thread(() -> {
                try {
                    conn.complete(connectWithRetry(config(SECRET).build(), srtPort, client, slt));
                } catch (Throwable t) {
                    conn.completeExceptionally(t);
                }
            });
            connector.start();
            feed(in, () -> client.connection != null, slt);
            SrtConnection c = conn.get(30, TimeUnit.SECONDS);
            awaitNumbered(client, COUNT, slt);
            assertEquals(0, c.stats().packetsDropped(), c.stats().toString());
            c.close();
        }
    }

    @Test
    void srtLiveTransmitWithAWrongPassphraseIsRefusedAndACorrectCallerGetsIn() throws Exception {
        PayloadCollector server = new PayloadCollector();
        try (SrtListener listener = SrtListener.bind(config(SECRET).build(), group, NioDatagramChannel.class,
                req -> CompletableFuture.completedFuture(SrtAcceptDecision.accept(server)))) {
            int in = SrtLiveTransmitInteropTest.freeUdpPort();
            try (ExternalProcess slt = ExternalProcess.start(dir, "srt-live-transmit", "-a:no", "udp://127.0.0.1:" + in,
                    "srt://127.0.0.1:" + listener.port() + "?passphrase=wrong-passphrase");
                 DatagramSocket feeder = new DatagramSocket()) {
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (listener.rejectedHandshakes() == 0) {
                    assertTrue(System.nanoTime() < deadline, "no rejection: " + slt.output());
                    feeder.send(new DatagramPacket(SrtLiveTransmitInteropTest.WARMUP, 1316,
                            new InetSocketAddress("127.0.0.1", in)));
                    Thread.sleep(50);
                }
                assertEquals(0, listener.connectionCount());
            }
            // No passphrase at all is refused too.
            long before = listener.rejectedHandshakes();
            int in2 = SrtLiveTransmitInteropTest.freeUdpPort();
            try (ExternalProcess slt = ExternalProcess.start(dir, "srt-live-transmit", "-a:no",
                    "udp://127.0.0.1:" + in2, "srt://127.0.0.1:" + listener.port());
                 DatagramSocket feeder = new DatagramSocket()) {
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (listener.rejectedHandshakes() == before) {
                    assertTrue(System.nanoTime() < deadline, "no rejection: " + slt.output());
                    feeder.send(new DatagramPacket(SrtLiveTransmitInteropTest.WARMUP, 1316,
                            new InetSocketAddress("127.0.0.1", in2)));
                    Thread.sleep(50);
                }
            }
            assertFalse(server.connection != null, "no connection was accepted");
            int in3 = SrtLiveTransmitInteropTest.freeUdpPort();
            try (ExternalProcess slt = ExternalProcess.start(dir, "srt-live-transmit", "-q", "udp://127.0.0.1:" + in3,
                    "srt://127.0.0.1:" + listener.port() + "?passphrase=" + SECRET)) {
                feed(in3, () -> server.connection != null, slt, 300);
                awaitNumbered(server, 300, slt);
            }
        }
    }

    @Test
    void ourCallerWithAWrongOrMissingPassphraseIsRejectedBySrtLiveTransmit() throws Exception {
        int srtPort = SrtLiveTransmitInteropTest.freeUdpPort();
        try (DatagramSocket out = SrtLossTest.receiver();
             ExternalProcess slt = ExternalProcess.start(dir, "srt-live-transmit", "-q",
                     "srt://127.0.0.1:" + srtPort + "?mode=listener&passphrase=" + SECRET,
                     "udp://127.0.0.1:" + out.getLocalPort())) {
            SrtRejectedException wrong = rejection(config("a-wrong-passphrase").build(), srtPort, slt);
            assertEquals(SrtRejectReason.BADSECRET.code(), wrong.rejectCode(), wrong.getMessage());
            assertTrue(wrong.getMessage().contains("wrong passphrase"), wrong.getMessage());
            SrtRejectedException none = rejection(config(null).build(), srtPort, slt);
            assertEquals(SrtRejectReason.UNSECURE.code(), none.rejectCode(), none.getMessage());
            assertTrue(none.getMessage().contains("peer requires a passphrase"), none.getMessage());
        }
    }

    private static SrtRejectedException rejection(SrtConfig config, int port, ExternalProcess slt) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            try {
                SrtConnection c = SrtCaller.connect(config, group, NioDatagramChannel.class,
                        new InetSocketAddress("127.0.0.1", port), null, new PayloadCollector()).get(5, TimeUnit.SECONDS);
                c.close();
                throw new AssertionError("connected although the passphrase is wrong or missing");
            } catch (ExecutionException e) {
                SrtRejectedException r = assertInstanceOf(SrtRejectedException.class, e.getCause());
                if (r.rejectCode() != SrtRejectReason.TIMEOUT.code()) {
                    return r;
                }
                assertTrue(System.nanoTime() < deadline, "no answer: " + e + "\n" + slt.output());
                Thread.sleep(200);
            }
        }
    }
}
