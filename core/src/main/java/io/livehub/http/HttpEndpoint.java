package io.livehub.http;

import io.livehub.spi.Transport;
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
import java.util.concurrent.TimeUnit;
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

    private final HttpServerConfig config;
    private final HttpRoutes routes;
    private final ChannelGroup channels = new DefaultChannelGroup("http", GlobalEventExecutor.INSTANCE);
    private Channel serverChannel;

    public HttpEndpoint(HttpServerConfig config, HttpRoutes routes) {
        this.config = config;
        this.routes = routes;
    }

    /** Binds the endpoint and returns the bound port. */
    public int start(Transport transport) throws InterruptedException {
        ServerBootstrap b = new ServerBootstrap()
                .group(transport.bossGroup(), transport.workerGroup())
                .channel(transport.serverChannel())
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        channels.add(ch);
                        ch.attr(HttpResponses.CORS_ORIGIN).set(config.corsAllowOrigin());
                        long idle = config.idleTimeout().toMillis();
                        if (idle > 0) {
                            ch.pipeline().addLast(HttpResponses.IDLE_HANDLER,
                                    new IdleStateHandler(0, 0, idle, TimeUnit.MILLISECONDS));
                        }
                        ch.pipeline().addLast(HttpResponses.CODEC_HANDLER, new HttpServerCodec(
                                config.maxInitialLineBytes(), config.maxHeaderBytes(), 8192));
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
                log.info("bad HTTP request from {}: {}", ctx.channel().remoteAddress(),
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
            log.info("HTTP connection from {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        }
    }
}
