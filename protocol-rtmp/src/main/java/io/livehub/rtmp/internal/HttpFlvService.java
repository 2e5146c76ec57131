package io.livehub.rtmp.internal;

import io.livehub.event.ClientInfo;
import io.livehub.event.CloseEvent;
import io.livehub.event.PlayEvent;
import io.livehub.event.StopEvent;
import io.livehub.http.HttpResponses;
import io.livehub.http.HttpService;
import io.livehub.hub.Subscription;
import io.livehub.media.QueryParams;
import io.livehub.media.StreamKey;
import io.livehub.spi.ClientSession;
import io.livehub.spi.ServerContext;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@code GET /{app}/{stream}.flv}: asks the play decision, then streams the hub
 * stream as FLV until the client goes away. A player that arrives before the publisher
 * waits for it, as over RTMP.
 *
 * <p>Thread-safety: called on the connection's event loop.
 */
public final class HttpFlvService implements HttpService {

    private static final Logger log = LoggerFactory.getLogger(HttpFlvService.class);

    private final ServerContext server;

    public HttpFlvService(ServerContext server) {
        this.server = server;
    }

    @Override
    public boolean handle(ChannelHandlerContext ctx, FullHttpRequest req) {
        QueryStringDecoder qs = new QueryStringDecoder(req.uri());
        String path = qs.path();
        if (!path.endsWith(".flv")) {
            return false;
        }
        if (!req.method().equals(HttpMethod.GET)) {
            HttpResponses.text(ctx, req, HttpResponseStatus.METHOD_NOT_ALLOWED, "use GET\n");
            return true;
        }
        StreamKey key;
        try {
            key = StreamKey.parse(path.substring(0, path.length() - ".flv".length()));
        } catch (IllegalArgumentException e) {
            HttpResponses.text(ctx, req, HttpResponseStatus.BAD_REQUEST, e.getMessage() + "\n");
            return true;
        }
        Map<String, String> params = QueryParams.parse(QueryParams.queryOf(req.uri()));
        Channel ch = ctx.channel();
        String host = req.headers().get(HttpHeaderNames.HOST, "localhost");
        ClientInfo client = new ClientInfo("http-flv", server.nextClientId(),
                ch.remoteAddress() instanceof InetSocketAddress ? (InetSocketAddress) ch.remoteAddress() : null,
                "http://" + host + "/" + key.app(), req.headers().get(HttpHeaderNames.REFERER, ""));
        ch.config().setAutoRead(false);
        HttpVersion version = req.protocolVersion();
        server.events().play(new PlayEvent(client, key, params, Instant.now()))
                .whenComplete((d, t) -> ch.eventLoop().execute(() -> {
                    if (!ch.isActive()) {
                        return;
                    }
                    ch.config().setAutoRead(true);
                    if (t != null || !d.allowed()) {
                        String reason = t != null ? t.toString() : d.reason();
                        log.info("HTTP-FLV client {} from {} play {} denied: {}", client.clientId(), client.ip(),
                                key, reason);
                        HttpResponses.text(ctx, null, HttpResponseStatus.FORBIDDEN,
                                "play denied: " + reason + "\n");
                        return;
                    }
                    start(ctx, version, client, key, params);
                }));
        return true;
    }

    private void start(ChannelHandlerContext ctx, HttpVersion version, ClientInfo client, StreamKey key,
                       Map<String, String> params) {
        HttpResponse head = new DefaultHttpResponse(version, HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, "video/x-flv");
        head.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache, no-store");
        head.headers().set(HttpHeaderNames.PRAGMA, "no-cache");
        head.headers().set("X-Livehub-Client-Id", client.clientId());
        HttpResponses.takeOver(ctx, head);
        Channel ch = ctx.channel();
        HttpFlvPlayer player = new HttpFlvPlayer(ch);
        Subscription sub = server.hub().subscribe(key, player);
        Instant connectedAt = Instant.now();
        ClientSession registration = new ClientSession() {
            @Override
            public ClientInfo info() {
                return client;
            }

            @Override
            public Role role() {
                return Role.PLAYING;
            }

            @Override
            public StreamKey stream() {
                return key;
            }

            @Override
            public Instant connectedAt() {
                return connectedAt;
            }

            @Override
            public long bytesIn() {
                return 0;
            }

            @Override
            public long bytesOut() {
                return player.bytesSent();
            }

            @Override
            public void kick() {
                log.info("kicking HTTP-FLV client {} from {}", client.clientId(), client.ip());
                ch.close();
            }
        };
        server.clients().add(registration);
        WakeOnWritable wake = new WakeOnWritable(sub);
        ch.pipeline().addLast(wake);
        log.info("HTTP-FLV client {} from {} playing {}", client.clientId(), client.ip(), key.path());
        ch.closeFuture().addListener(f -> {
            server.clients().remove(registration);
            sub.close();
            server.events().stop(new StopEvent(client, key, params, Instant.now()));
            server.events().close(new CloseEvent(client, "", key.app(), key, params, Instant.now(),
                    player.bytesSent(), 0));
            log.info("HTTP-FLV client {} stopped playing {}", client.clientId(), key.path());
        });
    }

    /** Resumes the hub's drain when the socket can take more. */
    private static final class WakeOnWritable extends io.netty.channel.ChannelInboundHandlerAdapter {
        private final Subscription sub;

        WakeOnWritable(Subscription sub) {
            this.sub = sub;
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
            if (ctx.channel().isWritable()) {
                sub.wake();
            }
            super.channelWritabilityChanged(ctx);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            io.netty.util.ReferenceCountUtil.release(msg);
        }
    }
}
