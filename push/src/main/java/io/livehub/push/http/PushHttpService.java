package io.livehub.push.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.livehub.hooks.api.ApiAccess;
import io.livehub.hooks.api.ApiRequestGuard;
import io.livehub.http.HttpResponses;
import io.livehub.http.HttpService;
import io.livehub.media.StreamKey;
import io.livehub.push.DuplicatePushTaskException;
import io.livehub.push.PushProtocol;
import io.livehub.push.PushTaskInfo;
import io.livehub.push.PushTaskSpec;
import io.livehub.push.internal.PushEngine;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the push API on the shared HTTP endpoint, in OvenMediaEngine's shape:
 * {@code POST /v1/vhosts/{vhost}/apps/{app}:startPush}, {@code :stopPush} and {@code :pushes},
 * answering {@code {"statusCode", "message", "response"}}. Status codes: 200; 400 for a body
 * that is not valid JSON or a task that is not valid; 401 with {@code WWW-Authenticate: Basic}
 * without valid credentials; 403 for a non-loopback client when no token is configured; 404
 * for an unknown vhost, an invalid app or an unknown task id; 405 for another method; 409 for
 * a duplicate id; 503 when the task limit is reached. {@code default} and
 * {@code __defaultVhost__} both name the default vhost.
 *
 * <p>Every answer is made from the engine's snapshots: the API never waits for a task or
 * the network.
 *
 * <p>Thread-safety: called on the endpoint's event loops; stateless apart from the engine.
 */
public final class PushHttpService implements HttpService {

    private static final Logger log = LoggerFactory.getLogger(PushHttpService.class);
    private static final String PREFIX = "/v1/vhosts/";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PushEngine engine;
    private final PushApiAuth auth;

    public PushHttpService(PushEngine engine) {
        this.engine = engine;
        this.auth = new PushApiAuth(engine.config().apiToken());
    }

    private enum Action { START, STOP, LIST }

