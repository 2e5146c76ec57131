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
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Runs encrypted connections between this implementation's caller and listener on loopback. */
class SrtEncryptionTest {

    static final String SECRET = "correct horse battery";
    static EventLoopGroup group;

    @BeforeAll
    static void start() {
        group = new NioEventLoopGroup(2);
    }

    @AfterAll
    static void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    static SrtConfig.Builder config(String passphrase) {
        return SrtConfig.builder().host("127.0.0.1").port(0).latency(Duration.ofMillis(120)).passphrase(passphrase);
    }

    static void sendNumbered(SrtConnection c, int from, int count) throws InterruptedException {
        for (int i = from; i < from + count; i++) {
            c.send(Unpooled.wrappedBuffer(PayloadCollector.payload(i, 1316)));
            if (i % 50 == 49) {
                Thread.sleep(5);
            }
        }
    }

    static void assertNumbered(PayloadCollector got, int count) throws InterruptedException {
        PayloadCollector.await(() -> got.payloads.size() >= count, 15_000, count + " payloads");
        assertEquals(count, got.payloads.size());
        for (int i = 0; i < count; i++) {
            assertArrayEquals(PayloadCollector.payload(i, 1316), got.payloads.get(i), "payload " + i);
        }
    }

    @Test
    void encryptedBothWaysWithEveryKeyLength() throws Exception {
        for (int keyLength : new int[] {16, 24, 32}) {
            PayloadCollector server = new PayloadCollector();
            try (SrtListener listener = SrtListener.bind(config(SECRET).build(), group, NioDatagramChannel.class,
                    req -> CompletableFuture.completedFuture(SrtAcceptDecision.accept(server)))) {
                PayloadCollector client = new PayloadCollector();
                SrtConnection c = SrtCaller.connect(config(SECRET).keyLength(keyLength).build(), group,
                        NioDatagramChannel.class, new InetSocketAddress("127.0.0.1", listener.port()), "enc", client)
                        .get(5, TimeUnit.SECONDS);
                sendNumbered(c, 0, 300);
                assertNumbered(server, 300);
                sendNumbered(server.connection, 0, 100);
                assertNumbered(client, 100);
                assertEquals(0, server.connection.stats().packetsDropped());
                c.close();
            }
        }
    }

