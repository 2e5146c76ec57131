package io.livehub.rtmp.client;

import io.livehub.rtmp.chunk.RtmpChunkDecoder;
import io.livehub.rtmp.chunk.RtmpChunkEncoder;
import io.livehub.rtmp.handshake.RtmpClientHandshakeHandler;
import io.livehub.spi.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.URI;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Function;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * Publishes streams to and plays streams from RTMP and RTMPS servers (RTMP spec §5.2 handshake,
 * §5.3 chunking, §7.2 command flow), the way FFmpeg and OBS do.
 *
 * <pre>{@code
 * try (RtmpClient client = RtmpClient.create()) {
 *     RtmpPublishSession s = client.publish("rtmp://127.0.0.1/live/cam1")
 *             .toCompletableFuture().get(10, TimeUnit.SECONDS);
 *     s.send(frame); // MediaFrames from any source
 *     s.close();
 * }
 * }</pre>
 *
 * <p>A client runs its connections on an {@link EventLoopGroup}: its own single NIO thread from
 * {@link #create()} and {@link #create(RtmpClientConfig)}, which {@link #close()} shuts down, or a
 * shared group (a server's worker loops, through {@link #create(RtmpClientConfig, Transport)}),
 * which it leaves running. Each session is one connection; a client holds no other state, so one
 * client can serve any number of sessions.
 *
 * <p>The stages returned by {@link #publish} and {@link #play} complete on the connection's event
 * loop: dependent actions that block must use an {@code ...Async} variant with another executor.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class RtmpClient implements AutoCloseable {

    private final RtmpClientConfig config;
    private final EventLoopGroup group;
    private final Class<? extends Channel> channelType;
    private final boolean ownsGroup;
    private final ChannelGroup channels = new DefaultChannelGroup("rtmp-client", GlobalEventExecutor.INSTANCE);
    private final Object sslLock = new Object();
    private SslContext defaultSslContext;
    private volatile boolean closed;

    private RtmpClient(RtmpClientConfig config, EventLoopGroup group, Class<? extends Channel> channelType,
            boolean ownsGroup) {
        this.config = Objects.requireNonNull(config, "config");
        this.group = Objects.requireNonNull(group, "group");
        this.channelType = Objects.requireNonNull(channelType, "channelType");
        this.ownsGroup = ownsGroup;
    }

    /** Returns a client with {@link RtmpClientConfig#DEFAULT} on its own single NIO event loop. */
    public static RtmpClient create() {
        return create(RtmpClientConfig.DEFAULT);
    }

    /** Returns a client on its own single NIO event loop, which {@link #close()} shuts down. */
    public static RtmpClient create(RtmpClientConfig config) {
        Objects.requireNonNull(config, "config");
        EventLoopGroup group = new NioEventLoopGroup(1, new DefaultThreadFactory("livehub-rtmp-client", true));
        return new RtmpClient(config, group, NioSocketChannel.class, true);
    }

    /**
     * Returns a client on a shared event loop group, which {@link #close()} leaves running.
     *
     * @param channelType the socket channel class that matches {@code group}, such as
     *     {@code NioSocketChannel.class} or {@code EpollSocketChannel.class}
     */
    public static RtmpClient create(RtmpClientConfig config, EventLoopGroup group,
            Class<? extends Channel> channelType) {
        return new RtmpClient(config, group, channelType, false);
    }

    /** Returns a client on a server's worker loops ({@link Transport#workerGroup()}), left running by {@link #close()}. */
    public static RtmpClient create(RtmpClientConfig config, Transport transport) {
        return create(config, transport.workerGroup(), transport.socketChannel());
    }

    /** Returns the configuration. */
    public RtmpClientConfig config() {
        return config;
    }

    /**
     * Publishes to {@code url}; see {@link #publish(RtmpUrl)}.
     *
     * @throws IllegalArgumentException when {@code url} is not an {@code rtmp} or {@code rtmps} URL
     *     with an app and a stream ({@link RtmpUrl#parse(String)})
     */
    public CompletionStage<RtmpPublishSession> publish(String url) {
        return publish(RtmpUrl.parse(url));
    }

    /**
     * Publishes to {@code url}; see {@link #publish(RtmpUrl)}.
     *
     * @throws IllegalArgumentException when {@code url} is not an {@code rtmp} or {@code rtmps} URL
     *     with an app and a stream ({@link RtmpUrl#parse(URI)})
     */
    public CompletionStage<RtmpPublishSession> publish(URI url) {
        return publish(RtmpUrl.parse(url));
    }

    /**
     * Connects and starts publishing (RTMP spec §7.2): handshake, {@code connect} with the
     * URL's app and tcUrl, {@code releaseStream}, {@code FCPublish}, {@code createStream} and
     * {@code publish(stream, "live")}.
     *
     * @return a stage that completes with the session on {@code NetStream.Publish.Start}, or
     *     fails with an {@link RtmpStatusException} when the server refuses (for example
     *     {@code NetStream.Publish.BadName} when the stream is already published,
     *     {@code NetStream.Publish.Denied}, {@code NetConnection.Connect.Rejected}), or with an
     *     {@link RtmpClientException} when the connection, a handshake or a command times out or
     *     fails
     */
    public CompletionStage<RtmpPublishSession> publish(RtmpUrl url) {
        Objects.requireNonNull(url, "url");
        return open(url, ch -> {
            RtmpPublishSession s = new RtmpPublishSession(ch, url);
            return new Opening<>(s, (cfg, started) -> {
                RtmpClientHandler h = RtmpClientHandler.forPublish(cfg, url, s, started);
                s.handler(h);
                return h;
            });
        });
    }

    /**
     * Plays {@code url}; see {@link #play(RtmpUrl, RtmpPlayListener)}.
     *
     * @throws IllegalArgumentException when {@code url} is not an {@code rtmp} or {@code rtmps} URL
     *     with an app and a stream ({@link RtmpUrl#parse(String)})
     */
    public CompletionStage<RtmpPlaySession> play(String url, RtmpPlayListener listener) {
        return play(RtmpUrl.parse(url), listener);
    }

    /**
     * Plays {@code url}; see {@link #play(RtmpUrl, RtmpPlayListener)}.
     *
     * @throws IllegalArgumentException when {@code url} is not an {@code rtmp} or {@code rtmps} URL
     *     with an app and a stream ({@link RtmpUrl#parse(URI)})
     */
    public CompletionStage<RtmpPlaySession> play(URI url, RtmpPlayListener listener) {
        return play(RtmpUrl.parse(url), listener);
    }

    /**
     * Connects and starts playing (RTMP spec §7.2): handshake, {@code connect},
     * {@code createStream}, Set Buffer Length and {@code play(stream)}. Media, metadata and
     * status go to {@code listener} on the connection's event loop.
     *
     * @return a stage that completes with the session on {@code NetStream.Play.Start}, or fails
     *     with an {@link RtmpStatusException} when the server refuses (for example
     *     {@code NetStream.Play.StreamNotFound}, {@code NetConnection.Connect.Rejected}), or with
     *     an {@link RtmpClientException} when the connection, a handshake or a command times out
     *     or fails; the listener is called only after the stage completed normally
     */
    public CompletionStage<RtmpPlaySession> play(RtmpUrl url, RtmpPlayListener listener) {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(listener, "listener");
        return open(url, ch -> {
            RtmpPlaySession s = new RtmpPlaySession(ch, url);
            return new Opening<>(s, (cfg, started) -> {
                RtmpClientHandler h = RtmpClientHandler.forPlay(cfg, url, s, listener, started);
                s.handler(h);
                return h;
            });
        });
    }

    /** The session of a connection being opened and how to make its handler. */
    private record Opening<S>(S session, BiFunction<RtmpClientConfig, CompletableFuture<Void>, RtmpClientHandler> handler) {
    }

    private <S> CompletionStage<S> open(RtmpUrl url, Function<Channel, Opening<S>> opener) {
        if (closed) {
            return CompletableFuture.failedFuture(new RtmpClientException("RTMP client is closed"));
        }
        SslContext ssl;
        try {
            ssl = url.isSecure() ? sslContext() : null;
        } catch (SSLException e) {
            return CompletableFuture.failedFuture(new RtmpClientException("cannot make a TLS context: " + e.getMessage(), e));
        }
        CompletableFuture<Void> started = new CompletableFuture<>();
        CompletableFuture<S> result = new CompletableFuture<>();
        Bootstrap b = new Bootstrap()
                .group(group)
                .channel(channelType)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, config.connectTimeout().toMillis()))
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, config.writeBufferWaterMark())
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        channels.add(ch);
                        Opening<S> o = opener.apply(ch);
                        ChannelPipeline p = ch.pipeline();
                        if (ssl != null) {
                            p.addLast("tls", tlsHandler(ssl, ch, url));
                        }
                        p.addLast("handshake", new RtmpClientHandshakeHandler(config.handshake()));
                        p.addLast("chunkDecoder", new RtmpChunkDecoder(config.chunk()));
                        p.addLast("chunkEncoder", new RtmpChunkEncoder(config.chunk()));
                        p.addLast("session", o.handler().apply(config, started));
                        started.whenComplete((v, t) -> {
                            if (t == null) {
                                result.complete(o.session());
                            } else {
                                result.completeExceptionally(t);
                            }
                        });
                    }
                });
        if (config.sendBufferSize() > 0) {
            b.option(ChannelOption.SO_SNDBUF, config.sendBufferSize());
        }
        ChannelFuture f;
        try {
            f = b.connect(url.host(), url.port());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(new RtmpClientException("cannot connect to " + url.host() + ":"
                    + url.port() + ": " + e, e));
        }
        f.addListener(done -> {
            if (!done.isSuccess()) {
                Throwable c = done.cause();
                result.completeExceptionally(new RtmpClientException("cannot connect to " + url.host() + ":"
                        + url.port() + ": " + (c == null ? "cancelled" : c.getMessage()), c));
            }
        });
        return result;
    }

    private ChannelHandler tlsHandler(SslContext ssl, Channel ch, RtmpUrl url) {
        SslHandler h = ssl.newHandler(ch.alloc(), url.host(), url.port());
        if (config.hostnameVerification()) {
            SSLEngine engine = h.engine();
            SSLParameters params = engine.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS");
            engine.setSSLParameters(params);
        }
        h.setHandshakeTimeoutMillis(config.handshake().timeout().toMillis());
        return h;
    }

    private SslContext sslContext() throws SSLException {
        if (config.sslContext() != null) {
            return config.sslContext();
        }
        synchronized (sslLock) {
            if (defaultSslContext == null) {
                // No trust manager given: the JDK's default trust store verifies the server.
                defaultSslContext = SslContextBuilder.forClient().build();
            }
            return defaultSslContext;
        }
    }

    /**
     * Closes every session politely (as their {@code close()} does), then, for a client with its
     * own event loop, shuts that loop down. Waits up to two seconds for the connections to close
     * unless called on one of the client's event loops. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Channel ch : channels) {
            RtmpClientHandler h = ch.pipeline().get(RtmpClientHandler.class);
            if (h != null) {
                h.requestClose();
            } else {
                ch.close();
            }
        }
        boolean onOwnLoop = false;
        for (EventExecutor e : group) {
            onOwnLoop |= e.inEventLoop();
        }
        if (!onOwnLoop) {
            channels.newCloseFuture().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        if (ownsGroup) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
            if (!onOwnLoop) {
                group.terminationFuture().awaitUninterruptibly(5, TimeUnit.SECONDS);
            }
        }
    }
}
