package io.livehub.session;

import java.util.Map;
import java.util.Objects;

/**
 * What a client says when it connects: the URL it connected to, the page that embedded it, the
 * application and the query parameters. RTMP sends it in its {@code connect} command; other
 * protocols build it from their request (an HTTP request's {@code Host}, path and query, an SRT
 * stream id).
 *
 * @param tcUrl   the URL the client connected to, without its query ({@code rtmp://host/app},
 *                {@code http://host/app}); empty when the protocol has none. Its host names the
 *                vhost when {@code params} has no {@code vhost} (see {@link VhostResolver})
 * @param pageUrl the page that embedded the client (RTMP {@code pageUrl}, HTTP {@code Referer}),
 *                or empty
 * @param app     the application ({@code live}), validated when the session connects
 * @param params  the query parameters, in the order the client sent them
 */
public record ConnectRequest(String tcUrl, String pageUrl, String app, Map<String, String> params) {

    public ConnectRequest {
        tcUrl = tcUrl == null ? "" : tcUrl;
        pageUrl = pageUrl == null ? "" : pageUrl;
        Objects.requireNonNull(app, "app");
        params = params == null ? Map.of() : params;
    }
}
