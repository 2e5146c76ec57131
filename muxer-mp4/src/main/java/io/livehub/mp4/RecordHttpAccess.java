package io.livehub.mp4;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * Decides who may download finished recordings over HTTP ({@link RecordConfig#httpPath()}).
 * An application puts the management API's rule here, so recordings are behind the same
 * credentials, for example with the hooks module's {@code ApiAccess}:
 * {@code (remote, auth) -> switch (api.decide(remote, auth)) { case ALLOW -> Verdict.ALLOW; ... }}.
 *
 * <p>Thread-safety: called on event loops; must be thread-safe and must not block.
 */
@FunctionalInterface
public interface RecordHttpAccess {

    /** Says what to do with a request. */
    enum Verdict {
        /** Serve it. */
        ALLOW,
        /** Answer 401 with {@code WWW-Authenticate}: credentials are missing or wrong. */
        UNAUTHORIZED,
        /** Answer 403. */
        FORBIDDEN
    }

    /** Serves loopback clients only, as the management API does without a token. */
    RecordHttpAccess LOOPBACK = (remote, authorization) -> remote instanceof InetSocketAddress a
            && a.getAddress() != null && a.getAddress().isLoopbackAddress() ? Verdict.ALLOW : Verdict.FORBIDDEN;

    /**
     * Decides about a request from {@code remote} whose {@code Authorization} header is
     * {@code authorization} (null when absent).
     */
    Verdict decide(SocketAddress remote, String authorization);
}
