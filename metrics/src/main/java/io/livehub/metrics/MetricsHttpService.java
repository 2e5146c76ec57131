package io.livehub.metrics;

import io.livehub.http.HttpResponses;
import io.livehub.http.HttpService;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Answers {@code GET} and {@code HEAD} of the metrics path with a scrape of the registry, in the
 * format the scraper's {@code Accept} header asks for (Prometheus text 0.0.4 by default,
 * OpenMetrics text, or Prometheus protobuf), written by the Prometheus client library.
 *
 * <p>With a token, requests must carry {@code Authorization: Bearer <token>} (compared in
 * constant time); without one the path is open, as exporters usually are.
 *
 * <p>Thread-safety: called on the endpoint's event loops; a scrape reads counters only and
 * does not block.
 */
final class MetricsHttpService implements HttpService {

    private final String path;
    private final PrometheusRegistry registry;
    private final ExpositionFormats formats = ExpositionFormats.init();
    private final byte[] tokenDigest;

    MetricsHttpService(String path, PrometheusRegistry registry, String token) {
        this.path = path;
        this.registry = registry;
        this.tokenDigest = token == null || token.isEmpty() ? null : sha256(token);
    }

    @Override
    public boolean handle(ChannelHandlerContext ctx, FullHttpRequest request) throws Exception {
        String uri = request.uri();
        int q = uri.indexOf('?');
        String p = q < 0 ? uri : uri.substring(0, q);
        if (!p.equals(path)) {
            return false;
        }
        if (!request.method().equals(HttpMethod.GET) && !request.method().equals(HttpMethod.HEAD)) {
            HttpResponses.text(ctx, request, HttpResponseStatus.METHOD_NOT_ALLOWED, "use GET\n");
            return true;
        }
        if (tokenDigest != null && !authorized(request.headers().get(HttpHeaderNames.AUTHORIZATION))) {
            FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.UNAUTHORIZED,
                    ctx.alloc().buffer(0));
            r.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"livehub-metrics\"");
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
            HttpResponses.send(ctx, request, r);
            return true;
        }
        String accept = request.headers().get(HttpHeaderNames.ACCEPT);
        ExpositionFormatWriter writer = formats.findWriter(accept);
        ByteBuf body = ctx.alloc().buffer();
        try (ByteBufOutputStream os = new ByteBufOutputStream(body)) {
            if (!request.method().equals(HttpMethod.HEAD)) {
                writer.write(os, registry.scrape(), EscapingScheme.fromAcceptHeader(accept));
            }
        } catch (Exception | Error e) {
            body.release();
            throw e;
        }
        // HttpResponses.send takes the body's reference.
        HttpResponses.send(ctx, request, HttpResponseStatus.OK, writer.getContentType(), body);
        return true;
    }

    private boolean authorized(String header) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return MessageDigest.isEqual(tokenDigest, sha256(header.substring(7).trim()));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
