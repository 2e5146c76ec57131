package io.livehub.virtual.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.livehub.hooks.api.ApiRequestGuard;
import io.livehub.http.HttpResponses;
import io.livehub.http.HttpService;
import io.livehub.hub.StreamBusyException;
import io.livehub.media.MalformedMediaException;
import io.livehub.media.StreamKey;
import io.livehub.virtual.UnsupportedMediaException;
import io.livehub.virtual.VirtualLiveException;
import io.livehub.virtual.VirtualLiveModule;
import io.livehub.virtual.VirtualLiveStatus;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the virtual live API on the shared HTTP endpoint in the shape of OvenMediaEngine's
 * push API: the actions are {@code POST /v1/vhosts/{vhost}/apps/{app}:startVirtual},
 * {@code :stopVirtual} and {@code :virtuals}, and every answer is the envelope
 * {@code {"statusCode": N, "message": "...", "response": ...}}. The vhost {@code default}
 * means the default vhost.
 *
 * <ul>
 *   <li>{@code :startVirtual} with {@code {"stream":{"name":"talk"},"file":"talk.mp4","loops":0,
 *       "startOffsetMs":0}} ({@code loops} 0 or absent: forever) answers 200 with the stream's
 *       status once it is published; 400 for a bad request or a path outside the media root, 404
 *       for a missing file, 409 when the stream is busy, 403 when a listener denied it, 415 for
 *       an unsupported codec or format, 422 for a malformed file.</li>
 *   <li>{@code :stopVirtual} with {@code {"stream":{"name":"talk"}}} answers 200 once the stream
 *       is unpublished, 404 when there is no such virtual stream.</li>
 *   <li>{@code :virtuals} (GET or POST) answers 200 with the app's virtual streams.</li>
 * </ul>
 *
 * <p>Access (ARCHITECTURE.md section 6): the rules of every Livehub HTTP API
 * ({@link ApiRequestGuard}): a token, or loopback only without one; a {@code Host} that names
 * this server and no foreign {@code Origin}, so a web page cannot reach the API through the
 * user's browser (DNS rebinding, cross-site requests); writes only as {@code application/json}.
 *
 * <p>Thread-safety: {@link #handle} runs on the connection's event loop and does not block;
 * answers that wait for a start or stop are written when it completes.
 */
public final class VirtualLiveHttpService implements HttpService {

    private static final Logger log = LoggerFactory.getLogger(VirtualLiveHttpService.class);
    private static final String PREFIX = "/v1/vhosts/";
    private static final String JSON = "application/json";

    private final VirtualLiveModule module;
    private final ApiRequestGuard guard;
    private final ObjectMapper mapper = new ObjectMapper();

    /** Serves {@code module}; {@code token} null or empty serves loopback only. */
    public VirtualLiveHttpService(VirtualLiveModule module, String token) {
        this(module, ApiRequestGuard.of(token));
    }

    public VirtualLiveHttpService(VirtualLiveModule module, ApiRequestGuard guard) {
        this.module = Objects.requireNonNull(module, "module");
        this.guard = Objects.requireNonNull(guard, "guard");
    }

    @Override
    public boolean handle(ChannelHandlerContext ctx, FullHttpRequest req) throws IOException {
        String path = new QueryStringDecoder(req.uri()).path();
        int colon = path.lastIndexOf(':');
        if (!path.startsWith(PREFIX) || colon < 0) {
            return false;
        }
        String action = path.substring(colon + 1);
        if (!action.equals("startVirtual") && !action.equals("stopVirtual") && !action.equals("virtuals")) {
            return false;
        }
        ApiRequestGuard.Verdict verdict = guard.check(ctx.channel(), req);
        if (verdict.status() == HttpResponseStatus.UNAUTHORIZED) {
            FullHttpResponse r = response(HttpResponseStatus.UNAUTHORIZED, envelope(401, "Unauthorized"));
            r.headers().add(HttpHeaderNames.WWW_AUTHENTICATE, "Basic realm=\"Livehub\"");
            HttpResponses.send(ctx, req, r, false);
            return true;
        }
        if (!verdict.allowed()) {
            log.debug("virtual live API refused {}: {}", ctx.channel().remoteAddress(), verdict.reason());
            send(ctx, req, verdict.status().code(), verdict.reason(), null);
            return true;
        }
        // /v1/vhosts/{vhost}/apps/{app}:action
        String rest = path.substring(PREFIX.length(), colon);
        int apps = rest.indexOf("/apps/");
        if (apps <= 0) {
            send(ctx, req, 404, "Not Found", null);
            return true;
        }
        String vhost = rest.substring(0, apps);
        String app = rest.substring(apps + "/apps/".length());
        if (vhost.equals("default")) {
            vhost = StreamKey.DEFAULT_VHOST;
        }
        boolean read = action.equals("virtuals");
        if (!req.method().equals(HttpMethod.POST) && !(read && req.method().equals(HttpMethod.GET))) {
            FullHttpResponse r = response(HttpResponseStatus.METHOD_NOT_ALLOWED, envelope(405, "Method Not Allowed"));
            r.headers().set(HttpHeaderNames.ALLOW, read ? "GET, POST" : "POST");
            HttpResponses.send(ctx, req, r, false);
            return true;
        }
        JsonNode body = null;
        if (req.method().equals(HttpMethod.POST)) {
            String type = req.headers().get(HttpHeaderNames.CONTENT_TYPE);
            boolean empty = !req.content().isReadable();
            if (!(read && empty) && (type == null || !type.toLowerCase(Locale.ROOT).startsWith(JSON))) {
                send(ctx, req, 415, "the body must be application/json", null);
                return true;
            }
            if (!empty) {
                try (InputStream in = new ByteBufInputStream(req.content().duplicate())) {
                    body = mapper.readTree(in);
                } catch (JsonProcessingException e) {
                    send(ctx, req, 400, "the body is not JSON", null);
                    return true;
                }
            }
        }
        switch (action) {
            case "virtuals" -> list(ctx, req, vhost, app);
            case "startVirtual" -> start(ctx, req, vhost, app, body);
            default -> stop(ctx, req, vhost, app, body);
        }
        return true;
    }


    private void list(ChannelHandlerContext ctx, FullHttpRequest req, String vhost, String app) {
        ArrayNode a = mapper.createArrayNode();
        for (VirtualLiveStatus s : module.list()) {
            if (s.key().vhost().equals(vhost) && s.key().app().equals(app)) {
                a.add(status(s));
            }
        }
        send(ctx, req, 200, "OK", a);
    }

    private StreamKey key(String vhost, String app, JsonNode body) {
        JsonNode name = body == null ? null : body.path("stream").get("name");
        if (name == null || !name.isTextual()) {
            throw new IllegalArgumentException("expected {\"stream\":{\"name\":\"...\"}}");
        }
        return StreamKey.of(vhost, app, name.asText());
    }

    private void start(ChannelHandlerContext ctx, FullHttpRequest req, String vhost, String app, JsonNode body) {
        StreamKey key;
        String file;
        long loops;
        long offsetMs;
        try {
            key = key(vhost, app, body);
            JsonNode f = body.get("file");
            JsonNode l = body.path("loops");
            JsonNode o = body.path("startOffsetMs");
            if (f == null || !f.isTextual() || !(l.isMissingNode() || l.canConvertToLong())
                    || !(o.isMissingNode() || o.canConvertToLong())) {
                throw new IllegalArgumentException(
                        "expected {\"stream\":{\"name\":\"...\"},\"file\":\"...\",\"loops\":N,\"startOffsetMs\":N}");
            }
            file = f.asText();
            loops = l.isMissingNode() ? VirtualLiveModule.FOREVER : l.asLong();
            offsetMs = o.isMissingNode() ? 0 : o.asLong();
        } catch (IllegalArgumentException e) {
            send(ctx, req, 400, e.getMessage(), null);
            return;
        }
        HttpRequest head = head(req);
        log.info("virtual live API: start {} from '{}' (asked by {})", key.path(), file, ctx.channel().remoteAddress());
        module.start(key, file, loops, Duration.ofMillis(offsetMs)).whenComplete((s, t) -> ctx.executor().execute(() -> {
            if (t == null) {
                send(ctx, head, 200, "OK", status(s));
                return;
            }
            Throwable c = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
            int code;
            if (c instanceof IllegalArgumentException) {
                code = c.getMessage() != null && c.getMessage().contains("not found") ? 404 : 400;
            } else if (c instanceof StreamBusyException) {
                code = 409;
            } else if (c instanceof UnsupportedMediaException) {
                code = 415;
            } else if (c instanceof MalformedMediaException) {
                code = 422;
            } else if (c instanceof VirtualLiveException) {
                code = 403;
            } else {
                code = 500;
            }
            send(ctx, head, code, String.valueOf(c.getMessage()), null);
        }));
    }

    private void stop(ChannelHandlerContext ctx, FullHttpRequest req, String vhost, String app, JsonNode body) {
        StreamKey key;
        try {
            key = key(vhost, app, body);
        } catch (IllegalArgumentException e) {
            send(ctx, req, 400, e.getMessage(), null);
            return;
        }
        HttpRequest head = head(req);
        log.info("virtual live API: stop {} (asked by {})", key.path(), ctx.channel().remoteAddress());
        module.stop(key).whenComplete((found, t) -> ctx.executor().execute(() -> {
            if (t != null) {
                send(ctx, head, 500, t.toString(), null);
            } else if (found) {
                send(ctx, head, 200, "OK", null);
            } else {
                send(ctx, head, 404, "no virtual live stream " + key.path(), null);
            }
        }));
    }

    /** Copies what an answer written later needs of the request (its version and headers). */
    private static HttpRequest head(FullHttpRequest req) {
        return new DefaultHttpRequest(req.protocolVersion(), req.method(), req.uri(), req.headers().copy());
    }

    private ObjectNode status(VirtualLiveStatus s) {
        ObjectNode o = mapper.createObjectNode();
        o.put("vhost", s.key().vhost());
        o.put("app", s.key().app());
        o.putObject("stream").put("name", s.key().name());
        o.put("file", s.file());
        o.put("clientId", s.clientId());
        o.put("state", s.state().name().toLowerCase(Locale.ROOT));
        o.put("loop", s.loop());
        o.put("loops", s.loops());
        o.put("positionMs", s.position().toMillis());
        o.put("publishedMs", s.published().toMillis());
        o.put("frames", s.frames());
        o.put("createdTime", s.startedAt().toString());
        return o;
    }

    private ObjectNode envelope(int code, String message) {
        ObjectNode o = mapper.createObjectNode();
        o.put("statusCode", code);
        o.put("message", message);
        return o;
    }

    private void send(ChannelHandlerContext ctx, HttpRequest req, int code, String message, JsonNode response) {
        ObjectNode o = envelope(code, message);
        if (response != null) {
            o.set("response", response);
        }
        HttpResponses.send(ctx, req, response(HttpResponseStatus.valueOf(code), o), false);
    }

    private FullHttpResponse response(HttpResponseStatus status, ObjectNode body) {
        byte[] bytes;
        try {
            bytes = mapper.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(bytes));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        return r;
    }
}
