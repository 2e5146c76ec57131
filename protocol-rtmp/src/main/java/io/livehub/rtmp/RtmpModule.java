package io.livehub.rtmp;

import io.livehub.net.ConnectionLimiter;
import io.livehub.net.ConnectionLimits;
import io.livehub.rtmp.chunk.RtmpChunkDecoder;
import io.livehub.rtmp.chunk.RtmpChunkEncoder;
import io.livehub.rtmp.handshake.RtmpServerHandshakeHandler;
import io.livehub.rtmp.internal.RtmpServerHandler;
import io.livehub.rtmp.internal.TrafficCounter;
import io.livehub.spi.ServerContext;
import io.livehub.spi.ServerModule;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves RTMP (or RTMPS, with a TLS context) publish and play on one port.
 *
 * <pre>{@code
 * MediaServer.builder().module(RtmpModule.builder().port(1935).build())
 * }</pre>
 *
 * <p>The bound port is reported as {@code "rtmp"} ({@code "rtmps"} with TLS).
 */
public final class RtmpModule implements ServerModule {

    private static final Logger log = LoggerFactory.getLogger(RtmpModule.class);

    private final RtmpConfig config;
    private final ChannelGroup channels = new DefaultChannelGroup("rtmp", GlobalEventExecutor.INSTANCE);
    private final ConnectionLimiter limiter;
    private volatile Channel serverChannel;

    private RtmpModule(RtmpConfig config) {
        this.config = config;
        this.limiter = new ConnectionLimiter("RTMP",
                ConnectionLimits.of(config.maxConnectionsPerAddress(), config.maxConnections()));
    }

    /** Returns a builder of the module, with every setting of {@link RtmpConfig}. */
    public static Builder builder() {
        return new Builder();
    }

    public RtmpConfig config() {
        return config;
    }

    @Override
    public String name() {
        return config.sslContext() != null ? "rtmps" : "rtmp";
    }

    /** Returns the number of open connections. */
    public int connectionCount() {
        return limiter.open();
    }

    /** Returns the connection caps' counters (open and refused connections). */
    public ConnectionLimiter connectionLimiter() {
        return limiter;
    }

    @Override
    public void start(ServerContext context) throws Exception {
        ServerBootstrap b = new ServerBootstrap()
                .group(context.transport().bossGroup(), context.transport().workerGroup())
                .channel(context.transport().serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, config.tcpNoDelay())
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 * 1024, 1024 * 1024))
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (!limiter.admit(ch)) {
                            return;
                        }
                        channels.add(ch);
                        ChannelPipeline p = ch.pipeline();
                        if (config.sslContext() != null) {
                            p.addLast("tls", config.sslContext().newHandler(ch.alloc()));
                        }
                        TrafficCounter traffic = new TrafficCounter();
                        p.addLast("traffic", traffic);
                        long idle = config.idleTimeout().toMillis();
                        if (idle > 0) {
                            p.addLast("idle", new IdleStateHandler(idle, 0, 0, TimeUnit.MILLISECONDS));
                        }
                        p.addLast("handshake", new RtmpServerHandshakeHandler(config.handshake()));
                        p.addLast("chunkDecoder", new RtmpChunkDecoder(config.chunk()));
                        p.addLast("chunkEncoder", new RtmpChunkEncoder(config.chunk()));
                        p.addLast("session", new RtmpServerHandler(context, config, traffic));
                    }
                });
        try {
            serverChannel = b.bind(config.host(), config.port()).sync().channel();
        } catch (Exception e) {
            throw new java.io.IOException(name() + ": cannot bind TCP " + config.host() + ":" + config.port() + ": "
                    + e.getMessage(), e);
        }
        int port = ((InetSocketAddress) serverChannel.localAddress()).getPort();
        context.reportPort(name(), port);
        log.info("{} listening on {}:{}", name().toUpperCase(), config.host(), port);
    }

    @Override
    public CompletionStage<Void> stop() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Channel sc = serverChannel;
        serverChannel = null;
        if (sc == null) {
            done.complete(null);
            return done;
        }
        sc.close().addListener(f -> channels.close().addListener(g -> done.complete(null)));
        return done;
    }

    /** Builds an {@link RtmpModule}; its settings are those of {@link RtmpConfig}, with the same defaults. */
    public static final class Builder extends RtmpConfig.Settings<Builder> {
        private Builder() {
        }

        /** @throws IllegalArgumentException when a value is out of range */
        public RtmpModule build() {
            return new RtmpModule(toConfig());
        }
    }
}
