package io.livehub.webrtc.internal;

import io.livehub.event.ClientInfo;
import io.livehub.http.HttpResponses;
import io.livehub.http.HttpService;
import io.livehub.media.MalformedMediaException;
import io.livehub.media.QueryParams;
import io.livehub.media.StreamKey;
import io.livehub.spi.ServerContext;
import io.livehub.webrtc.sdp.SdpNegotiationException;
import io.livehub.webrtc.sdp.SessionDescription;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WHEP (draft-ietf-wish-whep) and WHIP (RFC 9725) signalling on the shared HTTP endpoint; WHIP
 * has the same routes with {@code whip} in place of {@code whep} and the publish decision
 * (onPublish) in place of onPlay. For WHEP:
 * <ul>
 *   <li>{@code POST /rtc/v1/whep/?app=live&stream=livestream} (SRS's layout) and
 *       {@code POST /{app}/{stream}/whep}, body {@code application/sdp}: the play decision
 *       (onPlay), then {@code 201 Created} with the answer and the session's
 *       {@code Location} and {@code ETag};</li>
 *   <li>{@code DELETE} on the {@code Location} ({@code /rtc/v1/whep/session/{id}}) ends the
 *       session; {@code PATCH} (trickle ICE, ICE restart) is answered 405: this ICE-lite side
 *       puts all its candidates in the answer and needs none of the browser's;</li>
 *   <li>{@code OPTIONS} preflights are answered by the endpoint itself, with its CORS
 *       headers, which also expose {@code Location}, {@code Link} and {@code ETag}.</li>
 * </ul>
 * Errors: 400 for a bad stream name or SDP, 403 when play (publish) is denied, 406 when the
 * offer cannot be answered, 409 when a WHIP stream is already published, 413 over the SDP size
 * limit, 415 for another content type, 503 at the session limits.
 *
 * <p>Thread-safety: called on the HTTP connection's event loop; answers after the decision
 * hop back to it.
 */
public final class WebRtcSignalling implements HttpService {

    private static final Logger log = LoggerFactory.getLogger(WebRtcSignalling.class);
    static final String SRS_PATH = "/rtc/v1/whep/";
    static final String RESOURCE_PATH = "/rtc/v1/whep/session/";
    static final String WHIP_SRS_PATH = "/rtc/v1/whip/";
    static final String WHIP_RESOURCE_PATH = "/rtc/v1/whip/session/";

    private final WebRtcServer server;
    private final ServerContext context;

    public WebRtcSignalling(WebRtcServer server, ServerContext context) {
        this.server = server;
        this.context = context;
    }

    @Override
    public boolean handle(ChannelHandlerContext ctx, FullHttpRequest req) {
        QueryStringDecoder qs = new QueryStringDecoder(req.uri());
        String path = qs.path();
        if (path.startsWith(RESOURCE_PATH) || path.startsWith(WHIP_RESOURCE_PATH)) {
            resource(ctx, req, path.substring(path.lastIndexOf('/') + 1));
            return true;
        }
        String app;
        String stream;
        boolean whip = path.endsWith("/whip") || path.startsWith(WHIP_SRS_PATH) || path.equals("/rtc/v1/whip");
        Map<String, String> params = withBearerSecret(QueryParams.parse(QueryParams.queryOf(req.uri())),
                req.headers().get(HttpHeaderNames.AUTHORIZATION));
        if (path.equals(SRS_PATH) || path.equals("/rtc/v1/whep") || path.equals(WHIP_SRS_PATH)
                || path.equals("/rtc/v1/whip")) {
            app = params.getOrDefault("app", "");
            stream = params.getOrDefault("stream", "");
        } else if ((path.endsWith("/whep") || path.endsWith("/whip")) && path.length() > "/whep".length()) {
            String[] parts = path.substring(1, path.length() - "/whep".length()).split("/", -1);
            if (parts.length != 2) {
                return false;
            }
            app = parts[0];
            stream = parts[1];
        } else {
            return false;
        }
        if (!req.method().equals(HttpMethod.POST)) {
            FullHttpResponse r = text(HttpResponseStatus.METHOD_NOT_ALLOWED, "use POST with an SDP offer\n");
            r.headers().set(HttpHeaderNames.ALLOW, "POST, OPTIONS");
            HttpResponses.send(ctx, req, r);
            return true;
        }
        String type = req.headers().get(HttpHeaderNames.CONTENT_TYPE, "");
        if (!type.toLowerCase(java.util.Locale.ROOT).startsWith("application/sdp")) {
            HttpResponses.text(ctx, req, HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, "the offer must be application/sdp\n");
            return true;
        }
        int size = req.content().readableBytes();
        if (size > server.config().sdpLimits().maxBytes()) {
            HttpResponses.text(ctx, req, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                    "an SDP offer may have " + server.config().sdpLimits().maxBytes() + " bytes\n");
            return true;
        }
        StreamKey key;
        try {
            key = StreamKey.of(app, stream);
        } catch (IllegalArgumentException e) {
            HttpResponses.text(ctx, req, HttpResponseStatus.BAD_REQUEST, e.getMessage() + "\n");
            return true;
        }
        Channel ch = ctx.channel();
        SessionDescription offer;
        try {
            offer = SessionDescription.parse(req.content().toString(StandardCharsets.UTF_8),
                    server.config().sdpLimits());
        } catch (MalformedMediaException e) {
            log.info("bad WHEP offer from {} for {}: {}", ch.remoteAddress(), key.path(), e.getMessage());
            HttpResponses.text(ctx, req, HttpResponseStatus.BAD_REQUEST, "bad SDP: " + e.getMessage() + "\n");
            return true;
        }
        String host = req.headers().get(HttpHeaderNames.HOST, "localhost");
        WebRtcClient client = new WebRtcClient(context, ch.remoteAddress() instanceof InetSocketAddress a ? a : null,
                context.transport().workerGroup().next(), "http://" + host + "/" + key.app(),
                req.headers().get(HttpHeaderNames.ORIGIN, ""), key, params, whip);
        boolean keepAlive = io.netty.handler.codec.http.HttpUtil.isKeepAlive(req);
        HttpVersion version = req.protocolVersion();
        ch.config().setAutoRead(false);
        client.decide().whenComplete((c, failure) -> ch.eventLoop().execute(() -> {
            ch.config().setAutoRead(true);
            FullHttpResponse response;
            Throwable t = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            if (t instanceof io.livehub.hub.StreamBusyException) {
                client.closed();
                response = text(HttpResponseStatus.CONFLICT, key.path() + " is already published\n");
            } else if (t != null) {
                String reason = t instanceof io.livehub.session.SessionDeniedException d ? d.reason() : t.toString();
                String what = whip ? "publish" : "play";
                client.closed();
                response = text(HttpResponseStatus.FORBIDDEN, what + " denied: " + reason + "\n");
            } else {
                response = answer(offer, client, client.stream());
                if (response.status().code() >= 300) {
                    client.closed();
                }
            }
            if (!ch.isActive()) {
                response.release();
                return;
            }
            FullHttpRequest head = new io.netty.handler.codec.http.DefaultFullHttpRequest(version, HttpMethod.POST,
                    "/", Unpooled.EMPTY_BUFFER);
            io.netty.handler.codec.http.HttpUtil.setKeepAlive(head, keepAlive);
            HttpResponses.send(ctx, head, response);
        }));
        return true;
    }

    private FullHttpResponse answer(SessionDescription offer, WebRtcClient client, StreamKey key) {
        PeerSession p;
        try {
            p = server.open(offer, client);
        } catch (SdpNegotiationException e) {
            log.info("WebRTC client {} from {}: offer for {} not answerable: {}", client.clientId(),
                    client.info().ip(), key.path(), e.getMessage());
            return text(HttpResponseStatus.NOT_ACCEPTABLE, e.getMessage() + "\n");
        } catch (io.livehub.hub.StreamBusyException e) {
            log.info("WebRTC client {} from {}: {} is already published", client.clientId(),
                    client.info().ip(), key.path());
            return text(HttpResponseStatus.CONFLICT, key.path() + " is already published\n");
        } catch (IllegalStateException e) {
            return text(HttpResponseStatus.SERVICE_UNAVAILABLE, e.getMessage() + "\n");
        }
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CREATED,
                Unpooled.copiedBuffer(p.answerSdp(), StandardCharsets.UTF_8));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/sdp");
        r.headers().set(HttpHeaderNames.LOCATION, (client.isPublisher() ? WHIP_RESOURCE_PATH : RESOURCE_PATH) + p.id());
        r.headers().set(HttpHeaderNames.ETAG, "\"" + p.localUfrag() + "\"");
        r.headers().set("X-Livehub-Client-Id", client.clientId());
        log.info("WebRTC client {} from {} answered for {}, session {}", client.clientId(), client.info().ip(),
                key.path(), p.id());
        return r;
    }

    private void resource(ChannelHandlerContext ctx, FullHttpRequest req, String id) {
        if (req.method().equals(HttpMethod.DELETE)) {
            PeerSession p = server.session(id);
            if (p == null) {
                HttpResponses.text(ctx, req, HttpResponseStatus.NOT_FOUND, "no such WHEP session\n");
                return;
            }
            p.close("DELETE by the client");
            HttpResponses.text(ctx, req, HttpResponseStatus.OK, "");
            return;
        }
        FullHttpResponse r = text(HttpResponseStatus.METHOD_NOT_ALLOWED,
                req.method().equals(HttpMethod.PATCH)
                        ? "trickle ICE and ICE restarts are not supported: the answer has every candidate\n"
                        : "use DELETE to end the session\n");
        r.headers().set(HttpHeaderNames.ALLOW, "DELETE, OPTIONS");
        HttpResponses.send(ctx, req, r);
    }

    private static FullHttpResponse text(HttpResponseStatus status, String body) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        return r;
    }

    /**
     * Adds the token of {@code Authorization: Bearer <token>} as the {@code secret} parameter, as
     * WHIP clients (OBS) send the stream key (RFC 9725 §4.5), unless the query names a secret.
     */
    static Map<String, String> withBearerSecret(Map<String, String> params, String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                || params.containsKey("secret")) {
            return params;
        }
        String token = authorization.substring(7).trim();
        if (token.isEmpty() || token.length() > QueryParams.MAX_QUERY_LENGTH) {
            return params;
        }
        Map<String, String> m = new java.util.LinkedHashMap<>(params);
        m.put("secret", token);
        return java.util.Collections.unmodifiableMap(m);
    }
}
