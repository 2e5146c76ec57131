package io.livehub.session;

import io.livehub.media.QueryParams;
import io.livehub.media.StreamKey;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Names the vhost of a client, by one rule for every protocol, as SRS does:
 * <ol>
 *   <li>the {@code vhost} query parameter (on the stream URL or the RTMP {@code tcUrl});</li>
 *   <li>else the host of the {@code tcUrl} (for HTTP, the {@code Host} header), when it is not an IP
 *       address and not {@code localhost};</li>
 *   <li>else {@value StreamKey#DEFAULT_VHOST}.</li>
 * </ol>
 * A name the server was not configured with falls back to {@value StreamKey#DEFAULT_VHOST}, as
 * an unconfigured vhost does in SRS: a server without vhosts puts every stream on the default
 * vhost, so a publisher that connects to an IP address and a player that connects to a domain
 * name still meet.
 *
 * <p>Thread-safety: immutable.
 */
public final class VhostResolver {

    private static final VhostResolver DEFAULT_ONLY = new VhostResolver(Set.of());

    private final Set<String> vhosts;

    private VhostResolver(Set<String> vhosts) {
        this.vhosts = vhosts;
    }

    /** Returns a resolver that knows no vhost but the default one. */
    public static VhostResolver defaultOnly() {
        return DEFAULT_ONLY;
    }

    /**
     * Returns a resolver that knows {@code vhosts} (compared without case).
     *
     * @throws IllegalArgumentException when a name is not a valid vhost name
     */
    public static VhostResolver of(Collection<String> vhosts) {
        if (vhosts.isEmpty()) {
            return DEFAULT_ONLY;
        }
        return new VhostResolver(Set.copyOf(vhosts.stream().map(v -> {
            StreamKey.of(v, "app", "name"); // validates
            return v.toLowerCase(Locale.ROOT);
        }).toList()));
    }

    /** Returns the configured vhosts, without the default one. */
    public Set<String> vhosts() {
        return vhosts;
    }

    /**
     * Returns the vhost of a client that connected to {@code tcUrl} with {@code params}.
     *
     * @param tcUrl  the URL the client connected to; its query is read too; may be empty
     * @param params the client's query parameters
     */
    public String resolve(String tcUrl, Map<String, String> params) {
        String v = params.get("vhost");
        if (v == null || v.isEmpty()) {
            v = QueryParams.parse(QueryParams.queryOf(tcUrl == null ? "" : tcUrl)).get("vhost");
        }
        if (v == null || v.isEmpty()) {
            v = hostOf(tcUrl);
        }
        if (v == null || v.isEmpty() || isAddressOrLocal(v)) {
            return StreamKey.DEFAULT_VHOST;
        }
        v = v.toLowerCase(Locale.ROOT);
        return vhosts.contains(v) ? v : StreamKey.DEFAULT_VHOST;
    }

    /** Returns the host of {@code url} ({@code scheme://host[:port]/...}), or null. */
    static String hostOf(String url) {
        if (url == null) {
            return null;
        }
        int scheme = url.indexOf("://");
        if (scheme < 0) {
            return null;
        }
        int start = scheme + 3;
        int end = start;
        while (end < url.length() && "/?#".indexOf(url.charAt(end)) < 0) {
            end++;
        }
        String authority = url.substring(start, end);
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            authority = authority.substring(at + 1);
        }
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            return close < 0 ? authority : authority.substring(0, close + 1);
        }
        int colon = authority.indexOf(':');
        return colon < 0 ? authority : authority.substring(0, colon);
    }

    private static boolean isAddressOrLocal(String host) {
        if (host.startsWith("[") || host.indexOf(':') >= 0) {
            return true; // IPv6 literal
        }
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (!(c == '.' || (c >= '0' && c <= '9'))) {
                return false;
            }
        }
        return true; // dotted IPv4
    }
}