    @Test
    void wrongPassphraseIsRejectedWithBadSecret() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        try (SrtListener listener = SrtListener.bind(config(SECRET).build(), group, NioDatagramChannel.class, req -> {
            asked.incrementAndGet();
            return CompletableFuture.completedFuture(SrtAcceptDecision.accept(new PayloadCollector()));
        })) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> SrtCaller.connect(
                    config("not the right one").build(), group, NioDatagramChannel.class,
                    new InetSocketAddress("127.0.0.1", listener.port()), "x", new PayloadCollector())
                    .get(5, TimeUnit.SECONDS));
            SrtRejectedException r = assertInstanceOf(SrtRejectedException.class, e.getCause());
            assertEquals(SrtRejectReason.BADSECRET.code(), r.rejectCode());
            assertTrue(r.getMessage().contains("wrong passphrase"), r.getMessage());
            assertEquals(0, asked.get(), "the acceptor is not asked about a caller with a wrong passphrase");
            assertEquals(1, listener.rejectedHandshakes());
            // A caller with the right passphrase connects right after.
            PayloadCollector client = new PayloadCollector();
            SrtConnection c = SrtCaller.connect(config(SECRET).build(), group, NioDatagramChannel.class,
                    new InetSocketAddress("127.0.0.1", listener.port()), "x", client).get(5, TimeUnit.SECONDS);
            assertTrue(c.isOpen());
            c.close();
        }
    }

    @Test
    void missingPassphraseIsRejectedWithUnsecureOnBothSides() throws Exception {
        try (SrtListener secured = SrtListener.bind(config(SECRET).build(), group, NioDatagramChannel.class,
                req -> CompletableFuture.completedFuture(SrtAcceptDecision.accept(new PayloadCollector())));
             SrtListener clear = SrtListener.bind(config(null).build(), group, NioDatagramChannel.class,
                req -> CompletableFuture.completedFuture(SrtAcceptDecision.accept(new PayloadCollector())))) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> SrtCaller.connect(
                    config(null).build(), group, NioDatagramChannel.class,
                    new InetSocketAddress("127.0.0.1", secured.port()), "x", new PayloadCollector())
                    .get(5, TimeUnit.SECONDS));
            SrtRejectedException r = assertInstanceOf(SrtRejectedException.class, e.getCause());
            assertEquals(SrtRejectReason.UNSECURE.code(), r.rejectCode());
            assertTrue(r.getMessage().contains("peer requires a passphrase"), r.getMessage());

            e = assertThrows(ExecutionException.class, () -> SrtCaller.connect(config(SECRET).build(), group,
                    NioDatagramChannel.class, new InetSocketAddress("127.0.0.1", clear.port()), "x",
                    new PayloadCollector()).get(5, TimeUnit.SECONDS));
            r = assertInstanceOf(SrtRejectedException.class, e.getCause());
            assertEquals(SrtRejectReason.UNSECURE.code(), r.rejectCode());
            assertTrue(r.getMessage().contains("peer has no passphrase"), r.getMessage());
            assertEquals(1, secured.rejectedHandshakes());
            assertEquals(1, clear.rejectedHandshakes());
        }
    }

    @Test
    void keysAreRefreshedInBothDirections() throws Exception {
        PayloadCollector server = new PayloadCollector();
        SrtConfig refresh = config(SECRET).kmRefreshRate(200).kmPreAnnounce(50).build();
        try (SrtListener listener = SrtListener.bind(refresh, group, NioDatagramChannel.class,
                req -> CompletableFuture.completedFuture(SrtAcceptDecision.accept(server)))) {
            PayloadCollector client = new PayloadCollector();
            SrtConnection c = SrtCaller.connect(refresh, group, NioDatagramChannel.class,
                    new InetSocketAddress("127.0.0.1", listener.port()), "refresh", client).get(5, TimeUnit.SECONDS);
            // 1000 packets at 200 per key: four switches each way.
            sendNumbered(c, 0, 1000);
            assertNumbered(server, 1000);
            sendNumbered(server.connection, 0, 1000);
            assertNumbered(client, 1000);
            assertEquals(0, server.connection.stats().packetsDropped(), server.connection.stats().toString());
            assertEquals(0, c.stats().packetsDropped(), c.stats().toString());
            // The caller's switches show as keys the listener installed, the listener's as its own switches.
            assertTrue(listener.keysReceived() >= 4, "keys received " + listener.keysReceived());
            assertTrue(listener.keySwitches() >= 4, "key switches " + listener.keySwitches());
            c.close();
        }
    }

    @Test
    void everyPayloadArrivesThroughLossWhenEncrypted() throws Exception {
        PayloadCollector server = new PayloadCollector();
        SrtConfig lossy = config(SECRET).latency(Duration.ofMillis(200)).kmRefreshRate(300).kmPreAnnounce(100)
                .build();
        try (SrtListener listener = SrtListener.bind(lossy, group, NioDatagramChannel.class,
                req -> CompletableFuture.completedFuture(SrtAcceptDecision.accept(server)));
             LossyRelay relay = new LossyRelay(new InetSocketAddress("127.0.0.1", listener.port()), 0.05, 0.03, 21)) {
            SrtConnection c = SrtCaller.connect(lossy, group, NioDatagramChannel.class, relay.address(), "lossy",
                    new PayloadCollector()).get(5, TimeUnit.SECONDS);
            for (int i = 0; i < SrtLossTest.COUNT; i++) {
                c.send(Unpooled.wrappedBuffer(PayloadCollector.payload(i, 1316)));
                Thread.sleep(1);
            }
            try {
                PayloadCollector.await(() -> server.payloads.size() >= SrtLossTest.COUNT, 15_000, "all payloads");
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + ": got " + server.payloads.size() + ", sender " + c.stats()
                        + ", receiver " + server.connection.stats() + ", relay dropped " + relay.dropped, e);
            }
            SrtLossTest.assertAllInOrder(server.payloads);
            assertTrue(c.stats().packetsRetransmitted() > 0, c.stats().toString());
            assertEquals(0, server.connection.stats().packetsDropped(), server.connection.stats().toString());
            c.close();
        }
    }
}
