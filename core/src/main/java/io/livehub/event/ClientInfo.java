package io.livehub.event;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Identifies the client connection an event is about.
 *
 * @param protocol      the protocol's short name: {@code rtmp}, {@code rtmps}, {@code http-flv},
 *                      {@code srt}, {@code webrtc}, ...
 * @param clientId      the server-unique id of the connection (SRS {@code client_id})
 * @param remoteAddress the peer's address, or null when unknown
 * @param tcUrl         the URL the client connected to (RTMP {@code tcUrl}; for HTTP the
 *                      request URL); empty when the protocol has none
 * @param pageUrl       the page that embedded the client (RTMP {@code pageUrl}), or empty
 */
public record ClientInfo(String protocol, String clientId, InetSocketAddress remoteAddress,
                         String tcUrl, String pageUrl) {

    public ClientInfo {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(clientId, "clientId");
        tcUrl = tcUrl == null ? "" : tcUrl;
        pageUrl = pageUrl == null ? "" : pageUrl;
    }

    /** Returns the peer's IP address as text, or empty when unknown. */
    public String ip() {
        return remoteAddress == null || remoteAddress.getAddress() == null
                ? "" : remoteAddress.getAddress().getHostAddress();
    }
}
