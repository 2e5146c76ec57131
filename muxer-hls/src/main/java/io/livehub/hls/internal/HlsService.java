package io.livehub.hls.internal;

import io.livehub.hls.HlsConfig;
import io.livehub.hls.HlsMuxing;
import io.livehub.hls.HlsSegmentFormat;
import io.livehub.http.HttpResponses;
import io.livehub.http.HttpService;
import io.livehub.hub.LiveStream;
import io.livehub.media.StreamKey;
import io.livehub.spi.ServerContext;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves HLS in SRS's URL layout on the shared HTTP endpoint, from memory:
 * <ul>
 *   <li>{@code GET /{app}/{stream}.m3u8}: the live media playlist (RFC 8216 §4.3.3),
 *       {@code application/vnd.apple.mpegurl}, {@code Cache-Control: max-age=}
 *       {@link HlsConfig#playlistMaxAge()}. For a live stream without a complete segment the
 *       request waits up to {@link HlsConfig#firstSegmentTimeout()}; a stream that is neither
 *       published nor muxed gets 404.
 *   <li>{@code GET /{app}/{stream}/index.m3u8}: the multivariant playlist (§4.3.4.2) with one
 *       variant, its {@code BANDWIDTH} measured on the segments in memory, {@code CODECS} and
 *       {@code RESOLUTION}; same headers and waiting as the media playlist.
 *   <li>{@code GET /{app}/{stream}-{seq}.ts} ({@code video/mp2t}) or {@code .m4s}
 *       ({@code video/iso.segment}) and {@code /{app}/{stream}-init.mp4} (later init segments
 *       {@code -init-{n}.mp4}, {@code video/mp4}): {@code Cache-Control: public, max-age=}
 *       {@link HlsConfig#segmentMaxAge()}{@code , immutable}; 404 once a segment left memory.
 * </ul>
 * Every response carries the endpoint's CORS header. A {@code .ts}/{@code .mp4} path that
 * names no HLS muxer is left to the next service (an HTTP-TS or MP4 module), so this service
 * only owns the names it made.
 *
 * <p>Thread-safety: {@link #handle} runs on connection event loops; the muxer map is
 * concurrent and each muxer publishes immutable snapshots.
 */
public final class HlsService implements HttpService {

    private static final Logger log = LoggerFactory.getLogger(HlsService.class);

    public static final String PLAYLIST_TYPE = "application/vnd.apple.mpegurl";
    public static final String TS_TYPE = "video/mp2t";
    public static final String FMP4_SEGMENT_TYPE = "video/iso.segment";
    public static final String INIT_TYPE = "video/mp4";
    private static final String MULTIVARIANT_SUFFIX = "/index.m3u8";

    private final HlsConfig config;
    private final ServerContext server;
    private final ConcurrentHashMap<StreamKey, HlsStream> streams = new ConcurrentHashMap<>();
    private final String segmentExtension;
    private final String playlistCacheControl;
    private final String segmentCacheControl;
    private volatile boolean stopped;

    public HlsService(HlsConfig config, ServerContext server) {
        this.config = config;
        this.server = server;
        this.segmentExtension = config.segmentFormat() == HlsSegmentFormat.FMP4 ? ".m4s" : ".ts";
        this.playlistCacheControl = "max-age=" + config.playlistMaxAge().toSeconds();
        this.segmentCacheControl = "public, max-age=" + config.segmentMaxAge().toSeconds() + ", immutable";
    }

    /** Returns the muxer of {@code key}, or null. */
    public HlsStream stream(StreamKey key) {
        return streams.get(key);
    }

    @Override
    public boolean handle(ChannelHandlerContext ctx, FullHttpRequest req) {
        String path = new QueryStringDecoder(req.uri()).path();
        if (path.endsWith(MULTIVARIANT_SUFFIX)) {
            // App names have no '/', so /{app}/{stream}/index.m3u8 names no media playlist.
            if (!allowed(ctx, req)) {
                return true;
            }
            playlist(ctx, req, path.substring(0, path.length() - MULTIVARIANT_SUFFIX.length()), true);
            return true;
        }
        if (path.endsWith(".m3u8")) {
            if (!allowed(ctx, req)) {
                return true;
            }
            playlist(ctx, req, path.substring(0, path.length() - ".m3u8".length()), false);
            return true;
        }
        if (path.endsWith(segmentExtension)) {
            return segment(ctx, req, path.substring(0, path.length() - segmentExtension.length()));
        }
        if (path.endsWith(".mp4") && config.segmentFormat() == HlsSegmentFormat.FMP4) {
            return init(ctx, req, path);
        }
        return false;
    }

    private boolean allowed(ChannelHandlerContext ctx, FullHttpRequest req) {
        if (req.method().equals(HttpMethod.GET)) {
            return true;
        }
        notFound(ctx, req, HttpResponseStatus.METHOD_NOT_ALLOWED, "use GET\n");
        return false;
    }

    private void playlist(ChannelHandlerContext ctx, FullHttpRequest req, String streamPath, boolean multivariant) {
        StreamKey key;
        try {
            key = StreamKey.parse(streamPath);
        } catch (IllegalArgumentException e) {
            notFound(ctx, req, HttpResponseStatus.BAD_REQUEST, e.getMessage() + "\n");
            return;
        }
        HlsStream s = streams.get(key);
        if (s == null) {
            LiveStream live = server.hub().stream(key);
            if (live == null || !live.isPublishing() || stopped) {
                notFound(ctx, req, HttpResponseStatus.NOT_FOUND, "no such stream: " + key.path() + "\n");
                return;
            }
            s = streams.computeIfAbsent(key, this::newStream);
        }
        s.touch();
        HlsPlaylist p = s.playlist();
        if (p != null) {
            sendPlaylist(ctx, req, p, multivariant);
            return;
        }
        // Wait for the first segment without blocking; hold further requests of this
        // connection back so that responses stay in order.
        Channel ch = ctx.channel();
        HttpRequest head = new DefaultHttpRequest(req.protocolVersion(), req.method(), req.uri(), req.headers().copy());
        ch.config().setAutoRead(false);
        StreamKey k = key;
        s.awaitPlaylist(config.firstSegmentTimeout(), ready -> ch.eventLoop().execute(() -> {
            ch.config().setAutoRead(true);
            if (!ch.isActive()) {
                return;
            }
            if (ready == null) {
                notFound(ctx, head, HttpResponseStatus.NOT_FOUND, "no segment of " + k.path() + " yet\n");
            } else {
                sendPlaylist(ctx, head, ready, multivariant);
            }
        }));
    }

    private void sendPlaylist(ChannelHandlerContext ctx, HttpRequest req, HlsPlaylist p, boolean multivariant) {
        send(ctx, req, PLAYLIST_TYPE, playlistCacheControl,
                Unpooled.wrappedBuffer(multivariant ? p.multivariant() : p.text()));
    }

    private boolean segment(ChannelHandlerContext ctx, FullHttpRequest req, String name) {
        int dash = name.lastIndexOf('-');
        if (dash < 0 || dash == name.length() - 1 || name.length() - dash > 19) {
            return false;
        }
        long seq = 0;
        for (int i = dash + 1; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
            seq = seq * 10 + (c - '0');
        }
        HlsStream s = streamOf(name.substring(0, dash));
        if (s == null) {
            return false;
        }
        if (!allowed(ctx, req)) {
            return true;
        }
        s.touch();
        HlsPlaylist p = s.playlist();
        HlsSegment seg = p == null ? null : p.segment(seq);
        ByteBuf body = seg == null ? null : seg.content().retainedDuplicate();
        if (body == null) {
            notFound(ctx, req, HttpResponseStatus.NOT_FOUND, "segment " + seq + " is not in memory\n");
        } else {
            send(ctx, req, segmentExtension.equals(".ts") ? TS_TYPE : FMP4_SEGMENT_TYPE, segmentCacheControl, body);
        }
        return true;
    }

    private boolean init(ChannelHandlerContext ctx, FullHttpRequest req, String path) {
        String file = path.substring(path.lastIndexOf('/') + 1);
        int at = path.lastIndexOf("-init");
        if (at < 0) {
            return false;
        }
        HlsStream s = streamOf(path.substring(0, at));
        if (s == null) {
            return false;
        }
        if (!allowed(ctx, req)) {
            return true;
        }
        s.touch();
        HlsPlaylist p = s.playlist();
        SharedBuffer init = p == null ? null : p.init(file);
        ByteBuf body = init == null ? null : init.retainedDuplicate();
        if (body == null) {
            notFound(ctx, req, HttpResponseStatus.NOT_FOUND, "no init segment " + file + "\n");
        } else {
            send(ctx, req, INIT_TYPE, segmentCacheControl, body);
        }
        return true;
    }

    private HlsStream streamOf(String streamPath) {
        try {
            return streams.get(StreamKey.parse(streamPath));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private HlsStream newStream(StreamKey key) {
        log.info("HLS muxing {} ({})", key.path(), config);
        return new HlsStream(key, config, server, server.transport().workerGroup().next()).start();
    }

    /**
     * Starts muxers for newly published streams when muxing {@link HlsMuxing#ALWAYS}, and
     * releases expired muxers (ended, or idle when on demand). Call periodically.
     */
    public void sweep() {
        if (stopped) {
            return;
        }
        if (config.muxing() == HlsMuxing.ALWAYS) {
            for (LiveStream live : server.hub().streams()) {
                if (live.isPublishing() && !streams.containsKey(live.key())) {
                    streams.computeIfAbsent(live.key(), this::newStream);
                }
            }
        }
        long now = System.nanoTime();
        boolean onDemand = config.muxing() == HlsMuxing.ON_DEMAND;
        for (HlsStream s : streams.values()) {
            if (s.isExpired(now, onDemand) && streams.remove(s.key(), s)) {
                log.info("HLS releasing {}", s.key().path());
                s.close();
            }
        }
    }

    /** Closes every muxer; returns when all released their segments. */
    public CompletableFuture<Void> closeAll() {
        stopped = true;
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (HlsStream s : streams.values()) {
            streams.remove(s.key(), s);
            all.add(s.close());
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
    }

    private static void send(ChannelHandlerContext ctx, HttpRequest req, String type, String cacheControl,
                             ByteBuf body) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, body);
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
        r.headers().set(HttpHeaderNames.CACHE_CONTROL, cacheControl);
        HttpResponses.send(ctx, req, r);
    }

    private static void notFound(ChannelHandlerContext ctx, HttpRequest req, HttpResponseStatus status, String text) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        r.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        HttpResponses.send(ctx, req, r);
    }
}
