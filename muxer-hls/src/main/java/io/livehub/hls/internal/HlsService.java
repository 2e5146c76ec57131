package io.livehub.hls.internal;

import io.livehub.hls.HlsConfig;
import io.livehub.hls.HlsMuxing;
import io.livehub.hls.HlsSegmentFormat;
import io.livehub.http.HttpResponses;
import io.livehub.http.HttpService;
import io.livehub.hub.LiveStream;
import io.livehub.media.QueryParams;
import io.livehub.media.StreamKey;
import io.livehub.session.SessionDeniedException;
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
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * With {@link HlsConfig#lowLatency()}: parts {@code /{app}/{stream}-{seq}.{part}.m4s} (or
 * {@code .ts}), the Playlist Delivery Directives {@code _HLS_msn}, {@code _HLS_part} and
 * {@code _HLS_skip} (draft-pantos-hls-rfc8216bis §6.2.5), and the preload-hinted part answered
 * when it completes. Every URL answers GET and HEAD, other methods get 405.
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
    private final HlsDiskWriter disk;
    private final HlsSessions sessions;
    private volatile boolean stopped;
    /** 2020-01-01T00:00:00Z, the origin of the clock part of media sequence numbers. */
    static final long SEQUENCE_EPOCH_MILLIS = 1_577_836_800_000L;
    /** Most released streams whose last sequence is remembered; the clock covers the others. */
    private static final int REMEMBERED_STREAMS = 4096;
    // Guarded by itself: next free sequence of recently released muxers, oldest first.
    private final java.util.LinkedHashMap<StreamKey, Long> nextSequences = new java.util.LinkedHashMap<>(16, 0.75f,
            false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<StreamKey, Long> eldest) {
            return size() > REMEMBERED_STREAMS;
        }
    };

    public HlsService(HlsConfig config, ServerContext server) {
        this.config = config;
        this.server = server;
        this.disk = config.outputDirectory() == null ? null : new HlsDiskWriter(config.outputDirectory());
        this.sessions = config.playSessions() ? new HlsSessions(server, config.playSessionTimeout(),
                config.sessionLimits()) : null;
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
            // Always the multivariant playlist of /{app}/{stream}: a stream named "index" in a nested
            // app (/{app}/{sub}/index.m3u8) has no media playlist URL of its own.
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

    /** Accepts GET and HEAD (the same headers, no body: the HTTP codec leaves a HEAD body out). */
    private boolean allowed(ChannelHandlerContext ctx, FullHttpRequest req) {
        if (req.method().equals(HttpMethod.GET) || req.method().equals(HttpMethod.HEAD)) {
            return true;
        }
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.METHOD_NOT_ALLOWED,
                Unpooled.copiedBuffer("use GET or HEAD\n", StandardCharsets.UTF_8));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        r.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
        r.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        HttpResponses.send(ctx, req, r);
        return false;
    }

    private void playlist(ChannelHandlerContext ctx, FullHttpRequest req, String streamPath, boolean multivariant) {
        StreamKey key;
        try {
            key = keyOf(req, streamPath);
        } catch (IllegalArgumentException e) {
            notFound(ctx, req, HttpResponseStatus.BAD_REQUEST, e.getMessage() + "\n");
            return;
        }
        Directives d;
        try {
            d = config.lowLatency() && !multivariant ? Directives.parse(new QueryStringDecoder(req.uri()).parameters())
                    : Directives.NONE;
        } catch (IllegalArgumentException e) {
            notFound(ctx, req, HttpResponseStatus.BAD_REQUEST, e.getMessage() + "\n");
            return;
        }
        if (streams.get(key) == null) {
            LiveStream live = server.hub().stream(key);
            if (live == null || !live.isPublishing() || stopped) {
                notFound(ctx, req, HttpResponseStatus.NOT_FOUND, "no such stream: " + key.path() + "\n");
                return;
            }
        }
        if (sessions == null) {
            servePlaylist(ctx, req, key, multivariant, d, null);
            return;
        }
        String query = QueryParams.queryOf(req.uri());
        Map<String, String> params = QueryParams.parse(query);
        HlsSessions.Viewer viewer = sessions.touch(params.get(HlsSessions.PARAM), key);
        if (viewer != null) {
            servePlaylist(ctx, req, key, multivariant, d, viewer);
            return;
        }
        newViewer(ctx, req, key, path(req), query, params, multivariant, d);
    }

    /**
     * Returns what an answer given later needs of {@code req} (its version, method and whether
     * the connection stays open), without the rest of its headers: a request waiting for a
     * decision or a segment keeps no copy of a long {@code Host} or {@code Referer}.
     */
    private static HttpRequest waiting(HttpRequest req) {
        HttpRequest head = new DefaultHttpRequest(req.protocolVersion(), req.method(), "/");
        String connection = req.headers().get(HttpHeaderNames.CONNECTION);
        if (connection != null && connection.length() <= 64) {
            head.headers().set(HttpHeaderNames.CONNECTION, connection);
        }
        return head;
    }

    private static String path(HttpRequest req) {
        return QueryParams.stripQuery(req.uri());
    }

    /**
     * Starts the play session of a viewer whose playlist request names none (SRS's
     * {@code hls_ctx}): within the limits, it connects and asks {@code onPlay}; when allowed, the
     * answer is a {@code 302} to the same URL, with the query the viewer sent and
     * {@code hls_ctx=<id>}, so that its reloads of that URL belong to this one session. A request
     * whose {@code hls_ctx} is well formed but no longer live (it expired, or the server restarted)
     * takes that id again and is answered at once, without a redirect. A denied or refused
     * request keeps nothing.
     */
    private void newViewer(ChannelHandlerContext ctx, FullHttpRequest req, StreamKey key, String path, String query,
                           Map<String, String> params, boolean multivariant, Directives d) {
        String host = req.headers().get(HttpHeaderNames.HOST, "");
        HlsSessions.Refusal bad = sessions.checkRequest(query, host);
        if (bad != null) {
            refuse(ctx, req, bad);
            return;
        }
        Map<String, String> own = new LinkedHashMap<>(params);
        own.keySet().removeIf(n -> n.startsWith("_HLS_") || n.equals(HlsSessions.PARAM));
        own = Collections.unmodifiableMap(own);
        Channel ch = ctx.channel();
        String tcUrl = "http://" + (host.isEmpty() ? "localhost" : host) + "/" + key.app();
        HttpRequest head = waiting(req);
        ch.config().setAutoRead(false);
        String oldId = params.get(HlsSessions.PARAM);
        sessions.start(key, ch.remoteAddress() instanceof InetSocketAddress a ? a : null, ch.eventLoop(), tcUrl,
                req.headers().get(HttpHeaderNames.REFERER, ""), own, oldId).whenComplete((v, t) -> {
                    // On the connection's event loop (the session's executor), or here at once when refused.
                    ch.config().setAutoRead(true);
                    if (!ch.isActive()) {
                        if (v != null) {
                            sessions.abandon(v);
                        }
                        return;
                    }
                    if (t != null) {
                        Throwable cause = t instanceof java.util.concurrent.CompletionException && t.getCause() != null
                                ? t.getCause() : t;
                        if (cause instanceof HlsSessions.RefusedException r) {
                            refuse(ctx, head, r.refusal());
                        } else if (cause instanceof SessionDeniedException denied) {
                            notFound(ctx, head, HttpResponseStatus.FORBIDDEN, "play denied: " + denied.reason() + "\n");
                        } else {
                            notFound(ctx, head, HttpResponseStatus.SERVICE_UNAVAILABLE, "play failed\n");
                        }
                        return;
                    }
                    // Start muxing (on demand) now, so the first segment is under way while the player follows.
                    LiveStream live = server.hub().stream(key);
                    if (live != null && live.isPublishing() && !stopped) {
                        streams.computeIfAbsent(key, this::newStream).touch();
                    }
                    if (v.id().equals(oldId)) {
                        // The URL already names the session (taken again): no redirect needed.
                        servePlaylist(ctx, head, key, multivariant, d, v);
                        return;
                    }
                    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.FOUND,
                            Unpooled.EMPTY_BUFFER);
                    r.headers().set(HttpHeaderNames.LOCATION, HlsSessions.location(path, query, v.id()));
                    // Each viewer gets its own redirect: no cache may keep it.
                    r.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
                    HttpResponses.send(ctx, head, r);
                });
    }

    private static void refuse(ChannelHandlerContext ctx, HttpRequest req, HlsSessions.Refusal refusal) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(refusal.status()),
                Unpooled.copiedBuffer(refusal.reason() + "\n", StandardCharsets.UTF_8));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        r.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        if (refusal.retryAfterSeconds() > 0) {
            r.headers().set(HttpHeaderNames.RETRY_AFTER, refusal.retryAfterSeconds());
        }
        HttpResponses.send(ctx, req, r);
    }

    /** Answers a playlist request that may play, for {@code viewer} (or null without play sessions). */
    private void servePlaylist(ChannelHandlerContext ctx, HttpRequest req, StreamKey key, boolean multivariant,
                               Directives d, HlsSessions.Viewer viewer) {
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
        if (p != null && (d.msn < 0 || p.satisfies(d.msn, d.part) || tooFarAhead(p, d))) {
            answerPlaylist(ctx, req, p, multivariant, d, viewer);
            return;
        }
        // Wait for the first segment, or for the segment or part a blocking reload asks for
        // (draft-pantos-hls-rfc8216bis §6.2.5.2), without holding a thread; further requests of
        // this connection are held back so that responses stay in order.
        Duration timeout = config.firstSegmentTimeout();
        if (d.msn >= 0) {
            // §6.2.5.2: answer within three target durations, else 503.
            Duration block = Duration.ofSeconds(3L * (p != null ? p.targetDuration() : targetSeconds()));
            timeout = p != null ? block : timeout.plus(block);
        }
        Channel ch = ctx.channel();
        HttpRequest head = waiting(req);
        ch.config().setAutoRead(false);
        StreamKey k = key;
        boolean hadPlaylist = p != null;
        s.await(pl -> d.msn < 0 || pl.satisfies(d.msn, d.part) || tooFarAhead(pl, d), timeout,
                ready -> ch.eventLoop().execute(() -> {
                    ch.config().setAutoRead(true);
                    if (!ch.isActive()) {
                        return;
                    }
                    if (ready != null) {
                        answerPlaylist(ctx, head, ready, multivariant, d, viewer);
                    } else if (d.msn >= 0 && hadPlaylist) {
                        notFound(ctx, head, HttpResponseStatus.SERVICE_UNAVAILABLE,
                                "segment " + d.msn + (d.part >= 0 ? " part " + d.part : "") + " of " + k.path()
                                        + " did not come in time\n");
                    } else {
                        notFound(ctx, head, HttpResponseStatus.NOT_FOUND, "no segment of " + k.path() + " yet\n");
                    }
                }));
    }

    private int targetSeconds() {
        return (int) Math.max(1, Math.ceil(config.targetDuration().toMillis() / 1000.0));
    }

    /** §6.2.5.2: an {@code _HLS_msn} beyond the last segment plus two gets 400 at once. */
    private static boolean tooFarAhead(HlsPlaylist p, Directives d) {
        return d.msn >= 0 && !p.ended() && d.msn > p.lastSequence() + 2;
    }

    private void answerPlaylist(ChannelHandlerContext ctx, HttpRequest req, HlsPlaylist p, boolean multivariant,
                                Directives d, HlsSessions.Viewer viewer) {
        if (tooFarAhead(p, d)) {
            notFound(ctx, req, HttpResponseStatus.BAD_REQUEST, "_HLS_msn " + d.msn + " is more than two segments after "
                    + p.lastSequence() + "\n");
            return;
        }
        byte[] text = multivariant ? p.multivariant() : d.skip != Skip.NO ? p.deltaText(d.skip == Skip.V2) : p.text();
        if (viewer != null) {
            text = HlsSessions.withSession(text, viewer.id());
            viewer.sent(text.length);
        }
        String cacheControl = playlistCacheControl;
        if (config.lowLatency() && !multivariant) {
            // A response to a blocking reload answers a unique URL and stays correct (it holds the
            // asked part), so a CDN may keep it; the live edge without directives must be fresh.
            cacheControl = d.msn >= 0 ? "public, max-age=" + 6L * p.targetDuration() : "no-cache";
        }
        send(ctx, req, PLAYLIST_TYPE, cacheControl, Unpooled.wrappedBuffer(text));
    }

    /** How a delta update was asked for (§6.2.5.1). */
    private enum Skip { NO, YES, V2 }

    /**
     * The Playlist Delivery Directives of a request (§6.2.5): {@code _HLS_msn}, {@code _HLS_part}
     * (-1 when absent) and {@code _HLS_skip}.
     */
    private record Directives(long msn, int part, Skip skip) {
        static final Directives NONE = new Directives(-1, -1, Skip.NO);

        /** @throws IllegalArgumentException on a malformed value or {@code _HLS_part} without {@code _HLS_msn} */
        static Directives parse(Map<String, List<String>> q) {
            String msn = first(q, "_HLS_msn");
            String part = first(q, "_HLS_part");
            String skip = first(q, "_HLS_skip");
            if (part != null && msn == null) {
                throw new IllegalArgumentException("_HLS_part needs _HLS_msn");
            }
            Skip sk = Skip.NO;
            if (skip != null) {
                if (skip.equals("YES")) {
                    sk = Skip.YES;
                } else if (skip.equals("v2")) {
                    sk = Skip.V2;
                } else {
                    throw new IllegalArgumentException("_HLS_skip must be YES or v2: " + skip);
                }
            }
            return new Directives(msn == null ? -1 : number("_HLS_msn", msn, Long.MAX_VALUE),
                    part == null ? -1 : (int) number("_HLS_part", part, 100_000), sk);
        }

        private static String first(Map<String, List<String>> q, String name) {
            List<String> v = q.get(name);
            return v == null || v.isEmpty() ? null : v.get(0);
        }

        private static long number(String name, String v, long max) {
            if (v.isEmpty() || v.length() > 18) {
                throw new IllegalArgumentException(name + " is not a decimal integer: " + v);
            }
            long n = 0;
            for (int i = 0; i < v.length(); i++) {
                char c = v.charAt(i);
                if (c < '0' || c > '9') {
                    throw new IllegalArgumentException(name + " is not a decimal integer: " + v);
                }
                n = n * 10 + (c - '0');
            }
            if (n > max) {
                throw new IllegalArgumentException(name + " is too large: " + v);
            }
            return n;
        }
    }

    private boolean segment(ChannelHandlerContext ctx, FullHttpRequest req, String name) {
        int dash = name.lastIndexOf('-');
        if (dash < 0 || dash == name.length() - 1 || name.length() - dash > 26) {
            return false;
        }
        // {seq} or, for a part, {seq}.{index}
        long seq = 0;
        int part = -1;
        int digits = 0;
        for (int i = dash + 1; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '.' && part < 0 && digits > 0 && digits <= 18 && config.lowLatency()) {
                part = 0;
                digits = 0;
                continue;
            }
            if (c < '0' || c > '9' || ++digits > 18) {
                return false;
            }
            if (part < 0) {
                seq = seq * 10 + (c - '0');
            } else if (part < 100_000) {
                part = part * 10 + (c - '0');
            }
        }
        if (digits == 0) {
            return false;
        }
        HlsStream s = streamOf(req, name.substring(0, dash));
        if (s == null) {
            return false;
        }
        if (!allowed(ctx, req)) {
            return true;
        }
        s.touch();
        HlsSessions.Viewer viewer = touchSession(req);
        HlsPlaylist p = s.playlist();
        String type = segmentExtension.equals(".ts") ? TS_TYPE : FMP4_SEGMENT_TYPE;
        if (part < 0) {
            HlsSegment seg = p == null ? null : p.segment(seq);
            ByteBuf body = seg == null ? null : seg.content().retainedDuplicate();
            if (body == null) {
                notFound(ctx, req, HttpResponseStatus.NOT_FOUND, "segment " + seq + " is not in memory\n");
            } else {
                sent(viewer, body);
                send(ctx, req, type, segmentCacheControl, body);
            }
            return true;
        }
        String uri = name.substring(name.lastIndexOf('/') + 1) + segmentExtension;
        if (p != null && p.part(uri) == null && p.isUpcomingPart(seq, part)) {
            // The preload-hinted part (§4.4.5.3): answer when it is complete.
            Channel ch = ctx.channel();
            HttpRequest head = waiting(req);
            ch.config().setAutoRead(false);
            long sq = seq;
            s.await(pl -> pl.part(uri) != null || pl.lastSequence() >= sq || pl.ended(),
                    Duration.ofSeconds(3L * p.targetDuration()), ready -> ch.eventLoop().execute(() -> {
                        ch.config().setAutoRead(true);
                        if (ch.isActive()) {
                            sendPart(ctx, head, ready, uri, type, viewer);
                        }
                    }));
            return true;
        }
        sendPart(ctx, req, p, uri, type, viewer);
        return true;
    }

    private void sendPart(ChannelHandlerContext ctx, HttpRequest req, HlsPlaylist p, String uri, String type,
                          HlsSessions.Viewer viewer) {
        HlsPart hp = p == null ? null : p.part(uri);
        ByteBuf body = hp == null ? null : hp.content().retainedDuplicate();
        if (body == null) {
            notFound(ctx, req, HttpResponseStatus.NOT_FOUND, "part " + uri + " is not in memory\n");
        } else {
            sent(viewer, body);
            send(ctx, req, type, segmentCacheControl, body);
        }
    }

    private boolean init(ChannelHandlerContext ctx, FullHttpRequest req, String path) {
        String file = path.substring(path.lastIndexOf('/') + 1);
        int at = path.lastIndexOf("-init");
        if (at < 0) {
            return false;
        }
        HlsStream s = streamOf(req, path.substring(0, at));
        if (s == null) {
            return false;
        }
        if (!allowed(ctx, req)) {
            return true;
        }
        s.touch();
        HlsSessions.Viewer viewer = touchSession(req);
        HlsPlaylist p = s.playlist();
        SharedBuffer init = p == null ? null : p.init(file);
        ByteBuf body = init == null ? null : init.retainedDuplicate();
        if (body == null) {
            notFound(ctx, req, HttpResponseStatus.NOT_FOUND, "no init segment " + file + "\n");
        } else {
            sent(viewer, body);
            send(ctx, req, INIT_TYPE, segmentCacheControl, body);
        }
        return true;
    }

    /** Keeps the viewer's session alive when the request names one; returns the viewer or null. */
    private HlsSessions.Viewer touchSession(HttpRequest req) {
        if (sessions != null && req.uri().contains(HlsSessions.PARAM + "=")) {
            return sessions.touch(QueryParams.parse(QueryParams.queryOf(req.uri())).get(HlsSessions.PARAM));
        }
        return null;
    }

    private static void sent(HlsSessions.Viewer viewer, ByteBuf body) {
        if (viewer != null) {
            viewer.sent(body.readableBytes());
        }
    }

    /** Returns how many HLS viewers have a play session. */
    public int viewerCount() {
        return sessions == null ? 0 : sessions.size();
    }

    /** Returns how many new viewers a session limit refused. */
    public long refusedViewers() {
        return sessions == null ? 0 : sessions.refused();
    }

    /**
     * Returns the key of {@code /{app}/{stream}} on the request's vhost, named as for every
     * protocol ({@link io.livehub.session.VhostResolver}: the {@code vhost} parameter, else the
     * {@code Host} header), so a viewer's session and the muxer it reads agree.
     *
     * @throws IllegalArgumentException when the path is not a valid stream path
     */
    private StreamKey keyOf(HttpRequest req, String streamPath) {
        StreamKey k = StreamKey.parse(streamPath);
        if (server.sessions().vhosts().vhosts().isEmpty()) {
            return k;
        }
        String vhost = server.sessions().vhosts().resolve("http://" + req.headers().get(HttpHeaderNames.HOST, "") + "/",
                QueryParams.parse(QueryParams.queryOf(req.uri())));
        return StreamKey.of(vhost, k.app(), k.name());
    }

    private HlsStream streamOf(HttpRequest req, String streamPath) {
        try {
            return streams.get(keyOf(req, streamPath));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * Returns the first media sequence number of a new muxer of {@code key}: the wall clock in
     * tenths of a second since 2020 ({@link #SEQUENCE_EPOCH_MILLIS}), or one past the last
     * segment of the stream's previous muxer in this process when that is higher. A segment
     * URL ({@code name-seq.ts}) is served as {@code immutable}; with this, a new publish (after
     * the muxer was released, or after a restart) never reuses the name of an older segment,
     * as long as a muxer cut fewer than ten segments a second on average over its life (segments
     * last a target duration, 100 ms at the very least).
     */
    private long firstSequence(StreamKey key) {
        long clock = Math.max(0, (System.currentTimeMillis() - SEQUENCE_EPOCH_MILLIS) / 100);
        synchronized (nextSequences) {
            Long after = nextSequences.get(key);
            return after == null ? clock : Math.max(clock, after);
        }
    }

    /** Remembers where the released muxer of {@code key} stopped, for {@link #firstSequence}. */
    private void remember(HlsStream s) {
        synchronized (nextSequences) {
            nextSequences.put(s.key(), s.nextSequence());
        }
    }

    private HlsStream newStream(StreamKey key) {
        log.info("HLS muxing {} ({})", key.path(), config);
        return new HlsStream(key, config, server, server.transport().workerGroup().next(), disk, firstSequence(key))
                .start();
    }

    /**
     * Starts muxers for newly published streams when muxing {@link HlsMuxing#ALWAYS}, and
     * releases expired muxers (ended, or idle when on demand). Call periodically.
     */
    public void sweep() {
        if (stopped) {
            return;
        }
        if (sessions != null) {
            sessions.sweep();
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
                s.close().thenRun(() -> remember(s));
            }
        }
    }

    /** Closes every muxer; returns when all released their segments. */
    public CompletableFuture<Void> closeAll() {
        stopped = true;
        if (sessions != null) {
            sessions.closeAll();
        }
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (HlsStream s : streams.values()) {
            streams.remove(s.key(), s);
            all.add(s.close());
        }
        CompletableFuture<Void> done = CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
        if (disk == null) {
            return done;
        }
        // The streams' files are deleted on the disk thread after they close; then it stops.
        return done.thenRunAsync(disk::close);
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
