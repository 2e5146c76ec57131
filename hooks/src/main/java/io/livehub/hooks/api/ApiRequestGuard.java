package io.livehub.hooks.api;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Applies the rules every Livehub HTTP API (management, push, record, virtual live) follows
 * before it looks at a request (ARCHITECTURE.md section 6): credentials ({@link ApiAccess}),
 * then the browser attacks a loopback-only API is open to.
 * <ul>
 *   <li>No token: only loopback clients, and only with a {@code Host} that names this machine
 *       ({@code localhost}, {@code 127.x}, {@code [::1]}, the address the request came in on,
 *       the host name and the interface addresses, plus {@link Builder#allowedHosts}); another
 *       {@code Host} is a DNS-rebinding page reading the API and gets 403. With a token the
 *       {@code Host} is checked only against a configured {@code allowedHosts} list: behind a
 *       proxy or a public name it is not one of the machine's, and a page cannot read the
 *       token.</li>
 *   <li>A request whose {@code Origin} is neither the API's own (same scheme-less authority as
 *       {@code Host}) nor in {@link Builder#allowedOrigins} is a cross-site request and gets 403,
 *       with or without a token.</li>
 *   <li>POST, PUT and PATCH only with {@code Content-Type: application/json}, 415 otherwise: a
 *       page can send {@code text/plain} (or a form) to any address without a CORS preflight.
 *       DELETE carries no body and needs a preflight from a page, so it is not asked for one.</li>
 *   <li>CORS: without a token no {@code Access-Control-Allow-Origin} at all; with one, the
 *       request's {@code Origin} is echoed when it is in {@code allowedOrigins} (default none).</li>
 * </ul>
 *
 * <p>Thread-safety: immutable; the machine's names are looked up once, when it is built.
 */
public final class ApiRequestGuard {

    /** The answer for one request: allowed (status null), or the status and reason to refuse it with. */
    public record Verdict(HttpResponseStatus status, String reason, String corsOrigin) {

        static final Verdict ALLOW = new Verdict(null, null, null);

        /** Returns whether the request may be served. */
        public boolean allowed() {
            return status == null;
        }

        /** Sets the CORS headers this verdict allows on {@code response} (none unless an origin was allowed). */
        public void applyCors(HttpResponse response) {
            if (corsOrigin != null) {
                response.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, corsOrigin);
                response.headers().set(HttpHeaderNames.VARY, HttpHeaderNames.ORIGIN);
            }
        }
    }

    private final ApiAccess access;
    private final Set<String> allowedOrigins;
    private final Set<String> allowedHosts;
    private final Set<String> ownNames;

    private ApiRequestGuard(Builder b) {
        this.access = b.access;
        this.allowedOrigins = Collections.unmodifiableSet(new HashSet<>(b.allowedOrigins));
        this.allowedHosts = Collections.unmodifiableSet(new HashSet<>(b.allowedHosts));
        this.ownNames = Collections.unmodifiableSet(machineNames());
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Returns a guard with {@code token} (null or empty: loopback only) and no allowed origins or hosts. */
    public static ApiRequestGuard of(String token) {
        return builder().access(new ApiAccess(token)).build();
    }

    public ApiAccess access() {
        return access;
    }

    /**
     * Decides about {@code req}, which arrived on {@code channel}: credentials first (401 with
     * a token, 403 off loopback without one), then Host, Origin and Content-Type.
     */
    public Verdict check(Channel channel, HttpRequest req) {
        HttpHeaders h = req.headers();
        switch (access.decide(channel.remoteAddress(), h.get(HttpHeaderNames.AUTHORIZATION))) {
            case UNAUTHORIZED:
                return new Verdict(HttpResponseStatus.UNAUTHORIZED, "credentials missing or wrong", null);
            case FORBIDDEN:
                return new Verdict(HttpResponseStatus.FORBIDDEN,
                        "no API token is configured, so only loopback is served", null);
            default:
                break;
        }
        String host = h.get(HttpHeaderNames.HOST);
        if (host != null && !hostAllowed(host, channel)) {
            return new Verdict(HttpResponseStatus.FORBIDDEN, "Host '" + printable(host) + "' is not this server", null);
        }
        String origin = h.get(HttpHeaderNames.ORIGIN);
        String cors = null;
        if (origin != null) {
            if (allowedOrigins.contains(origin)) {
                cors = access.tokenRequired() ? origin : null;
            } else if (!sameOrigin(origin, host)) {
                return new Verdict(HttpResponseStatus.FORBIDDEN,
                        "cross-origin request from '" + printable(origin) + "'", null);
            }
        }
        HttpMethod m = req.method();
        if (m.equals(HttpMethod.POST) || m.equals(HttpMethod.PUT) || m.equals(HttpMethod.PATCH)) {
            String type = h.get(HttpHeaderNames.CONTENT_TYPE);
            if (type == null || !mediaType(type).equals("application/json")) {
                return new Verdict(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE,
                        "writes take Content-Type: application/json", cors);
            }
        }
        return cors == null ? Verdict.ALLOW : new Verdict(null, null, cors);
    }

    private boolean hostAllowed(String hostHeader, Channel channel) {
        String name = hostName(hostHeader);
        if (name == null) {
            return false;
        }
        if (allowedHosts.contains(name)) {
            return true;
        }
        if (access.tokenRequired()) {
            return allowedHosts.isEmpty();
        }
        if (ownNames.contains(name) || name.equals("localhost") || name.endsWith(".localhost")) {
            return true;
        }
        if (channel.localAddress() instanceof InetSocketAddress local && local.getAddress() != null
                && name.equals(normalizeAddress(local.getAddress()))) {
            return true;
        }
        try {
            // A literal 127.x or ::1 without a lookup: names never resolve here.
            if (isAddressLiteral(name)) {
                InetAddress a = InetAddress.getByName(name);
                return a.isLoopbackAddress();
            }
        } catch (UnknownHostException e) {
            return false;
        }
        return false;
    }

    /** Returns whether {@code origin} is the API's own: its authority is the Host header's. */
    private static boolean sameOrigin(String origin, String host) {
        if (host == null) {
            return false;
        }
        try {
            URI u = new URI(origin);
            String authority = u.getRawAuthority();
            return authority != null && (u.getScheme().equalsIgnoreCase("http") || u.getScheme().equalsIgnoreCase("https"))
                    && authority.equalsIgnoreCase(host.trim());
        } catch (Exception e) {
            return false; // "null" and other opaque origins
        }
    }

    /** Returns the lower-case host of a Host header value without its port, or null when malformed. */
    static String hostName(String hostHeader) {
        String v = hostHeader.trim().toLowerCase(Locale.ROOT);
        if (v.isEmpty()) {
            return null;
        }
        if (v.startsWith("[")) {
            int end = v.indexOf(']');
            if (end < 0) {
                return null;
            }
            return normalizeLiteral(v.substring(1, end));
        }
        int colon = v.indexOf(':');
        String name = colon < 0 ? v : v.substring(0, colon);
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        return name;
    }

    private static boolean isAddressLiteral(String name) {
        return name.indexOf(':') >= 0 || name.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
    }

    private static String normalizeLiteral(String v6) {
        try {
            return normalizeAddress(InetAddress.getByName(v6));
        } catch (UnknownHostException e) {
            return v6;
        }
    }

    private static String normalizeAddress(InetAddress a) {
        String s = a.getHostAddress().toLowerCase(Locale.ROOT);
        int zone = s.indexOf('%');
        return zone < 0 ? s : s.substring(0, zone);
    }

    private static String mediaType(String contentType) {
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }

    private static String printable(String s) {
        String cut = s.length() > 100 ? s.substring(0, 100) + "..." : s;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }

    /** Returns the machine's host names and interface addresses, lower case. */
    private static Set<String> machineNames() {
        Set<String> names = new HashSet<>();
        names.add("localhost");
        try {
            InetAddress self = InetAddress.getLocalHost();
            names.add(self.getHostName().toLowerCase(Locale.ROOT));
            names.add(self.getCanonicalHostName().toLowerCase(Locale.ROOT));
            names.add(normalizeAddress(self));
        } catch (UnknownHostException e) {
            // No name for this machine: addresses and localhost remain.
        }
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress a : Collections.list(nif.getInetAddresses())) {
                    names.add(normalizeAddress(a));
                }
            }
        } catch (SocketException | NullPointerException e) {
            // Interfaces unknown: the address a request came in on is still accepted.
        }
        return names;
    }

    /** Builds an {@link ApiRequestGuard}. */
    public static final class Builder {
        private ApiAccess access = new ApiAccess(null);
        private final Set<String> allowedOrigins = new HashSet<>();
        private final Set<String> allowedHosts = new HashSet<>();

        private Builder() {
        }

        /** Sets the credentials rule (default: no token, loopback only). */
        public Builder access(ApiAccess access) {
            this.access = java.util.Objects.requireNonNull(access, "access");
            return this;
        }

        /** Sets the token; null or empty serves loopback only. */
        public Builder token(String token) {
            return access(new ApiAccess(token));
        }

        /**
         * Adds origins (such as {@code https://console.example.com}) whose pages may call the API;
         * with a token they get CORS headers. Default none.
         */
        public Builder allowedOrigins(Collection<String> origins) {
            origins.forEach(o -> allowedOrigins.add(o.trim()));
            return this;
        }

        /** Adds host names (as in the {@code Host} header, without port) the API answers to besides the machine's own. */
        public Builder allowedHosts(Collection<String> hosts) {
            hosts.forEach(h -> {
                String n = hostName(h);
                if (n != null) {
                    allowedHosts.add(n);
                }
            });
            return this;
        }

        public ApiRequestGuard build() {
            return new ApiRequestGuard(this);
        }
    }
}
