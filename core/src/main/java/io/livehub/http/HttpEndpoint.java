package io.livehub.http;

import io.livehub.FatalErrorHandler;
import io.livehub.net.ConnectionLimiter;
import io.livehub.spi.Transport;
import io.livehub.util.RateLimitedLog;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared HTTP/1.1 endpoint of a server: one port on which every module's
 * {@link HttpService} is served (HTTP-FLV, HLS, the API), with CORS preflight answered here.
 *
 * <p>Thread-safety: {@link #start} and {@link #close} from one thread; requests run on the
 * worker event loops.
 */
public final class HttpEndpoint implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HttpEndpoint.class);
    private static final RateLimitedLog limitedLog = new RateLimitedLog(log, Duration.ofSeconds(10));

    private final HttpServerConfig config;
    private final HttpRoutes routes;
    private final ChannelGroup channels = new DefaultChannelGroup("http", GlobalEventExecutor.INSTANCE);
    private final ConnectionLimiter limiter;
    private final LongAdder headTimeouts = new LongAdder();
    private Channel serverChannel;

    public HttpEndpoint(HttpServerConfig config, HttpRoutes routes) {
        this.config = config;
        this.routes = routes;
        this.limiter = new ConnectionLimiter("HTTP", config.connectionLimits());
    }

    /** Returns the connection caps' counters (open and refused connections). */
    public ConnectionLimiter connectionLimiter() {
        return limiter;
    }

    /** Returns how many connections were closed because a request head was not complete in time. */
    public long headTimeouts() {
        return headTimeouts.sum();
    }

    /** Binds the endpoint and returns the bound port. */
    public int start(Transport transport) throws InterruptedException {
        ServerBootstrap b = new ServerBootstrap()
                .group(transport.bossGroup(), transport.workerGroup())
                .channel(transport.serverChannel())
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (!limiter.admit(ch)) {
                            return;
                        }
                        channels.add(ch);
                        ch.attr(HttpResponses.CORS_ORIGIN).set(config.corsAllowOrigin());
                        long idle = config.idleTimeout().toMillis();
                        if (idle > 0) {
                            ch.pipeline().addLast(HttpResponses.IDLE_HANDLER,
                                    new IdleStateHandler(0, 0, idle, TimeUnit.MILLISECONDS));
                        }
                        RequestHeadTimeout head = config.requestHeadTimeout().isZero() ? null
                                : new RequestHeadTimeout(config.requestHeadTimeout(), headTimeouts);
                        if (head != null) {
                            ch.pipeline().addLast(RequestHeadTimeout.BYTES_HANDLER, head.bytes());
                        }
                        ch.pipeline().addLast(HttpResponses.CODEC_HANDLER, new HttpServerCodec(
                                config.maxInitialLineBytes(), config.maxHeaderBytes(), 8192));
                        if (head != null) {
                            ch.pipeline().addLast(RequestHeadTimeout.HEADS_HANDLER, head.heads());
                        }
                        ch.pipeline().addLast(HttpResponses.AGGREGATOR_HANDLER,
                                new HttpObjectAggregator(config.maxRequestBytes()));
                        ch.pipeline().addLast("dispatcher", new Dispatcher());
                    }
                });
        serverChannel = b.bind(config.host(), config.port()).sync().channel();
        int port = ((InetSocketAddress) serverChannel.localAddress()).getPort();
        log.info("HTTP endpoint listening on {}:{}", config.host(), port);
        return port;
    }

    @Override
    public void close() {
        if (serverChannel != null) {
            serverChannel.close().awaitUninterruptibly();
            serverChannel = null;
        }
        channels.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    private final class Dispatcher extends SimpleChannelInboundHandler<Object> {

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Object msg) throws Exception {
            if (!(msg instanceof FullHttpRequest)) {
                // Bytes after a streaming take-over: discarded (released on return).
                return;
            }
            FullHttpRequest req = (FullHttpRequest) msg;
            if (req.decoderResult().isFailure()) {
                limitedLog.info("bad-request", "bad HTTP request from {}: {}", ctx.channel().remoteAddress(),
                        req.decoderResult().cause().toString());
                HttpResponses.text(ctx, null, HttpResponseStatus.BAD_REQUEST, "bad request\n");
                return;
            }
            if (req.method().equals(HttpMethod.OPTIONS)) {
                FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT);
                resp.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, "GET, POST, PUT, PATCH, DELETE, OPTIONS");
                resp.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, "Authorization, Content-Type, *");
                resp.headers().set(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, "86400");
                HttpResponses.send(ctx, req, resp);
                return;
            }
            for (HttpService s : routes.services()) {
                if (s.handle(ctx, req)) {
                    return;
                }
            }
            HttpResponses.text(ctx, req, HttpResponseStatus.NOT_FOUND, "not found\n");
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof IdleStateEvent) {
                ctx.close();
                return;
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            FatalErrorHandler.reportIfFatal(cause);
            limitedLog.info("connection-failed", "HTTP connection from {} failed: {}", ctx.channel().remoteAddress(),
                    cause.toString());
            ctx.close();
        }
    }
}
