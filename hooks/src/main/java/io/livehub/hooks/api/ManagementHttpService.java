package io.livehub.hooks.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.livehub.MediaServer;
import io.livehub.http.HttpResponses;
import io.livehub.http.HttpService;
import io.livehub.util.RateLimitedLog;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.AttributeKey;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@link ManagementApi} under {@code /api/} on the shared HTTP endpoint, with SRS's
 * paths and JSON shapes where SRS has them:
 * <ul>
 *   <li>{@code GET /api/v1/versions}: {@code {"code":0,"server":..,"data":{"major","minor","revision","version","commit"}}}
 *       (the version of the jars' manifests, {@code dev} when run from classes; the git commit);</li>
 *   <li>{@code GET /api/v1/summaries}: SRS's {@code data.self} and {@code data.system} fields the
 *       JVM can tell, and Livehub's in {@code data.livehub};</li>
 *   <li>{@code GET /api/v1/streams}, {@code GET /api/v1/streams/{id}}: {@code streams} (or
 *       {@code stream}) objects as SRS writes them;</li>
 *   <li>{@code GET /api/v1/clients}, {@code GET /api/v1/clients/{id}}: {@code clients} (or
 *       {@code client}), SRS's fields plus {@code protocol}, {@code role} and {@code port};</li>
 *   <li>{@code DELETE /api/v1/clients/{id}}: kicks the client;</li>
 *   <li>{@code GET /api/v1/secret}: {@code {"code":0,"data":{"publish":..,"play":..}}}, empty text
 *       meaning off; {@code PUT /api/v1/secret} with {@code {"publish":"..."}} and/or
 *       {@code {"play":"..."}} changes them for the next publish or play (Livehub's, after SRS
 *       Stack's secret query and update).</li>
 * </ul>
 * Errors answer with an HTTP status and {@code {"code":N}}: SRS's 2048 (stream not found) and
 * 2049 (client not found) with 404, otherwise the HTTP status as the code (400, 401, 403, 404,
 * 405). Every path under {@code /api/} belongs to this service, and {@link ApiRequestGuard}
 * decides before anything else is looked at (credentials, Host, Origin, Content-Type; its
 * own CORS headers instead of the endpoint's). The secret answers 403 without a token: then
 * the operator reads it from the server's files, and no page can. Request bodies are bounded
 * by the endpoint's {@code maxRequestBytes}.
 *
 * <p>Thread-safety: {@link #handle} runs on the connection's event loop and does not block;
 * the service holds no mutable state.
 */
public final class ManagementHttpService implements HttpService {

    private static final Logger log = LoggerFactory.getLogger(ManagementHttpService.class);
    private static final RateLimitedLog refusals = new RateLimitedLog(log, Duration.ofSeconds(10));
    /** The guard's verdict for the request being answered, for its CORS headers. */
    private static final AttributeKey<ApiRequestGuard.Verdict> CORS = AttributeKey.valueOf("livehub.api.cors");

    /** The path prefix this service owns. */
    public static final String PREFIX = "/api/";
    /** SRS's {@code ERROR_RTMP_STREAM_NOT_FOUND}. */
    public static final int CODE_STREAM_NOT_FOUND = 2048;
    /** SRS's {@code ERROR_RTMP_CLIENT_NOT_FOUND}. */
    public static final int CODE_CLIENT_NOT_FOUND = 2049;

    private static final String STREAMS = "/api/v1/streams";
    private static final String CLIENTS = "/api/v1/clients";
    private static final String JSON = "application/json";

    private final ManagementApi api;
    private final ApiRequestGuard guard;
    private final ObjectMapper mapper = new ObjectMapper();
    private final String serverId;
    private final String serviceId;
    private final long pid = ProcessHandle.current().pid();

    /**
     * Creates the service; {@code token} (null or empty: loopback only) is the Bearer token, or
     * the Basic password with any user name.
     */
    public ManagementHttpService(ManagementApi api, String token) {
        this(api, ApiRequestGuard.of(token));
    }

    public ManagementHttpService(ManagementApi api, ApiAccess access) {
        this(api, ApiRequestGuard.builder().access(access).build());
    }

    public ManagementHttpService(ManagementApi api, ApiRequestGuard guard) {
        this.api = Objects.requireNonNull(api, "api");
        this.guard = Objects.requireNonNull(guard, "guard");
        SecureRandom r = new SecureRandom();
        this.serverId = api.serverId();
        this.serviceId = Long.toString(r.nextLong() >>> 24, 36);
    }

    /** Returns the access rule. */
    public ApiAccess access() {
        return guard.access();
    }

    /** Returns the request rules. */
    public ApiRequestGuard guard() {
        return guard;
    }

    /** Returns the server id written in every answer's {@code server} field. */
    public String serverId() {
        return serverId;
    }

    @Override
    public boolean handle(ChannelHandlerContext ctx, FullHttpRequest req) throws Exception {
        String path = new QueryStringDecoder(req.uri()).path();
        if (!path.equals("/api") && !path.startsWith(PREFIX)) {
            return false;
        }
        ApiRequestGuard.Verdict v = guard.check(ctx.channel(), req);
        if (!v.allowed()) {
            FullHttpResponse r = response(v.status(), code(v.status().code()).put("message", v.reason()));
            if (v.status().equals(HttpResponseStatus.UNAUTHORIZED)) {
                r.headers().add(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"livehub\"");
                r.headers().add(HttpHeaderNames.WWW_AUTHENTICATE, "Basic realm=\"livehub\", charset=\"UTF-8\"");
            } else {
                refusals.info(v.status().toString(), "management API refused {} {} from {}: {}",
                        req.method(), path, ctx.channel().remoteAddress(), v.reason());
            }
            v.applyCors(r);
            HttpResponses.send(ctx, req, r, false);
            return true;
        }
        ctx.channel().attr(CORS).set(v);
        while (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        route(ctx, req, path);
        return true;
    }

    private void route(ChannelHandlerContext ctx, FullHttpRequest req, String path) throws IOException {
        HttpMethod m = req.method();
        switch (path) {
            case "/api/v1/versions" -> {
                if (allowed(ctx, req, "GET")) {
                    send(ctx, req, HttpResponseStatus.OK, versions());
                }
                return;
            }
            case "/api/v1/summaries" -> {
                if (allowed(ctx, req, "GET")) {
                    send(ctx, req, HttpResponseStatus.OK, summaries());
                }
                return;
            }
            case STREAMS -> {
                if (allowed(ctx, req, "GET")) {
                    ObjectNode o = ok();
                    ArrayNode a = o.putArray("streams");
                    api.streams().forEach(s -> a.add(stream(s)));
                    send(ctx, req, HttpResponseStatus.OK, o);
                }
                return;
            }
            case CLIENTS -> {
                if (allowed(ctx, req, "GET")) {
                    ObjectNode o = ok();
                    ArrayNode a = o.putArray("clients");
                    api.clients().forEach(c -> a.add(client(c)));
                    send(ctx, req, HttpResponseStatus.OK, o);
                }
                return;
            }
            case "/api/v1/secret" -> {
                secret(ctx, req);
                return;
            }
            default -> {
            }
        }
        String id = idAfter(path, STREAMS);
        if (id != null) {
            if (allowed(ctx, req, "GET")) {
                Optional<StreamStats> s = api.stream(id);
                if (s.isEmpty()) {
                    send(ctx, req, HttpResponseStatus.NOT_FOUND, code(CODE_STREAM_NOT_FOUND));
                } else {
                    ObjectNode o = ok();
                    o.set("stream", stream(s.get()));
                    send(ctx, req, HttpResponseStatus.OK, o);
                }
            }
            return;
        }
        id = idAfter(path, CLIENTS);
        if (id != null) {
            if (m.equals(HttpMethod.DELETE)) {
                if (api.kick(id)) {
                    log.info("management API kicked client {} (asked by {})", id, ctx.channel().remoteAddress());
                    send(ctx, req, HttpResponseStatus.OK, ok());
                } else {
                    send(ctx, req, HttpResponseStatus.NOT_FOUND, code(CODE_CLIENT_NOT_FOUND));
                }
            } else if (allowed(ctx, req, "GET, DELETE")) {
                Optional<ClientStats> c = api.client(id);
                if (c.isEmpty()) {
                    send(ctx, req, HttpResponseStatus.NOT_FOUND, code(CODE_CLIENT_NOT_FOUND));
                } else {
                    ObjectNode o = ok();
                    o.set("client", client(c.get()));
                    send(ctx, req, HttpResponseStatus.OK, o);
                }
            }
            return;
        }
        send(ctx, req, HttpResponseStatus.NOT_FOUND, code(404));
    }

    /** Returns the single path segment after {@code base/}, or null. */
    private static String idAfter(String path, String base) {
        if (!path.startsWith(base + "/")) {
            return null;
        }
        String id = path.substring(base.length() + 1);
        return id.isEmpty() || id.contains("/") ? null : id;
    }

    /**
     * Returns whether the method is GET (or, for {@code allow} containing it, another listed
     * method handled by the caller); otherwise answers 405.
     */
    private boolean allowed(ChannelHandlerContext ctx, FullHttpRequest req, String allow) {
        if (req.method().equals(HttpMethod.GET)) {
            return true;
        }
        FullHttpResponse r = response(HttpResponseStatus.METHOD_NOT_ALLOWED, code(405));
        r.headers().set(HttpHeaderNames.ALLOW, allow);
        sendOwn(ctx, req, r);
        return false;
    }

    private void secret(ChannelHandlerContext ctx, FullHttpRequest req) throws IOException {
        if (!api.managesSecrets()) {
            send(ctx, req, HttpResponseStatus.NOT_FOUND, code(404));
            return;
        }
        if (!guard.access().tokenRequired()) {
            // A loopback-only API is reachable by anything on the machine and by any page that
            // gets past the browser's rules: the secret is not handed out there.
            send(ctx, req, HttpResponseStatus.FORBIDDEN, code(403).put("message",
                    "the secret API needs an API token; without one, read the secret from the server's data directory"));
            return;
        }
        if (req.method().equals(HttpMethod.PUT) || req.method().equals(HttpMethod.POST)) {
            JsonNode body;
            try (ByteBufInputStream in = new ByteBufInputStream(req.content().duplicate())) {
                body = mapper.readTree((java.io.InputStream) in);
            } catch (JsonProcessingException e) {
                send(ctx, req, HttpResponseStatus.BAD_REQUEST, code(400).put("message", "body is not JSON"));
                return;
            }
            if (body == null || !body.isObject() || !(textOrNull(body, "publish") && textOrNull(body, "play"))
                    || (!body.has("publish") && !body.has("play"))) {
                send(ctx, req, HttpResponseStatus.BAD_REQUEST,
                        code(400).put("message", "expected {\"publish\":\"...\"} and/or {\"play\":\"...\"}"));
                return;
            }
            if (body.has("publish")) {
                api.secret(body.get("publish").isNull() ? null : body.get("publish").asText());
            }
            if (body.has("play")) {
                api.playSecret(body.get("play").isNull() ? null : body.get("play").asText());
            }
            log.info("management API changed the {} (asked by {})",
                    body.has("publish") && body.has("play") ? "publish and play secrets"
                            : body.has("publish") ? "publish secret" : "play secret", ctx.channel().remoteAddress());
        } else if (!allowed(ctx, req, "GET, PUT")) {
            return;
        }
        ObjectNode o = ok();
        ObjectNode d = o.putObject("data");
        d.put("publish", Objects.toString(api.secret(), ""));
        d.put("play", Objects.toString(api.playSecret(), ""));
        send(ctx, req, HttpResponseStatus.OK, o);
    }

    private static boolean textOrNull(JsonNode body, String field) {
        JsonNode n = body.get(field);
        return n == null || n.isNull() || n.isTextual();
    }

    private ObjectNode versions() {
        ServerVersion v = api.version();
        ObjectNode o = ok();
        ObjectNode d = o.putObject("data");
        d.put("major", v.major());
        d.put("minor", v.minor());
        d.put("revision", v.revision());
        d.put("version", v.version());
        d.put("commit", MediaServer.COMMIT);
        return o;
    }

    private ObjectNode summaries() {
        ServerSummary s = api.summary();
        ObjectNode o = ok();
        ObjectNode d = o.putObject("data");
        d.put("ok", true);
        d.put("now_ms", System.currentTimeMillis());
        ObjectNode self = d.putObject("self");
        self.put("version", s.version().version());
        self.put("pid", s.pid());
        self.put("mem_kbyte", s.heapUsed() / 1024);
        self.put("cpu_percent", s.processCpuLoad() < 0 ? 0 : round2(s.processCpuLoad() * 100));
        self.put("srs_uptime", s.uptime().toSeconds());
        ObjectNode system = d.putObject("system");
        system.put("cpus", s.cpus());
        system.put("load_1m", s.systemLoad() < 0 ? 0 : round2(s.systemLoad()));
        system.put("srs_send_bytes", s.bytesOut());
        system.put("srs_recv_bytes", s.bytesIn());
        system.put("conn_srs", s.clients());
        ObjectNode lh = d.putObject("livehub");
        lh.put("uptime_ms", s.uptime().toMillis());
        lh.put("started_ms", s.startedAt() == null ? 0 : s.startedAt().toEpochMilli());
        ObjectNode ports = lh.putObject("ports");
        s.ports().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> ports.put(e.getKey(), e.getValue()));
        lh.put("clients", s.clients());
        lh.put("streams", s.streams());
        lh.put("publishing", s.publishing());
        lh.put("heap_used_bytes", s.heapUsed());
        lh.put("heap_max_bytes", s.heapMax());
        lh.put("process_cpu_load", s.processCpuLoad());
        return o;
    }

    private static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private ObjectNode stream(StreamStats s) {
        ObjectNode o = mapper.createObjectNode();
        o.put("id", s.id());
        o.put("name", s.key().name());
        o.put("vhost", s.key().vhost());
        o.put("app", s.key().app());
        o.put("tcUrl", s.tcUrl());
        o.put("url", "/" + s.key().path());
        o.put("live_ms", s.publishedAt() == null ? 0 : s.publishedAt().toEpochMilli());
        o.put("clients", s.subscribers() + (s.publishing() ? 1 : 0));
        o.put("frames", s.frames());
        o.put("send_bytes", s.bytesOut());
        o.put("recv_bytes", s.bytesIn());
        ObjectNode kbps = o.putObject("kbps");
        kbps.put("recv_30s", s.kbpsIn());
        kbps.put("send_30s", s.kbpsOut());
        ObjectNode publish = o.putObject("publish");
        publish.put("active", s.publishing());
        publish.put("cid", s.publisherId());
        if (s.video() == null) {
            o.putNull("video");
        } else {
            ObjectNode v = o.putObject("video");
            v.put("codec", s.video().codec());
            v.put("profile", s.video().profile());
            v.put("level", s.video().level());
            v.put("width", s.video().width());
            v.put("height", s.video().height());
        }
        if (s.audio() == null) {
            o.putNull("audio");
        } else {
            ObjectNode a = o.putObject("audio");
            a.put("codec", s.audio().codec());
            a.put("sample_rate", s.audio().sampleRate());
            a.put("channel", s.audio().channels());
            a.put("profile", s.audio().profile());
        }
        o.put("subscribers", s.subscribers());
        o.put("uptime_ms", s.uptime().toMillis());
        return o;
    }

    private ObjectNode client(ClientStats c) {
        ObjectNode o = mapper.createObjectNode();
        o.put("id", c.id());
        o.put("vhost", c.stream() == null ? "" : c.stream().vhost());
        o.put("stream", c.streamId());
        o.put("ip", c.ip());
        o.put("port", c.port());
        o.put("pageUrl", c.pageUrl());
        o.put("swfUrl", "");
        o.put("tcUrl", c.tcUrl());
        o.put("url", c.stream() == null ? "" : "/" + c.stream().path());
        o.put("name", c.stream() == null ? "" : c.stream().name());
        o.put("type", srsType(c));
        o.put("publish", c.role() == io.livehub.session.ClientSession.Role.PUBLISHING);
        o.put("alive", c.alive().toMillis() / 1000.0);
        o.put("send_bytes", c.bytesOut());
        o.put("recv_bytes", c.bytesIn());
        ObjectNode kbps = o.putObject("kbps");
        kbps.put("recv_30s", c.kbpsIn());
        kbps.put("send_30s", c.kbpsOut());
        o.put("protocol", c.protocol());
        o.put("role", c.role().name().toLowerCase());
        return o;
    }

    /** Returns SRS's client type: {@code fmle-publish}, {@code rtmp-play}, {@code flv-play}, ... */
    private static String srsType(ClientStats c) {
        String p = c.protocol();
        return switch (c.role()) {
            case PUBLISHING -> p.equals("rtmp") ? "fmle-publish" : p + "-publish";
            case PLAYING -> p.equals("rtmp") ? "rtmp-play" : p.equals("http-flv") ? "flv-play" : p + "-play";
            case CONNECTED -> p + "-connect";
        };
    }

    private ObjectNode ok() {
        return code(0);
    }

    private ObjectNode code(int code) {
        ObjectNode o = mapper.createObjectNode();
        o.put("code", code);
        o.put("server", serverId);
        o.put("service", serviceId);
        o.put("pid", Long.toString(pid));
        return o;
    }

    private FullHttpResponse response(HttpResponseStatus status, ObjectNode body) {
        byte[] bytes;
        try {
            bytes = mapper.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(bytes));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, JSON);
        r.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        return r;
    }

    private void send(ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status, ObjectNode body) {
        sendOwn(ctx, req, response(status, body));
    }

    /** Sends with the guard's CORS headers, never the endpoint's. */
    private static void sendOwn(ChannelHandlerContext ctx, FullHttpRequest req, FullHttpResponse r) {
        ApiRequestGuard.Verdict v = ctx.channel().attr(CORS).getAndSet(null);
        if (v != null) {
            v.applyCors(r);
        }
        HttpResponses.send(ctx, req, r, false);
    }

    @Override
    public String toString() {
        return "ManagementHttpService{" + PREFIX + ", " + guard.access() + "}";
    }

    /** Returns the paths this service answers, for logs and documentation. */
    public static List<String> paths() {
        return List.of("/api/v1/versions", "/api/v1/summaries", STREAMS, STREAMS + "/{id}", CLIENTS,
                CLIENTS + "/{id}", "/api/v1/secret");
    }
}
