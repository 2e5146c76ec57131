package io.livehub.srt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.srt.handshake.SrtHandshake;
import io.livehub.srt.handshake.SrtHandshakeExtension;
import io.livehub.srt.handshake.SrtHandshakeType;
import io.livehub.srt.handshake.SrtHsFlags;
import io.livehub.srt.handshake.SrtHsMessage;
import io.livehub.srt.handshake.SrtRejectReason;
import io.livehub.srt.packet.SrtPacketDecoder;
import io.livehub.srt.packet.SrtPacketEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.util.List;
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
            // Keys advance on ACKs: send until the listener installed four of the caller's keys.
            int sent = sendUntil(c, () -> listener.keysReceived() >= 4);
            assertNumbered(server, sent);
            PayloadCollector.await(() -> server.connection != null, 5000, "accepted");
            int back = sendUntil(server.connection, () -> listener.keySwitches() >= 4);
            assertNumbered(client, back);
            assertEquals(0, server.connection.stats().packetsDropped(), server.connection.stats().toString());
            assertEquals(0, c.stats().packetsDropped(), c.stats().toString());
            c.close();
        }
    }

    /** Sends numbered payloads, about 2000 a second, until {@code done}; returns how many. */
    static int sendUntil(SrtConnection c, java.util.function.BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        int i = 0;
        while (!done.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "condition not met after " + i + " payloads");
            for (int k = 0; k < 10; k++, i++) {
                c.send(Unpooled.wrappedBuffer(PayloadCollector.payload(i, 1316)));
            }
            Thread.sleep(5);
        }
        return i;
    }

    @Test
    void everyPayloadArrivesThroughLossWhenEncrypted() throws Exception {
        int count = 1000;
        PayloadCollector server = new PayloadCollector();
        // A key is replaced 600 packets after the switch away from it: longer than the 400 ms
        // latency at about 1000 packets a second, so late retransmissions still find their key.
        SrtConfig lossy = config(SECRET).latency(Duration.ofMillis(400)).kmRefreshRate(800).kmPreAnnounce(200)
                .build();
        try (SrtListener listener = SrtListener.bind(lossy, group, NioDatagramChannel.class,
                req -> CompletableFuture.completedFuture(SrtAcceptDecision.accept(server)));
             LossyRelay relay = new LossyRelay(new InetSocketAddress("127.0.0.1", listener.port()), 0.05, 0.03, 21)) {
            SrtConnection c = SrtCaller.connect(lossy, group, NioDatagramChannel.class, relay.address(), "lossy",
                    new PayloadCollector()).get(5, TimeUnit.SECONDS);
            for (int i = 0; i < count; i++) {
                c.send(Unpooled.wrappedBuffer(PayloadCollector.payload(i, 1316)));
                Thread.sleep(1);
            }
            try {
                PayloadCollector.await(() -> server.payloads.size() >= count, 20_000, "all payloads");
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + ": got " + server.payloads.size() + ", sender " + c.stats()
                        + ", receiver " + server.connection.stats() + ", relay dropped " + relay.dropped, e);
            }
            for (int i = 0; i < count; i++) {
                assertArrayEquals(PayloadCollector.payload(i, 1316), server.payloads.get(i), "payload " + i);
            }
            assertTrue(c.stats().packetsRetransmitted() > 0, c.stats().toString());
            assertTrue(relay.dropped.get() > 20, "relay dropped " + relay.dropped.get());
            assertTrue(listener.keysReceived() >= 1, "keys refreshed through the loss: " + listener.keysReceived());
            assertEquals(0, server.connection.stats().packetsDropped(), server.connection.stats().toString());
            c.close();
        }
    }

    @Test
    void theAcceptorNamesAPassphrasePerStream() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        SrtAcceptor acceptor = new SrtAcceptor() {
            @Override
            public java.util.concurrent.CompletionStage<SrtAcceptDecision> accept(SrtConnectionRequest request) {
                asked.incrementAndGet();
                return CompletableFuture.completedFuture(SrtAcceptDecision.accept(new PayloadCollector()));
            }

            @Override
            public String passphrase(SrtConnectionRequest request) {
                return request.streamId().equals("secured") ? "the secured stream's passphrase" : null;
            }
        };
        try (SrtListener listener = SrtListener.bind(config(null).build(), group, NioDatagramChannel.class,
                acceptor)) {
            InetSocketAddress at = new InetSocketAddress("127.0.0.1", listener.port());
            SrtConnection ok = SrtCaller.connect(config("the secured stream's passphrase").build(), group,
                    NioDatagramChannel.class, at, "secured", new PayloadCollector()).get(5, TimeUnit.SECONDS);
            assertTrue(ok.isOpen());
            ok.close();
            SrtConnection clear = SrtCaller.connect(config(null).build(), group, NioDatagramChannel.class, at,
                    "open", new PayloadCollector()).get(5, TimeUnit.SECONDS);
            assertTrue(clear.isOpen());
            clear.close();
            assertEquals(2, asked.get());
            assertEquals(SrtRejectReason.BADSECRET.code(), rejectCode(config(SECRET).build(), at, "secured"));
            assertEquals(SrtRejectReason.UNSECURE.code(), rejectCode(config(null).build(), at, "secured"));
            assertEquals(SrtRejectReason.UNSECURE.code(), rejectCode(config(SECRET).build(), at, "open"));
            assertEquals(2, asked.get(), "refused callers never reach the acceptor");
        }
    }

    @Test
    void theModuleTakesAPassphrasePerStream() throws Exception {
        SrtModule module = SrtModule.builder().host("127.0.0.1").port(0)
                .streamPassphrase(id -> id.key().name().startsWith("private") ? "private streams' passphrase" : null)
                .build();
        try (io.livehub.MediaServer server = io.livehub.MediaServer.builder().httpPort(-1).module(module).start()) {
            InetSocketAddress at = new InetSocketAddress("127.0.0.1", server.port("srt"));
            PayloadCollector pub = new PayloadCollector();
            SrtConnection c = SrtCaller.connect(config("private streams' passphrase").build(), group,
                    NioDatagramChannel.class, at, "#!::r=live/private1,m=publish", pub).get(5, TimeUnit.SECONDS);
            assertTrue(c.isOpen());
            c.close();
            assertEquals(SrtRejectReason.BADSECRET.code(), rejectCode(config(SECRET).build(), at,
                    "#!::r=live/private2,m=publish"));
            assertEquals(SrtRejectReason.UNSECURE.code(), rejectCode(config(null).build(), at,
                    "#!::r=live/private3,m=publish"));
            SrtConnection open = SrtCaller.connect(config(null).build(), group, NioDatagramChannel.class, at,
                    "#!::r=live/public,m=publish", new PayloadCollector()).get(5, TimeUnit.SECONDS);
            assertTrue(open.isOpen());
            open.close();
            assertEquals(2, module.listener().rejectedHandshakes());
        }
    }

    @Test
    void aKmrspThatRefusesOrDoesNotEchoTheKeysFailsTheCaller() throws Exception {
        byte[] badSecret = {4, 0, 0, 0}; // libsrt writes the state word in host order
        byte[] noSecret = {0, 0, 0, 3};
        byte[] otherKeys = keyMaterialForAnotherPassphrase();
        int[] codes = new int[3];
        String[] messages = new String[3];
        byte[][] answers = {badSecret, noSecret, otherKeys};
        for (int i = 0; i < answers.length; i++) {
            try (DatagramSocket fake = new DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
                byte[] answer = answers[i];
                Thread listener = new Thread(() -> fakeListener(fake, answer), "fake-listener");
                listener.setDaemon(true);
                listener.start();
                ExecutionException e = assertThrows(ExecutionException.class, () -> SrtCaller.connect(
                        config(SECRET).build(), group, NioDatagramChannel.class,
                        new InetSocketAddress("127.0.0.1", fake.getLocalPort()), "x", new PayloadCollector())
                        .get(5, TimeUnit.SECONDS));
                SrtRejectedException r = assertInstanceOf(SrtRejectedException.class, e.getCause());
                codes[i] = r.rejectCode();
                messages[i] = r.getMessage();
            }
        }
        assertEquals(SrtRejectReason.BADSECRET.code(), codes[0], messages[0]);
        assertTrue(messages[0].contains("wrong passphrase"), messages[0]);
        assertEquals(SrtRejectReason.UNSECURE.code(), codes[1], messages[1]);
        assertTrue(messages[1].contains("peer has no passphrase"), messages[1]);
        assertEquals(SrtRejectReason.BADSECRET.code(), codes[2], messages[2]);
        assertTrue(messages[2].contains("wrong passphrase"), messages[2]);
    }

    /** Answers one caller's induction and conclusion like a listener whose KMRSP is {@code kmrsp}. */
    private static void fakeListener(DatagramSocket fake, byte[] kmrsp) {
        try {
            byte[] buf = new byte[1500];
            SrtPacketDecoder decoder = new SrtPacketDecoder(1472);
            while (true) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                fake.receive(p);
                SrtHandshake hs = (SrtHandshake) decoder.decode(Unpooled.wrappedBuffer(buf, 0, p.getLength()));
                SrtHandshake answer;
                if (hs.type() == SrtHandshakeType.INDUCTION) {
                    answer = new SrtHandshake(5, 0, SrtHsFlags.SRT_MAGIC, hs.initialSequence(), 1500, 8192,
                            SrtHandshakeType.INDUCTION, 77, 0x1234, p.getAddress(), List.of(), 0, hs.socketId());
                } else {
                    SrtHsMessage rsp = new SrtHsMessage(SrtHsMessage.VERSION_1_5_0,
                            SrtHsFlags.TSBPDSND | SrtHsFlags.TSBPDRCV, 120, 120);
                    answer = new SrtHandshake(5, 2, SrtHsFlags.EXT_HSREQ | SrtHsFlags.EXT_KMREQ,
                            hs.initialSequence(), 1500, 8192, SrtHandshakeType.CONCLUSION, 77, 0x1234, p.getAddress(),
                            List.of(rsp.toExtension(SrtHandshakeExtension.HSRSP),
                                    new SrtHandshakeExtension(SrtHandshakeExtension.KMRSP, kmrsp)), 0, hs.socketId());
                }
                ByteBuf out = SrtPacketEncoder.encode(answer, ByteBufAllocator.DEFAULT);
                byte[] bytes = new byte[out.readableBytes()];
                out.readBytes(bytes);
                out.release();
                fake.send(new DatagramPacket(bytes, bytes.length, p.getSocketAddress()));
            }
        } catch (java.io.IOException e) {
            // the socket closed with the test
        }
    }

    /** Returns a well-formed KM message with a key wrapped for another passphrase. */
    private static byte[] keyMaterialForAnotherPassphrase() {
        byte[] salt = new byte[16];
        byte[] kek = io.livehub.srt.crypto.SrtKeyWrap.deriveKek("another passphrase", salt, 16);
        return new io.livehub.srt.handshake.SrtKeyMaterial(io.livehub.srt.handshake.SrtKeyMaterial.KEY_EVEN,
                io.livehub.srt.handshake.SrtKeyMaterial.CIPHER_AES_CTR, salt, 16,
                io.livehub.srt.crypto.SrtKeyWrap.wrap(kek, new byte[16]))
                .toExtension(SrtHandshakeExtension.KMRSP).content();
    }

    private static int rejectCode(SrtConfig config, InetSocketAddress at, String sid) throws Exception {
        ExecutionException e = assertThrows(ExecutionException.class, () -> SrtCaller.connect(config, group,
                NioDatagramChannel.class, at, sid, new PayloadCollector()).get(5, TimeUnit.SECONDS));
        return assertInstanceOf(SrtRejectedException.class, e.getCause()).rejectCode();
    }

    @Test
    void configValidatesTheEncryptionOptions() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SrtConfig.builder().passphrase("short").build());
        assertTrue(e.getMessage().contains("10 to 79"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SrtConfig.builder().passphrase("x".repeat(80)).build());
        assertEquals("x".repeat(79), SrtConfig.builder().passphrase("x".repeat(79)).build().passphrase());
        assertEquals(null, SrtConfig.builder().passphrase("").build().passphrase());
        assertThrows(IllegalArgumentException.class, () -> SrtConfig.builder().keyLength(20).build());
        assertThrows(IllegalArgumentException.class,
                () -> SrtConfig.builder().kmRefreshRate(1000).kmPreAnnounce(500).build());
        SrtConfig d = SrtConfig.defaults();
        assertEquals(16, d.keyLength());
        assertEquals(1 << 24, d.kmRefreshRate());
        assertEquals(1 << 12, d.kmPreAnnounce());
        assertTrue(!d.encrypted());
    }

    @Test
    void garbageKeyMaterialRejectsOnlyThatHandshake() throws Exception {
        PayloadCollector server = new PayloadCollector();
        try (SrtListener listener = SrtListener.bind(config(SECRET).build(), group, NioDatagramChannel.class,
                req -> CompletableFuture.completedFuture(SrtAcceptDecision.accept(server)));
             DatagramSocket raw = new DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            PayloadCollector client = new PayloadCollector();
            SrtConnection c = SrtCaller.connect(config(SECRET).build(), group, NioDatagramChannel.class,
                    new InetSocketAddress("127.0.0.1", listener.port()), "good", client).get(5, TimeUnit.SECONDS);
            InetSocketAddress target = new InetSocketAddress("127.0.0.1", listener.port());
            byte[] good = new byte[16 + 16 + 24];
            good[0] = 0x12;
            good[1] = 0x20;
            good[2] = 0x29;
            good[3] = 1;
            good[8] = 2;
            good[10] = 2;
            good[14] = 4;
            good[15] = 4;
            byte[][] garbage = {
                java.util.Arrays.copyOf(good, 8), // truncated
                withByte(good, 15, 6), // key length 24 with the bytes of a 16-byte key
                withByte(good, 14, 9), // salt length 36
                good, // well-formed, but random keys: the unwrap integrity check fails
            };
            int[] expected = {SrtRejectReason.UNSECURE.code(), SrtRejectReason.UNSECURE.code(),
                SrtRejectReason.UNSECURE.code(), SrtRejectReason.BADSECRET.code()};
            for (int i = 0; i < garbage.length; i++) {
                int answer = concludeWith(raw, target, 0x100 + i, garbage[i]);
                assertTrue(SrtHandshakeType.isRejection(answer), "rejected: " + SrtHandshakeType.name(answer));
                assertEquals(expected[i], SrtHandshakeType.reasonCode(answer), "garbage " + i);
            }
            assertEquals(garbage.length, listener.rejectedHandshakes());
            // The established connection goes on, and a new one is accepted.
            sendNumbered(c, 0, 100);
            assertNumbered(server, 100);
            SrtConnection c2 = SrtCaller.connect(config(SECRET).build(), group, NioDatagramChannel.class, target,
                    "good2", new PayloadCollector()).get(5, TimeUnit.SECONDS);
            assertTrue(c2.isOpen());
            c2.close();
            c.close();
        }
    }

    private static byte[] withByte(byte[] b, int at, int value) {
        byte[] c = b.clone();
        c[at] = (byte) value;
        return c;
    }

    /** Runs a raw caller handshake with {@code kmreq} as key material; returns the answer's handshake type. */
    private static int concludeWith(DatagramSocket raw, InetSocketAddress target, int socketId, byte[] kmreq)
            throws Exception {
        SrtHandshake induction = new SrtHandshake(4, 0, SrtHsFlags.UDT_DGRAM, 1000, 1500, 8192,
                SrtHandshakeType.INDUCTION, socketId, 0, target.getAddress(), List.of(), 0, 0);
        SrtHandshake answer = exchange(raw, target, induction);
        SrtHsMessage hsreq = new SrtHsMessage(SrtHsMessage.VERSION_1_5_0,
                SrtHsFlags.TSBPDSND | SrtHsFlags.TSBPDRCV, 120, 120);
        SrtHandshake conclusion = new SrtHandshake(5, 2, SrtHsFlags.EXT_HSREQ | SrtHsFlags.EXT_KMREQ, 1000, 1500,
                8192, SrtHandshakeType.CONCLUSION, socketId, answer.synCookie(), target.getAddress(),
                List.of(hsreq.toExtension(SrtHandshakeExtension.HSREQ),
                        new SrtHandshakeExtension(SrtHandshakeExtension.KMREQ, kmreq)), 0, 0);
        return exchange(raw, target, conclusion).type();
    }

    private static SrtHandshake exchange(DatagramSocket raw, InetSocketAddress target, SrtHandshake hs)
            throws Exception {
        ByteBuf out = SrtPacketEncoder.encode(hs, ByteBufAllocator.DEFAULT);
        byte[] bytes = new byte[out.readableBytes()];
        out.readBytes(bytes);
        out.release();
        raw.send(new DatagramPacket(bytes, bytes.length, target));
        raw.setSoTimeout(5000);
        byte[] buf = new byte[1500];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        raw.receive(p);
        return (SrtHandshake) new SrtPacketDecoder(1472).decode(Unpooled.wrappedBuffer(buf, 0, p.getLength()));
    }
}
