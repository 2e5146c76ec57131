package io.livehub.srt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.livehub.srt.handshake.SrtRejectReason;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A listener bound with several SO_REUSEPORT sockets on several event loops (epoll). */
class SrtReusePortTest {

    @Test
    void callersSpreadOverTheSocketsAndEachKeepsItsStream() throws Exception {
        assumeTrue(Epoll.isAvailable(), "epoll");
        EventLoopGroup group = new EpollEventLoopGroup(4);
        int n = 24;
        SrtConfig cfg = SrtConfig.builder().host("127.0.0.1").port(0).latency(Duration.ofMillis(80))
                .listenerSockets(3).build();
        Map<String, PayloadCollector> byStreamId = new ConcurrentHashMap<>();
        try (SrtListener listener = SrtListener.bind(cfg, group, EpollDatagramChannel.class, req -> {
            PayloadCollector c = new PayloadCollector();
            byStreamId.put(req.streamId(), c);
            return CompletableFuture.completedFuture(SrtAcceptDecision.accept(c));
        })) {
            InetSocketAddress to = new InetSocketAddress("127.0.0.1", listener.port());
            SrtConfig callerCfg = SrtConfig.builder().latency(Duration.ofMillis(80)).build();
            List<Future<SrtConnection>> pending = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                pending.add(SrtCaller.connect(callerCfg, group, EpollDatagramChannel.class, to, "c" + i,
                        new PayloadCollector()));
            }
            List<SrtConnection> callers = new ArrayList<>();
            for (Future<SrtConnection> f : pending) {
                callers.add(f.get(10, TimeUnit.SECONDS));
            }
            assertEquals(n, listener.connectionCount());
            int[] counts = listener.connectionCounts();
            assertEquals(3, counts.length);
            int used = 0;
            for (int c : counts) {
                used += c > 0 ? 1 : 0;
            }
            // 24 callers from 24 source ports: the kernel's hash puts them all on one socket with
            // probability 3 * 3^-24.
            org.junit.jupiter.api.Assertions.assertTrue(used >= 2,
                    "connections per socket " + java.util.Arrays.toString(counts));
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < 5; k++) {
                    callers.get(i).send(Unpooled.wrappedBuffer(PayloadCollector.payload(i * 100 + k, 188)));
                }
            }
            PayloadCollector.await(() -> byStreamId.values().stream().allMatch(c -> c.payloads.size() == 5)
                    && byStreamId.size() == n, 10_000, "5 payloads per caller");
            for (int i = 0; i < n; i++) {
                assertEquals(i * 100 + 4, PayloadCollector.indexOf(byStreamId.get("c" + i).payloads.get(4)));
            }
            for (SrtConnection c : callers) {
                c.close();
            }
            PayloadCollector.await(() -> listener.connectionCount() == 0, 10_000, "all closed");
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void theConnectionLimitHoldsForTheWholeListener() throws Exception {
        assumeTrue(Epoll.isAvailable(), "epoll");
        EventLoopGroup group = new EpollEventLoopGroup(2);
        SrtConfig cfg = SrtConfig.builder().host("127.0.0.1").port(0).listenerSockets(2).maxConnections(3).build();
        try (SrtListener listener = SrtListener.bind(cfg, group, EpollDatagramChannel.class,
                req -> CompletableFuture.completedFuture(SrtAcceptDecision.accept(new PayloadCollector())))) {
            InetSocketAddress to = new InetSocketAddress("127.0.0.1", listener.port());
            SrtConfig callerCfg = SrtConfig.defaults();
            List<SrtConnection> ok = new ArrayList<>();
            int rejected = 0;
            for (int i = 0; i < 6; i++) {
                try {
                    ok.add(SrtCaller.connect(callerCfg, group, EpollDatagramChannel.class, to, "c" + i,
                            new PayloadCollector()).get(5, TimeUnit.SECONDS));
                } catch (ExecutionException e) {
                    assertEquals(SrtRejectReason.RESOURCE.code(),
                            assertInstanceOf(SrtRejectedException.class, e.getCause()).rejectCode());
                    rejected++;
                }
            }
            assertEquals(3, ok.size());
            assertEquals(3, rejected);
            for (SrtConnection c : ok) {
                c.close();
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void severalSocketsNeedEpoll() {
        SrtConfig cfg = SrtConfig.builder().host("127.0.0.1").port(0).listenerSockets(2).build();
        assertThrows(IllegalArgumentException.class, () -> SrtListener.bind(cfg, null, NioDatagramChannel.class,
                req -> CompletableFuture.completedFuture(SrtAcceptDecision.reject(SrtRejectReason.FORBIDDEN, "x"))));
    }
}
