package io.livehub.rtmp.client;

import io.livehub.media.QueryParams;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;

/**
 * Says where an RTMP client connects and what it asks for: {@code rtmp://host[:port]/app[/inst]/stream[?query]}
 * or {@code rtmps://...}. The scheme chooses TLS, the path up to its last segment is the
 * application sent in {@code connect} (RTMP spec §7.2.1.1), and the last segment with the query
 * is the stream name sent in {@code publish} or {@code play} (§7.2.2.6, §7.2.2.1), as FFmpeg
 * sends it, so that a server sees parameters such as {@code ?secret=x} on the stream.
 *
 * <p>Default ports are 1935 for {@code rtmp} and 443 for {@code rtmps}. The {@code tcUrl} is
 * {@code scheme://authority/app}, with the authority as written in the URL.
 *
 * <p>Use {@link #of} when the application itself has more segments than the URL form can tell
 * apart, as FFmpeg's {@code -rtmp_app} and {@code -rtmp_playpath} options do.
 *
 * <p>Thread-safety: immutable.
 */
public final class RtmpUrl {

    /** The port of plain RTMP. */
    public static final int DEFAULT_PORT = 1935;
    /** The port of RTMPS, the HTTPS port that firewalls let through. */
    public static final int DEFAULT_TLS_PORT = 443;

    private final boolean secure;
    private final String host;
    private final int port;
    private final String app;
    private final String stream;
    private final String tcUrl;

    private RtmpUrl(boolean secure, String host, int port, String app, String stream, String tcUrl) {
        this.secure = secure;
        this.host = host;
        this.port = port;
        this.app = app;
        this.stream = stream;
        this.tcUrl = tcUrl;
    }

    /**
     * Parses {@code rtmp://host[:port]/app[/inst]/stream[?query]} or {@code rtmps://...}.
     *
     * @throws IllegalArgumentException when the URL is not one of those forms or has no stream
     */
    public static RtmpUrl parse(String url) {
        Objects.requireNonNull(url, "url");
        try {
            return parse(new URI(url));
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not an RTMP URL: " + e.getMessage(), e);
        }
    }

    /**
     * Parses an {@code rtmp} or {@code rtmps} URI; see {@link #parse(String)}.
     *
     * @throws IllegalArgumentException when the URI is not one of those forms or has no stream
     */
    public static RtmpUrl parse(URI uri) {
        Objects.requireNonNull(uri, "uri");
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean secure;
        if (scheme.equals("rtmp")) {
            secure = false;
        } else if (scheme.equals("rtmps")) {
            secure = true;
        } else {
            throw new IllegalArgumentException("scheme must be rtmp or rtmps: " + uri);
        }
        String authority = uri.getRawAuthority();
        if (authority == null || authority.isEmpty()) {
            throw new IllegalArgumentException("RTMP URL has no host: " + uri);
        }
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            authority = authority.substring(at + 1);
        }
        String host;
        int port = secure ? DEFAULT_TLS_PORT : DEFAULT_PORT;
        String portText = null;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("unterminated IPv6 address in " + uri);
            }
            host = authority.substring(1, close);
            if (close + 1 < authority.length()) {
                if (authority.charAt(close + 1) != ':') {
                    throw new IllegalArgumentException("bad authority in " + uri);
                }
                portText = authority.substring(close + 2);
            }
        } else {
            int colon = authority.indexOf(':');
            host = colon < 0 ? authority : authority.substring(0, colon);
            portText = colon < 0 ? null : authority.substring(colon + 1);
        }
        if (portText != null && !portText.isEmpty()) {
            try {
                port = Integer.parseInt(portText);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad port in " + uri, e);
            }
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        path = QueryParams.trimSlashes(path);
        int slash = path.lastIndexOf('/');
        if (slash <= 0 || slash == path.length() - 1) {
            throw new IllegalArgumentException("RTMP URL needs /app/stream: " + uri);
        }
        String app = path.substring(0, slash);
        String stream = path.substring(slash + 1);
        if (uri.getRawQuery() != null) {
            stream = stream + "?" + uri.getRawQuery();
        }
        return make(secure, host, port, authority, app, stream);
    }

    /**
     * Makes a URL from its parts, for an application name with {@code /} in it or a stream name
     * that a URL cannot hold.
     *
     * @param port 1..65535
     * @param app the application sent in {@code connect}, without leading or trailing {@code /}
     * @param stream the stream name sent in {@code publish} or {@code play}, with any query
     */
    public static RtmpUrl of(boolean secure, String host, int port, String app, String stream) {
        Objects.requireNonNull(host, "host");
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        String authority = (h.indexOf(':') >= 0 ? "[" + h + "]" : h) + ":" + port;
        return make(secure, h, port, authority, QueryParams.trimSlashes(Objects.requireNonNull(app, "app")),
                Objects.requireNonNull(stream, "stream"));
    }

    private static RtmpUrl make(boolean secure, String host, int port, String authority, String app, String stream) {
        if (host.isEmpty()) {
            throw new IllegalArgumentException("RTMP URL has no host");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1..65535: " + port);
        }
        if (app.isEmpty()) {
            throw new IllegalArgumentException("RTMP URL has no application");
        }
        if (stream.isEmpty()) {
            throw new IllegalArgumentException("RTMP URL has no stream name");
        }
        String tcUrl = (secure ? "rtmps" : "rtmp") + "://" + authority + "/" + app;
        return new RtmpUrl(secure, host, port, app, stream, tcUrl);
    }


    /** Returns whether the connection uses TLS ({@code rtmps}). */
    public boolean isSecure() {
        return secure;
    }

    /** Returns the host to connect to; an IPv6 address without brackets. */
    public String host() {
        return host;
    }

    /** Returns the port to connect to. */
    public int port() {
        return port;
    }

    /** Returns the application sent in {@code connect}, such as {@code live}. */
    public String app() {
        return app;
    }

    /** Returns the stream name sent in {@code publish} or {@code play}, with its query if any. */
    public String stream() {
        return stream;
    }

    /** Returns the stream name without its query. */
    public String streamName() {
        int q = stream.indexOf('?');
        return q < 0 ? stream : stream.substring(0, q);
    }

    /** Returns the {@code tcUrl} sent in {@code connect}: {@code scheme://authority/app}. */
    public String tcUrl() {
        return tcUrl;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RtmpUrl u && secure == u.secure && host.equals(u.host) && port == u.port
                && app.equals(u.app) && stream.equals(u.stream) && tcUrl.equals(u.tcUrl);
    }

    @Override
    public int hashCode() {
        return Objects.hash(secure, host, port, app, stream);
    }

    /**
     * Returns {@code tcUrl/streamName} for logs, without the query, which often carries a
     * secret.
     */
    @Override
    public String toString() {
        return tcUrl + "/" + streamName();
    }
}
