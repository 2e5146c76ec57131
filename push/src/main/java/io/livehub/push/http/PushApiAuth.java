package io.livehub.push.http;

import io.livehub.hooks.api.ApiRequestGuard;
import java.net.SocketAddress;

/**
 * Decides who may call the push API, by the rules of every Livehub HTTP API
 * ({@link ApiRequestGuard}, ARCHITECTURE.md section 6): with a token, Basic credentials with the
 * token as password (any user) or a Bearer token; without one, loopback clients only, a
 * {@code Host} that names this server, no foreign {@code Origin}; writes only as
 * {@code application/json}, so a web page cannot call it across sites.
 *
 * <p>Thread-safety: immutable.
 */
final class PushApiAuth {

    /** Sent with 401, as OvenMediaEngine does. */
    static final String CHALLENGE = "Basic realm=\"Livehub\"";

    private final ApiRequestGuard guard;

    PushApiAuth(String token) {
        this.guard = ApiRequestGuard.of(token);
    }

    ApiRequestGuard.Verdict check(io.netty.channel.Channel channel, io.netty.handler.codec.http.HttpRequest req) {
        return guard.check(channel, req);
    }
}
