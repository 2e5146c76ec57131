package io.livehub.push.http;

import io.livehub.hooks.api.ApiAccess;
import java.net.SocketAddress;

/**
 * Decides who may call the push API: the management API's rule ({@link ApiAccess}), so that
 * both answer alike. With a token, Basic credentials with the token as password (any user)
 * or a Bearer token; without one, loopback clients only. The one place to change when the
 * shared request guard (Origin, Host, Content-Type checks) becomes available.
 *
 * <p>Thread-safety: immutable.
 */
final class PushApiAuth {

    /** Sent with 401, as OvenMediaEngine does. */
    static final String CHALLENGE = "Basic realm=\"Livehub\"";

    private final ApiAccess access;

    PushApiAuth(String token) {
        this.access = new ApiAccess(token);
    }

    ApiAccess.Verdict decide(SocketAddress remote, String authorization) {
        return access.decide(remote, authorization);
    }
}
