package io.livehub.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Answers the probes of an orchestrator without credentials: {@code GET /healthz} (liveness:
 * 200 as long as the process answers) and {@code GET /readyz} (readiness: 200 once every module
 * started, 503 while starting or stopping). Bodies are small fixed JSON objects, e.g.
 * {@code {"status":"ready"}}, so that core needs no JSON library. They tell nothing about
 * clients or streams, which is why they need no token.
 *
 * <p>Thread-safety: called on the endpoint's event loops; the state supplier must be
 * thread-safe and cheap.
 */
public final class HealthHttpService implements HttpService {

    /** Says how far a server is in its lifecycle, as {@code /readyz} reports it. */
    public enum Status {
        STARTING, READY, STOPPING;

        String json() {
            return "{\"status\":\"" + name().toLowerCase(java.util.Locale.ROOT) + "\"}\n";
        }
    }

    private static final String JSON = "application/json";
    private static final String LIVE = "{\"status\":\"ok\"}\n";

    private final Supplier<Status> status;

    /** Creates the service; {@code status} tells the server's state at each {@code /readyz}. */
    public HealthHttpService(Supplier<Status> status) {
        this.status = Objects.requireNonNull(status, "status");
    }

    @Override
    public boolean handle(ChannelHandlerContext ctx, FullHttpRequest request) {
        String uri = request.uri();
        int q = uri.indexOf('?');
        String path = q < 0 ? uri : uri.substring(0, q);
        boolean live = path.equals("/healthz");
        if (!live && !path.equals("/readyz")) {
            return false;
        }
        if (!request.method().equals(HttpMethod.GET) && !request.method().equals(HttpMethod.HEAD)) {
            HttpResponses.text(ctx, request, HttpResponseStatus.METHOD_NOT_ALLOWED, "use GET\n");
            return true;
        }
        String body;
        HttpResponseStatus code;
        if (live) {
            body = LIVE;
            code = HttpResponseStatus.OK;
        } else {
            Status s = status.get();
            body = s.json();
            code = s == Status.READY ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE;
        }
        HttpResponses.send(ctx, request, code, JSON, Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        return true;
    }
}
