package io.livehub.mp4.internal;

import io.livehub.http.HttpResponses;
import io.livehub.http.HttpService;
import io.livehub.mp4.RecordHttpAccess;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.DefaultFileRegion;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves finished recordings under a URL path of the shared HTTP endpoint, with single byte
 * ranges (RFC 9110 §14: {@code 206 Partial Content}, {@code 416} when unsatisfiable) so
 * players can seek.
 *
 * <p>Only regular files with a finished recording's extension ({@code .mp4}, {@code .flv})
 * whose real path (symbolic links resolved) lies under the record root are served; names are
 * URL-decoded per path element and {@code ..}, empty and hidden elements are refused, so no
 * request reaches a file in progress or outside the root. Access is decided first
 * ({@link RecordHttpAccess}). The file is sent with {@link DefaultFileRegion}s of
 * {@value #REGION_BYTES} bytes (zero-copy where the transport can), each completing write
 * keeping the connection's idle timer alive during a long download.
 *
 * <p>Thread-safety: called on event loops; a stat and an open per request are its only I/O.
 */
final class RecordHttpService implements HttpService {

    private static final Logger log = LoggerFactory.getLogger(RecordHttpService.class);
    /** Bytes per file region: large enough for sendfile to pay, small enough to show progress to the idle timer. */
    static final int REGION_BYTES = 4 << 20;

    private final String prefix;
    private final Path root;
    private final RecordHttpAccess access;

    RecordHttpService(String prefix, Path root, RecordHttpAccess access) {
        this.prefix = prefix;
        this.root = root;
        this.access = access;
    }

    @Override
    public boolean handle(ChannelHandlerContext ctx, FullHttpRequest request) throws Exception {
        String path = new QueryStringDecoder(request.uri()).rawPath();
        if (!path.startsWith(prefix)) {
            return false;
        }
        HttpMethod method = request.method();
        if (!method.equals(HttpMethod.GET) && !method.equals(HttpMethod.HEAD)) {
            DefaultFullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    HttpResponseStatus.METHOD_NOT_ALLOWED, Unpooled.EMPTY_BUFFER);
            r.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
            HttpResponses.send(ctx, request, r);
            return true;
        }
        switch (access.decide(ctx.channel().remoteAddress(), request.headers().get(HttpHeaderNames.AUTHORIZATION))) {
            case UNAUTHORIZED: {
                DefaultFullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                        HttpResponseStatus.UNAUTHORIZED, Unpooled.EMPTY_BUFFER);
                r.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"livehub\"");
                HttpResponses.send(ctx, request, r);
                return true;
            }
            case FORBIDDEN:
                HttpResponses.text(ctx, request, HttpResponseStatus.FORBIDDEN, "forbidden\n");
                return true;
            default:
                break;
        }
        Path file = resolve(path.substring(prefix.length()));
        if (file == null) {
            HttpResponses.text(ctx, request, HttpResponseStatus.NOT_FOUND, "not found\n");
            return true;
        }
        long size = Files.size(file);
        long start = 0;
        long end = size - 1;
        HttpResponseStatus status = HttpResponseStatus.OK;
        String range = request.headers().get(HttpHeaderNames.RANGE);
        if (range != null) {
            long[] r = parseRange(range, size);
            if (r == null) {
                DefaultFullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                        HttpResponseStatus.REQUESTED_RANGE_NOT_SATISFIABLE, Unpooled.EMPTY_BUFFER);
                resp.headers().set(HttpHeaderNames.CONTENT_RANGE, "bytes */" + size);
                HttpResponses.send(ctx, request, resp);
                return true;
            }
            if (r.length == 2) {
                start = r[0];
                end = r[1];
                status = HttpResponseStatus.PARTIAL_CONTENT;
            }
        }
        long length = end - start + 1;
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, status);
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, file.toString().endsWith(".flv") ? "video/x-flv" : "video/mp4");
        head.headers().set(HttpHeaderNames.ACCEPT_RANGES, HttpHeaderValues.BYTES);
        head.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        if (status == HttpResponseStatus.PARTIAL_CONTENT) {
            head.headers().set(HttpHeaderNames.CONTENT_RANGE, "bytes " + start + "-" + end + "/" + size);
        }
        HttpUtil.setContentLength(head, size == 0 ? 0 : length);
        HttpResponses.addCors(ctx, head);
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        HttpUtil.setKeepAlive(head, keepAlive);
        ctx.write(head);
        if (method.equals(HttpMethod.GET) && size > 0) {
            for (long pos = start; pos <= end; pos += REGION_BYTES) {
                ctx.write(new DefaultFileRegion(file.toFile(), pos, Math.min(REGION_BYTES, end + 1 - pos)));
            }
        }
        var f = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        if (!keepAlive) {
            f.addListener(ChannelFutureListener.CLOSE);
        }
        return true;
    }

    /** Returns the finished recording {@code relative} names under the root, or null. */
    private Path resolve(String relative) {
        Path p = root;
        for (String raw : relative.split("/", -1)) {
            String element;
            try {
                element = QueryStringDecoder.decodeComponent(raw, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return null;
            }
            if (element.isEmpty() || element.startsWith(".") || element.indexOf('/') >= 0 || element.indexOf('\\') >= 0
                    || element.indexOf('\0') >= 0) {
                return null;
            }
            p = p.resolve(element);
        }
        String name = p.getFileName().toString();
        if (!name.endsWith(".mp4") && !name.endsWith(".flv")) {
            return null;
        }
        try {
            if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                return null;
            }
            Path real = p.toRealPath();
            return real.startsWith(root.toRealPath()) ? real : null;
        } catch (IOException e) {
            log.debug("cannot serve {}: {}", p, e.toString());
            return null;
        }
    }

    /**
     * Parses a {@code Range} header (RFC 9110 §14.1.2) against a file of {@code size} bytes:
     * {@code {first, last}} for one satisfiable range, an empty array when the header is to be
     * ignored (several ranges, another unit, malformed), null when unsatisfiable.
     */
    static long[] parseRange(String header, long size) {
        String h = header.trim();
        if (!h.regionMatches(true, 0, "bytes=", 0, 6) || h.indexOf(',') >= 0) {
            return new long[0];
        }
        String spec = h.substring(6).trim();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return new long[0];
        }
        try {
            String a = spec.substring(0, dash).trim();
            String b = spec.substring(dash + 1).trim();
            if (a.isEmpty()) {
                if (b.isEmpty()) {
                    return new long[0];
                }
                long suffix = Long.parseLong(b);
                if (suffix <= 0 || size == 0) {
                    return null;
                }
                return new long[] {Math.max(0, size - suffix), size - 1};
            }
            long first = Long.parseLong(a);
            long last = b.isEmpty() ? size - 1 : Math.min(Long.parseLong(b), size - 1);
            if (first < 0 || !b.isEmpty() && Long.parseLong(b) < first) {
                return new long[0];
            }
            if (first >= size) {
                return null;
            }
            return new long[] {first, last};
        } catch (NumberFormatException e) {
            return new long[0];
        }
    }
}
