package io.livehub.srt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.srt.handshake.SrtRejectReason;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The listener's limits: the connection limit, the peer idle timeout, and many callers on one port at once. */
class SrtListenerLimitsTest {

    static EventLoopGroup group;

    @BeforeAll
    static void start() {
        group = new NioEventLoopGroup(2);
    }

    @AfterAll
    static void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    static SrtConfig.Builder config() {
        return SrtConfig.builder().host("127.0.0.1").port(0).latency(Duration.ofMillis(80));
    }

    static Future<SrtConnection> call(SrtConfig config, InetSocketAddress to, String sid, PayloadCollector c) {
        return SrtCaller.connect(config, group, NioDatagramChannel.class, to, sid, c);
    }

    @Test
    void callersBeyondTheConnectionLimitAreRejectedWithResourceUntilOneLeaves() throws Exception {
        SrtConfig cfg = config().maxConnections(2).build();
        try (SrtListener listener = SrtListener.bind(cfg, group, NioDatagramChannel.class,
                req -> CompletableFuture.completedFuture(SrtAcceptDecision.accept(new PayloadCollector())))) {
            InetSocketAddress to = new InetSocketAddress("127.0.0.1", listener.port());
            SrtConnection a = call(cfg, to, "a", new PayloadCollector()).get(5, TimeUnit.SECONDS);
            SrtConnection b = call(cfg, to, "b", new PayloadCollector()).get(5, TimeUnit.SECONDS);
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> call(cfg, to, "c", new PayloadCollector()).get(5, TimeUnit.SECONDS));
            assertEquals(SrtRejectReason.RESOURCE.code(),
                    assertInstanceOf(SrtRejectedException.class, e.getCause()).rejectCode());
            assertEquals(1, listener.rejectedHandshakes());
            assertEquals(2, listener.connectionCount());
            a.close();
            PayloadCollector.await(() -> listener.connectionCount() == 1, 5000, "the closed connection removed");
            SrtConnection d = call(cfg, to, "d", new PayloadCollector()).get(5, TimeUnit.SECONDS);
            assertEquals(2, listener.connectionCount());
            b.close();
            d.close();
        }
    }

    @Test
    void aPeerThatFallsSilentIsClosedAfterTheIdleTimeout() throws Exception {
        SrtConfig cfg = config().peerIdleTimeout(Duration.ofMillis(700)).build();
        PayloadCollector server = new PayloadCollector();
        try (SrtListener listener = SrtListener.bind(cfg, group, NioDatagramChannel.class,
                req -> CompletableFuture.completedFuture(SrtAcceptDecision.accept(server)))) {
            PayloadCollector client = new PayloadCollector();
            SrtConnection c;
            try (LossyRelay relay = new LossyRelay(new InetSocketAddress("127.0.0.1", listener.port()), 0, 0, 1)) {
                c = call(cfg, relay.address(), "idle", client).get(5, TimeUnit.SECONDS);
                c.send(Unpooled.wrappedBuffer(PayloadCollector.payload(0, 188)));
                PayloadCollector.await(() -> server.payloads.size() == 1, 5000, "a payload through the relay");
                // Keep-alives go out every second and are answered: an idle but connected peer stays.
            }
            // The relay is gone: neither side hears the other any more.
            PayloadCollector.await(() -> !server.closed.isEmpty(), 10_000, "the listener's side closed");
            assertEquals("peer idle for 700 ms", server.closed.get(0));
            PayloadCollector.await(() -> listener.connectionCount() == 0, 5000, "connection removed");
            PayloadCollector.await(() -> !client.closed.isEmpty(), 10_000, "the caller's side closed");
            assertTrue(!c.isOpen());
        }
    }

    @Test
    void fiftyCallersConnectAtOnceOnOnePortAndEachGetsItsOwnStream() throws Exception {
        int n = 50;
        SrtConfig cfg = config().build();
        Map<String, PayloadCollector> byStreamId = new ConcurrentHashMap<>();
        try (SrtListener listener = SrtListener.bind(cfg, group, NioDatagramChannel.class, req -> {
            PayloadCollector c = new PayloadCollector();
            byStreamId.put(req.streamId(), c);
            return CompletableFuture.completedFuture(SrtAcceptDecision.accept(c));
        })) {
            InetSocketAddress to = new InetSocketAddress("127.0.0.1", listener.port());
            List<Future<SrtConnection>> pending = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                pending.add(call(cfg, to, "caller-" + i, new PayloadCollector()));
            }
            List<SrtConnection> callers = new ArrayList<>();
            for (Future<SrtConnection> f : pending) {
                callers.add(f.get(10, TimeUnit.SECONDS));
            }
            assertEquals(n, listener.connectionCount());
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < 10; k++) {
                    callers.get(i).send(Unpooled.wrappedBuffer(PayloadCollector.payload(i * 1000 + k, 188)));
                }
            }
            PayloadCollector.await(() -> byStreamId.size() == n
                    && byStreamId.values().stream().allMatch(c -> c.payloads.size() == 10), 15_000, "10 payloads each");
            Set<Integer> ids = new HashSet<>();
            for (int i = 0; i < n; i++) {
                PayloadCollector c = byStreamId.get("caller-" + i);
                for (int k = 0; k < 10; k++) {
                    assertEquals(i * 1000 + k, PayloadCollector.indexOf(c.payloads.get(k)), "caller " + i);
                }
                ids.add(c.connection.socketId());
            }
            assertEquals(n, ids.size(), "socket ids are distinct");
            for (SrtConnection c : callers) {
                c.close();
            }
            PayloadCollector.await(() -> listener.connectionCount() == 0, 10_000, "all closed");
        }
    }
}
