package io.livehub.rtmp.internal;

import io.livehub.flv.FlvMediaEncoder;
import io.livehub.http.HttpResponses;
import io.livehub.http.HttpService;
import io.livehub.hub.Subscription;
import io.livehub.media.EgressForm;
import io.livehub.media.QueryParams;
import io.livehub.media.StreamKey;
import io.livehub.session.ClientSession;
import io.livehub.session.ConnectRequest;
import io.livehub.session.SessionClosedException;
import io.livehub.session.SessionDeniedException;
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
import java.util.Map;

/**
 * Serves {@code GET /{app}/{stream}.flv}: runs the viewer's {@link ClientSession} (connect and
 * play decisions, then stop and close when the response ends), and streams the hub stream as
 * FLV through {@link HttpFlvEgress} until the client goes away. A player that arrives before
 * the publisher waits for it, as over RTMP.
 *
 * <p>Thread-safety: called on the connection's event loop.
 */
public final class HttpFlvService implements HttpService {

    private final ServerContext server;
    private final EgressForm form;

    public HttpFlvService(ServerContext server) {
        this.server = server;
        this.form = FlvMediaEncoder.tagForm(server.hub().egressForms());
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
        ClientSession session = server.sessions().open("http-flv",
                ch.remoteAddress() instanceof InetSocketAddress ? (InetSocketAddress) ch.remoteAddress() : null,
                ch.eventLoop());
        session.onKick(ch::close);
        ch.closeFuture().addListener(f -> session.close());
        ch.config().setAutoRead(false);
        HttpVersion version = req.protocolVersion();
        String tcUrl = "http://" + host + "/" + key.app();
        String pageUrl = req.headers().get(HttpHeaderNames.REFERER, "");
        HttpFlvEgress player = new HttpFlvEgress(ch, form);
        session.countTraffic(() -> 0, player::bytesSent);
        // The stream key is made after the connect, on the vhost the session resolved.
        session.connect(new ConnectRequest(tcUrl, pageUrl, key.app(), params))
                .thenCompose(s -> s.play(s.streamKey(key.app(), key.name()), params, player))
                .whenComplete((sub, t) -> {
                    if (!ch.isActive() || t instanceof SessionClosedException) {
                        if (sub != null) {
                            session.close();
                        }
                        return;
                    }
                    ch.config().setAutoRead(true);
                    if (t != null) {
                        Throwable cause = t instanceof java.util.concurrent.CompletionException && t.getCause() != null
                                ? t.getCause() : t;
                        String reason = cause instanceof SessionDeniedException d ? d.reason() : cause.toString();
                        HttpResponses.text(ctx, null, HttpResponseStatus.FORBIDDEN, "play denied: " + reason + "\n");
                        session.close();
                        return;
                    }
                    start(ctx, version, session, sub);
                });
        return true;
    }

    /** Sends the response head and hands the channel to the player; the stage ran on its loop. */
    private static void start(ChannelHandlerContext ctx, HttpVersion version, ClientSession session,
                              Subscription sub) {
        HttpResponse head = new DefaultHttpResponse(version, HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, "video/x-flv");
        head.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache, no-store");
        head.headers().set(HttpHeaderNames.PRAGMA, "no-cache");
        head.headers().set("X-Livehub-Client-Id", session.id());
        HttpResponses.takeOver(ctx, head);
        ctx.channel().pipeline().addLast(new WakeOnWritable(sub));
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