    @Override
    public boolean handle(ChannelHandlerContext ctx, FullHttpRequest req) {
        String path = new QueryStringDecoder(req.uri()).path();
        if (!path.startsWith(PREFIX)) {
            return false;
        }
        int colon = path.lastIndexOf(':');
        if (colon < 0) {
            return false;
        }
        Action action = switch (path.substring(colon + 1)) {
            case "startPush" -> Action.START;
            case "stopPush" -> Action.STOP;
            case "pushes" -> Action.LIST;
            default -> null;
        };
        if (action == null) {
            return false;
        }
        ApiRequestGuard.Verdict v = auth.check(ctx.channel(), req);
        if (v.status() == HttpResponseStatus.UNAUTHORIZED) {
            FullHttpResponse r = response(HttpResponseStatus.UNAUTHORIZED,
                    "[HTTP] Authorization header is required to call API (401)", null);
            r.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, PushApiAuth.CHALLENGE);
            HttpResponses.send(ctx, req, r, false);
            return true;
        }
        if (!v.allowed()) {
            log.debug("push API refused {}: {}", ctx.channel().remoteAddress(), v.reason());
            send(ctx, req, v.status(), v.reason(), null);
            return true;
        }
        if (!HttpMethod.POST.equals(req.method())) {
            FullHttpResponse r = response(HttpResponseStatus.METHOD_NOT_ALLOWED, "use POST", null);
            r.headers().set(HttpHeaderNames.ALLOW, "POST");
            HttpResponses.send(ctx, req, r, false);
            return true;
        }
        // /v1/vhosts/{vhost}/apps/{app}:action
        String rest = path.substring(PREFIX.length(), colon);
        int apps = rest.indexOf("/apps/");
        if (apps <= 0) {
            send(ctx, req, HttpResponseStatus.NOT_FOUND, "no such vhost or app", null);
            return true;
        }
        String vhost = engine.config().resolveVhost(rest.substring(0, apps));
        String app = rest.substring(apps + "/apps/".length());
        if (vhost == null || !validApp(vhost, app)) {
            send(ctx, req, HttpResponseStatus.NOT_FOUND, "could not find the vhost or app: " + printable(rest), null);
            return true;
        }
        JsonNode body;
        try {
            String text = req.content().toString(StandardCharsets.UTF_8);
            body = text.isBlank() ? JSON.createObjectNode() : JSON.readTree(text);
        } catch (JsonProcessingException e) {
            send(ctx, req, HttpResponseStatus.BAD_REQUEST, "the body is not valid JSON", null);
            return true;
        }
        if (!body.isObject()) {
            send(ctx, req, HttpResponseStatus.BAD_REQUEST, "the body must be a JSON object", null);
            return true;
        }
        switch (action) {
            case START -> startPush(ctx, req, vhost, app, body);
            case STOP -> stopPush(ctx, req, vhost, app, body);
            default -> pushes(ctx, req, vhost, app, body);
        }
        return true;
    }

    private void startPush(ChannelHandlerContext ctx, FullHttpRequest req, String vhost, String app, JsonNode body) {
        PushTaskSpec spec;
        try {
            JsonNode stream = body.path("stream");
            List<String> variants = new ArrayList<>();
            JsonNode vn = stream.path("variantNames");
            if (!vn.isMissingNode() && !vn.isNull()) {
                if (!vn.isArray()) {
                    throw new IllegalArgumentException("stream.variantNames must be an array");
                }
                for (JsonNode n : vn) {
                    variants.add(n.asText());
                }
            }
            spec = PushTaskSpec.builder()
                    .id(text(body, "id"))
                    .stream(StreamKey.of(vhost, app, requireText(stream, "stream.name", "name")))
                    .variantNames(variants)
                    .protocol(PushProtocol.parse(requireText(body, "protocol", "protocol")))
                    .url(requireText(body, "url", "url"))
                    .streamKey(text(body, "streamKey"))
                    .build();
        } catch (IllegalArgumentException e) {
            send(ctx, req, HttpResponseStatus.BAD_REQUEST, e.getMessage(), null);
            return;
        }
        try {
            PushTaskInfo info = engine.start(spec);
            send(ctx, req, HttpResponseStatus.OK, "OK", task(info));
        } catch (DuplicatePushTaskException e) {
            send(ctx, req, HttpResponseStatus.CONFLICT, "duplicate ID: " + spec.id(), null);
        } catch (IllegalStateException e) {
            send(ctx, req, HttpResponseStatus.SERVICE_UNAVAILABLE, e.getMessage(), null);
        }
    }

    private void stopPush(ChannelHandlerContext ctx, FullHttpRequest req, String vhost, String app, JsonNode body) {
        String id = text(body, "id");
        if (id == null || id.isEmpty()) {
            send(ctx, req, HttpResponseStatus.BAD_REQUEST, "id is required", null);
            return;
        }
        Optional<PushTaskInfo> found = engine.get(id).filter(t -> inApp(t, vhost, app));
        Optional<PushTaskInfo> stopped = found.isPresent() ? engine.stop(id) : Optional.empty();
        if (stopped.isEmpty()) {
            send(ctx, req, HttpResponseStatus.NOT_FOUND, "could not find the push task: " + printable(id), null);
            return;
        }
        send(ctx, req, HttpResponseStatus.OK, "OK", task(stopped.get()));
    }

    private void pushes(ChannelHandlerContext ctx, FullHttpRequest req, String vhost, String app, JsonNode body) {
        String id = text(body, "id");
        ArrayNode out = JSON.createArrayNode();
        for (PushTaskInfo t : engine.list()) {
            if (inApp(t, vhost, app) && (id == null || id.isEmpty() || id.equals(t.id()))) {
                out.add(task(t));
            }
        }
        send(ctx, req, HttpResponseStatus.OK, "OK", out);
    }

    private static boolean inApp(PushTaskInfo t, String vhost, String app) {
        StreamKey k = t.spec().stream();
        return k.vhost().equals(vhost) && k.app().equals(app);
    }

    private static boolean validApp(String vhost, String app) {
        try {
            StreamKey.of(vhost, app, "x");
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Returns the task as OvenMediaEngine writes it, with Livehub's extra fields after. */
    static ObjectNode task(PushTaskInfo t) {
        ObjectNode o = JSON.createObjectNode();
        PushTaskSpec s = t.spec();
        o.put("id", s.id());
        o.put("state", t.state().apiName());
        o.put("vhost", StreamKey.DEFAULT_VHOST.equals(s.stream().vhost()) ? "default" : s.stream().vhost());
        o.put("app", s.stream().app());
        ObjectNode stream = o.putObject("stream");
        stream.put("name", s.stream().name());
        stream.putArray("trackIds");
        ArrayNode vn = stream.putArray("variantNames");
        s.variantNames().forEach(vn::add);
        o.put("protocol", s.protocol().apiName());
        o.put("url", s.url());
        o.put("streamKey", s.streamKey());
        o.put("sentBytes", t.sentBytes());
        o.put("sentTime", t.sentTimeMillis());
        o.put("sequence", t.sequence());
        o.put("totalsentBytes", t.totalSentBytes());
        o.put("totalsentTime", t.totalSentTimeMillis());
        o.put("createdTime", PushTaskInfo.format(t.createdTime()));
        o.put("startTime", PushTaskInfo.format(t.startTime()));
        o.put("finishTime", PushTaskInfo.format(t.finishTime()));
        o.put("droppedFrames", t.droppedFrames());
        o.put("retryAttempt", t.retryAttempt());
        if (t.lastError() != null) {
            o.put("lastError", t.lastError());
        }
        return o;
    }

    private static String text(JsonNode node, String field) {
        JsonNode n = node.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw new IllegalArgumentException(field + " must be a string");
        }
        return n.asText();
    }

    private static String requireText(JsonNode node, String what, String field) {
        String s = node.isObject() ? text(node, field) : null;
        if (s == null || s.isEmpty()) {
            throw new IllegalArgumentException(what + " is required");
        }
        return s;
    }

    private static void send(ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status, String message,
                             JsonNode response) {
        HttpResponses.send(ctx, req, response(status, message, response), false);
    }

    private static FullHttpResponse response(HttpResponseStatus status, String message, JsonNode response) {
        ObjectNode env = JSON.createObjectNode();
        env.put("statusCode", status.code());
        env.put("message", message);
        if (response != null) {
            env.set("response", response);
        }
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(env);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(bytes));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        return r;
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && i < 128; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return b.toString();
    }
}
