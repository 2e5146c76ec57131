package io.livehub.console;

import io.livehub.http.HttpResponses;
import io.livehub.http.HttpService;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Serves a fixed set of files from the classpath: each URL path is mapped to one resource when
 * the service is built, so no request path is ever turned into a resource name and nothing
 * outside the set can be reached ({@code ..}, encoded dots and the like simply do not match).
 * A path that is not in the set is left to the next service.
 *
 * <p>Each file is read once, on its first request, and kept in memory (the set is fixed, so
 * memory is bounded by the files' total size). Responses carry the content type by file
 * extension, {@code X-Content-Type-Options: nosniff}, a strong {@code ETag} (SHA-256 of the
 * content; RFC 9110 section 8.8.3) and a {@code Cache-Control}; a matching
 * {@code If-None-Match} gets 304 (RFC 9110 section 13.1.2). {@code GET} and {@code HEAD}
 * only.
 *
 * <p>Thread-safety: immutable mapping and a concurrent cache; called on the endpoint's event
 * loops. The first request of a file reads it from the jar on the event loop, which is a
 * local, bounded read.
 */
final class StaticResources implements HttpService {

    /** One servable file. */
    record Entry(String resource, String cacheControl) {
    }

    /** A loaded file. */
    private record Loaded(byte[] body, String etag, String contentType) {
    }

    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "json", "application/json",
            "svg", "image/svg+xml",
            "png", "image/png",
            "ico", "image/x-icon",
            "txt", "text/plain; charset=utf-8");

    private final ClassLoader loader;
    private final Map<String, Entry> files;
    private final Map<String, String> headers;
    private final ConcurrentHashMap<String, Loaded> cache = new ConcurrentHashMap<>();

    /**
     * @param loader  where the resources are read from
     * @param files   URL path (exact, without query) to resource
     * @param headers extra headers for every response (a Content-Security-Policy, say)
     */
    StaticResources(ClassLoader loader, Map<String, Entry> files, Map<String, String> headers) {
        this.loader = Objects.requireNonNull(loader, "loader");
        this.files = Map.copyOf(files);
        this.headers = new LinkedHashMap<>(headers);
        for (Entry e : files.values()) {
            if (loader.getResource(e.resource()) == null) {
                throw new IllegalStateException("missing from the classpath: " + e.resource());
            }
        }
    }

    @Override
    public boolean handle(ChannelHandlerContext ctx, FullHttpRequest request) {
        String uri = request.uri();
        int q = uri.indexOf('?');
        Entry entry = files.get(q < 0 ? uri : uri.substring(0, q));
        if (entry == null) {
            return false;
        }
        boolean head = request.method().equals(HttpMethod.HEAD);
        if (!head && !request.method().equals(HttpMethod.GET)) {
            HttpResponses.text(ctx, request, HttpResponseStatus.METHOD_NOT_ALLOWED, "use GET\n");
            return true;
        }
        Loaded f = cache.computeIfAbsent(entry.resource(), this::load);
        String inm = request.headers().get(HttpHeaderNames.IF_NONE_MATCH);
        boolean notModified = inm != null && matches(inm, f.etag());
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                notModified ? HttpResponseStatus.NOT_MODIFIED : HttpResponseStatus.OK,
                // For HEAD the HTTP codec sends the head only, with the length GET would send.
                notModified ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(f.body()));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, f.contentType());
        r.headers().set(HttpHeaderNames.ETAG, f.etag());
        r.headers().set(HttpHeaderNames.CACHE_CONTROL, entry.cacheControl());
        r.headers().set("X-Content-Type-Options", "nosniff");
        headers.forEach((k, v) -> r.headers().set(k, v));
        HttpResponses.send(ctx, request, r);
        return true;
    }

    /** Whether an {@code If-None-Match} list names {@code etag} (or is {@code *}). */
    private static boolean matches(String ifNoneMatch, String etag) {
        for (String tag : ifNoneMatch.split(",")) {
            String t = tag.trim();
            if (t.startsWith("W/")) {
                t = t.substring(2); // weak comparison, RFC 9110 section 13.1.2
            }
            if (t.equals("*") || t.equals(etag)) {
                return true;
            }
        }
        return false;
    }

    private Loaded load(String resource) {
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing from the classpath: " + resource);
            }
            byte[] body = in.readAllBytes();
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(body);
            String etag = "\"" + HexFormat.of().formatHex(hash, 0, 12) + "\"";
            int dot = resource.lastIndexOf('.');
            String type = TYPES.getOrDefault(dot < 0 ? "" : resource.substring(dot + 1), "application/octet-stream");
            return new Loaded(body, etag, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
