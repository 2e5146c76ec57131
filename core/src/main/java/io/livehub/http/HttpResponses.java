package io.livehub.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AttributeKey;
import java.nio.charset.StandardCharsets;

/**
 * Writes responses on the shared HTTP endpoint with the endpoint's CORS header and
 * keep-alive handling, and hands a connection over to a streaming service.
 *
 * <p>Thread-safety: call on the connection's event loop.
 */
public final class HttpResponses {

    static final AttributeKey<String> CORS_ORIGIN = AttributeKey.valueOf("livehub.http.corsOrigin");
    static final String IDLE_HANDLER = "idle";
    static final String CODEC_HANDLER = "codec";
    static final String AGGREGATOR_HANDLER = "aggregator";

    private HttpResponses() {
    }

    /** Adds the endpoint's {@code Access-Control-Allow-Origin} header, when one is configured. */
    public static void addCors(ChannelHandlerContext ctx, HttpResponse response) {
        String origin = ctx.channel().attr(CORS_ORIGIN).get();
        if (origin != null && !origin.isEmpty()) {
            response.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
            response.headers().set(HttpHeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS, "*");
        }
    }

    /** Sends a text response ({@code text/plain; charset=utf-8}). */
    public static ChannelFuture text(ChannelHandlerContext ctx, HttpRequest request, HttpResponseStatus status,
                                     String body) {
        return send(ctx, request, status, "text/plain; charset=utf-8",
                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
    }

    /**
     * Sends a complete response and closes the connection afterwards unless the request asked
     * to keep it alive.
     *
     * <p>Ownership: takes {@code body}'s reference.
     */
    public static ChannelFuture send(ChannelHandlerContext ctx, HttpRequest request, HttpResponseStatus status,
                                     String contentType, ByteBuf body) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        return send(ctx, request, response);
    }

    /**
     * Sends {@code response}, setting its content length, CORS and connection headers.
     *
     * <p>Ownership: takes {@code response}'s reference.
     */
    public static ChannelFuture send(ChannelHandlerContext ctx, HttpRequest request, FullHttpResponse response) {
        return send(ctx, request, response, true);
    }

    /**
     * Sends {@code response} like {@link #send(ChannelHandlerContext, HttpRequest, FullHttpResponse)},
     * with the endpoint's CORS header only when {@code endpointCors}: an API that decides CORS
     * itself (see the hooks module's {@code ApiRequestGuard}) passes false, so a page on another
     * origin cannot read it through the endpoint's player-friendly {@code *}.
     *
     * <p>Ownership: takes {@code response}'s reference.
     */
    public static ChannelFuture send(ChannelHandlerContext ctx, HttpRequest request, FullHttpResponse response,
                                     boolean endpointCors) {
        if (endpointCors) {
            addCors(ctx, response);
        }
        HttpUtil.setContentLength(response, response.content().readableBytes());
        boolean keepAlive = request != null && HttpUtil.isKeepAlive(request);
        if (keepAlive) {
            if (request.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            }
        } else {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        ChannelFuture f = ctx.writeAndFlush(response);
        if (!keepAlive) {
            f.addListener(ChannelFutureListener.CLOSE);
        }
        return f;
    }

    /**
     * Writes the head of an open-ended streaming response (no length, closed by the server),
     * then removes the HTTP codec so the service can write raw, shared buffers straight to
     * the socket without per-write wrapping. The idle timeout no longer applies.
     *
     * <p>Inbound bytes after the take-over are discarded by the endpoint.
     */
    public static void takeOver(ChannelHandlerContext ctx, HttpResponse head) {
        addCors(ctx, head);
        head.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        head.headers().remove(HttpHeaderNames.CONTENT_LENGTH);
        head.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
        ctx.writeAndFlush(head);
        ChannelPipeline p = ctx.pipeline();
        for (String name : new String[] {IDLE_HANDLER, RequestHeadTimeout.BYTES_HANDLER, AGGREGATOR_HANDLER,
                RequestHeadTimeout.HEADS_HANDLER, CODEC_HANDLER}) {
            if (p.get(name) != null) {
                p.remove(name);
            }
        }
    }
}
