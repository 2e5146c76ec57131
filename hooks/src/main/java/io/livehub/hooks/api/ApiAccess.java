package io.livehub.hooks.api;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Decides whether a request may use the management API. With a token, every request (from
 * loopback too) must carry {@code Authorization: Bearer <token>} or Basic credentials with
 * any user name and the token as password; without one, only loopback clients are served.
 * The token is compared in constant time: both sides are hashed with SHA-256 and the digests
 * compared with {@link MessageDigest#isEqual}.
 *
 * <p>Thread-safety: immutable.
 */
public final class ApiAccess {

    /** Says what to do with a request. */
    public enum Verdict {
        /** Serve it. */
        ALLOW,
        /** Answer 401 with {@code WWW-Authenticate}: credentials are missing or wrong. */
        UNAUTHORIZED,
        /** Answer 403: no token is configured and the client is not on loopback. */
        FORBIDDEN
    }

    private final byte[] tokenDigest;

    /** Creates the access rule for {@code token}; null or empty serves loopback only. */
    public ApiAccess(String token) {
        this.tokenDigest = token == null || token.isEmpty() ? null : digest(token);
    }

    /** Returns whether credentials are required. */
    public boolean tokenRequired() {
        return tokenDigest != null;
    }

    /**
     * Decides about a request from {@code remote} with the {@code Authorization} header value
     * {@code authorization} (null when absent).
     */
    public Verdict decide(SocketAddress remote, String authorization) {
        if (tokenDigest == null) {
            return isLoopback(remote) ? Verdict.ALLOW : Verdict.FORBIDDEN;
        }
        String presented = presentedToken(authorization);
        if (presented == null) {
            return Verdict.UNAUTHORIZED;
        }
        return MessageDigest.isEqual(tokenDigest, digest(presented)) ? Verdict.ALLOW : Verdict.UNAUTHORIZED;
    }

    private static boolean isLoopback(SocketAddress remote) {
        return remote instanceof InetSocketAddress a && a.getAddress() != null && a.getAddress().isLoopbackAddress();
    }

    /** Returns the token in a Bearer or Basic header, or null when there is none. */
    private static String presentedToken(String authorization) {
        if (authorization == null) {
            return null;
        }
        String h = authorization.trim();
        int space = h.indexOf(' ');
        if (space < 0) {
            return null;
        }
        String scheme = h.substring(0, space);
        String value = h.substring(space + 1).trim();
        if (scheme.equalsIgnoreCase("Bearer")) {
            return value;
        }
        if (scheme.equalsIgnoreCase("Basic")) {
            try {
                String pair = new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
                int colon = pair.indexOf(':');
                return colon < 0 ? null : pair.substring(colon + 1);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return null;
    }

    private static byte[] digest(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    @Override
    public String toString() {
        return tokenDigest == null ? "ApiAccess{loopback only}" : "ApiAccess{token}";
    }
}
