package io.livehub.srt;

import io.livehub.srt.internal.SrtEndpoint;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.socket.DatagramChannel;
import io.netty.util.concurrent.Future;
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

    private final Channel channel;
    private final SrtEndpoint endpoint;

    private SrtListener(Channel channel, SrtEndpoint endpoint) {
        this.channel = channel;
        this.endpoint = endpoint;
    }

    /**
     * Binds {@code config.host():config.port()} on one event loop of {@code group}.
     *
     * @throws InterruptedException when interrupted while binding
     */
    public static SrtListener bind(SrtConfig config, EventLoopGroup group, Class<? extends DatagramChannel> type,
                                   SrtAcceptor acceptor) throws InterruptedException {
        Objects.requireNonNull(acceptor, "acceptor");
        SrtEndpoint endpoint = new SrtEndpoint(config, acceptor);
        Channel ch = bootstrap(config, group, type, endpoint).bind(config.host(), config.port()).sync().channel();
        return new SrtListener(ch, endpoint);
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
        return (InetSocketAddress) channel.localAddress();
    }

    public int port() {
        return localAddress().getPort();
    }

    /** Returns the number of established connections. */
    public int connectionCount() {
        return endpoint.connectionCount();
    }

    /** Returns how many datagrams were dropped as malformed (bad header, bad handshake, wrong cookie). */
    public long malformedDatagrams() {
        return endpoint.malformedDatagrams();
    }

    /** Returns how many packets named an unknown socket id. */
    public long unknownSocketPackets() {
        return endpoint.unknownSocketPackets();
    }

    /** Returns how many packets for an established connection came from another address and were dropped. */
    public long foreignPeerPackets() {
        return endpoint.foreignPeerPackets();
    }

    /** Returns how many callers were rejected. */
    public long rejectedHandshakes() {
        return endpoint.rejectedHandshakes();
    }

    /** Returns how many times the connections switched their sending key (key refresh). */
    public long keySwitches() {
        return endpoint.keySwitches();
    }

    /** Returns how many refreshed keys peers announced in-stream were installed. */
    public long keysReceived() {
        return endpoint.keysReceived();
    }

    /** Sends a shutdown on every connection and closes the port. */
    public Future<Void> closeAsync() {
        channel.eventLoop().execute(endpoint::shutdownAll);
        return channel.close();
    }

    @Override
    public void close() {
        closeAsync().syncUninterruptibly();
    }
}
