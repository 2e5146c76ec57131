package io.livehub.srt;

import io.livehub.srt.internal.SrtEndpoint;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.PromiseCombiner;
import java.util.ArrayList;
import java.util.List;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Listens for SRT callers on one UDP port (draft-sharabayko-srt section 4.3.1): every
 * connection of the port shares one {@link DatagramChannel} and is told apart by its
 * destination socket id. The {@link SrtAcceptor} decides about each caller.
 *
 * <pre>{@code
 * SrtListener l = SrtListener.bind(SrtConfig.builder().port(10080).build(), group, NioDatagramChannel.class,
 *         req -> CompletableFuture.completedFuture(SrtAcceptDecision.accept(handler)));
 * }</pre>
 *
 * <p>Thread-safety: all methods may be called from any thread.
 */
public final class SrtListener implements AutoCloseable {

    /** The socket buffers asked of the OS; the kernel may grant less (net.core.rmem_max). */
    static final int SOCKET_BUFFER_BYTES = 4 << 20;

    private final List<Channel> channels;
    private final List<SrtEndpoint> endpoints;

    private SrtListener(List<Channel> channels, List<SrtEndpoint> endpoints) {
        this.channels = channels;
        this.endpoints = endpoints;
    }

    /**
     * Binds {@code config.host():config.port()} on one event loop of {@code group}, or, with
     * {@link SrtConfig#listenerSockets()} above 1, that many sockets with SO_REUSEPORT on as
     * many event loops (each socket has its own connections; the kernel keeps a caller on one).
     *
     * @throws IllegalArgumentException when several sockets are asked of a non-epoll channel type
     * @throws ChannelException when a socket cannot be bound; its message names the address
     * @throws InterruptedException when interrupted while binding
     */
    public static SrtListener bind(SrtConfig config, EventLoopGroup group, Class<? extends DatagramChannel> type,
                                   SrtAcceptor acceptor) throws InterruptedException {
        Objects.requireNonNull(acceptor, "acceptor");
        int n = config.listenerSockets();
        if (n > 1 && !EpollDatagramChannel.class.isAssignableFrom(type)) {
            throw new IllegalArgumentException("listenerSockets " + n + " needs epoll (SO_REUSEPORT), not "
                    + type.getSimpleName());
        }
        List<Channel> channels = new ArrayList<>(n);
        List<SrtEndpoint> endpoints = new ArrayList<>(n);
        try {
            int port = config.port();
            for (int i = 0; i < n; i++) {
                SrtEndpoint endpoint = new SrtEndpoint(config, acceptor);
                Bootstrap b = bootstrap(config, group, type, endpoint);
                if (n > 1) {
                    b.option(EpollChannelOption.SO_REUSEPORT, true);
                }
                Channel ch = bind(b, config.host(), port);
                port = ((InetSocketAddress) ch.localAddress()).getPort();
                channels.add(ch);
                endpoints.add(endpoint);
            }
        } catch (RuntimeException | InterruptedException e) {
            for (Channel ch : channels) {
                ch.close();
            }
            throw e;
        }
        if (n > 1) {
            List<SrtEndpoint> all = List.copyOf(endpoints);
            for (SrtEndpoint e : all) {
                e.listenerConnections(() -> {
                    int total = 0;
                    for (SrtEndpoint x : all) {
                        total += x.connectionCount();
                    }
                    return total;
                });
            }
        }
        return new SrtListener(List.copyOf(channels), List.copyOf(endpoints));
    }

    /** Binds one socket; a failure names the module and the address, which Netty's exception does not. */
    private static Channel bind(Bootstrap b, String host, int port) throws InterruptedException {
        ChannelFuture f = b.bind(host, port).await();
        if (!f.isSuccess()) {
            Throwable cause = f.cause();
            throw new ChannelException("srt: cannot bind UDP " + host + ":" + port + ": "
                    + (cause.getMessage() != null ? cause.getMessage() : cause.toString()), cause);
        }
        return f.channel();
    }

    static Bootstrap bootstrap(SrtConfig config, EventLoopGroup group, Class<? extends DatagramChannel> type,
                               SrtEndpoint endpoint) {
        return new Bootstrap().group(group).channel(type)
                .option(ChannelOption.SO_RCVBUF, SOCKET_BUFFER_BYTES)
                .option(ChannelOption.SO_SNDBUF, SOCKET_BUFFER_BYTES)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(config.maxPacketSize() + 1))
                .handler(endpoint);
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channels.get(0).localAddress();
    }

    /** Returns the established connections of each socket, in bind order (one entry unless SO_REUSEPORT). */
    public int[] connectionCounts() {
        int[] counts = new int[endpoints.size()];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = endpoints.get(i).connectionCount();
        }
        return counts;
    }

    public int port() {
        return localAddress().getPort();
    }

    /** Returns the number of established connections. */
    public int connectionCount() {
        int n = 0;
        for (SrtEndpoint e : endpoints) {
            n += e.connectionCount();
        }
        return n;
    }

    /** Returns how many datagrams were dropped as malformed (bad header, bad handshake, wrong cookie). */
    public long malformedDatagrams() {
        long n = 0;
        for (SrtEndpoint e : endpoints) {
            n += e.malformedDatagrams();
        }
        return n;
    }

    /** Returns how many packets named an unknown socket id. */
    public long unknownSocketPackets() {
        long n = 0;
        for (SrtEndpoint e : endpoints) {
            n += e.unknownSocketPackets();
        }
        return n;
    }

    /** Returns how many packets for an established connection came from another address and were dropped. */
    public long foreignPeerPackets() {
        long n = 0;
        for (SrtEndpoint e : endpoints) {
            n += e.foreignPeerPackets();
        }
        return n;
    }

    /** Returns how many callers were rejected. */
    public long rejectedHandshakes() {
        long n = 0;
        for (SrtEndpoint e : endpoints) {
            n += e.rejectedHandshakes();
        }
        return n;
    }

    /** Returns how many times the connections switched their sending key (key refresh). */
    public long keySwitches() {
        long n = 0;
        for (SrtEndpoint e : endpoints) {
            n += e.keySwitches();
        }
        return n;
    }

    /** Returns how many refreshed keys peers announced in-stream were installed. */
    public long keysReceived() {
        long n = 0;
        for (SrtEndpoint e : endpoints) {
            n += e.keysReceived();
        }
        return n;
    }

    /** Sends a shutdown on every connection and closes the port. */
    public Future<Void> closeAsync() {
        if (channels.size() == 1) {
            channels.get(0).eventLoop().execute(endpoints.get(0)::shutdownAll);
            return channels.get(0).close();
        }
        Promise<Void> done = GlobalEventExecutor.INSTANCE.newPromise();
        GlobalEventExecutor.INSTANCE.execute(() -> {
            PromiseCombiner all = new PromiseCombiner(GlobalEventExecutor.INSTANCE);
            for (int i = 0; i < channels.size(); i++) {
                Channel ch = channels.get(i);
                ch.eventLoop().execute(endpoints.get(i)::shutdownAll);
                all.add(ch.close());
            }
            all.finish(done);
        });
        return done;
    }

    @Override
    public void close() {
        closeAsync().syncUninterruptibly();
    }
}
