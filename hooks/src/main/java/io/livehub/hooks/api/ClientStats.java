package io.livehub.hooks.api;

import io.livehub.media.StreamKey;
import io.livehub.session.ClientSession;
import java.time.Duration;
import java.time.Instant;

/**
 * Describes one client connection at the moment it was looked at.
 *
 * <p>Thread-safety: immutable.
 *
 * @param id          the client id (the events' {@code client_id})
 * @param protocol    {@code rtmp}, {@code http-flv}, ...
 * @param ip          the peer's IP address, or empty
 * @param port        the peer's port, 0 when unknown
 * @param role        what the client does
 * @param stream      the stream it publishes or plays, or null
 * @param streamId    the API id of that stream, or null
 * @param tcUrl       the URL it connected to, or empty
 * @param pageUrl     the page that embedded it, or empty
 * @param connectedAt when it connected
 * @param alive       how long it has been connected
 * @param bytesIn     bytes received from it
 * @param bytesOut    bytes sent to it
 * @param kbpsIn      its average incoming bitrate since it connected
 * @param kbpsOut     its average outgoing bitrate since it connected
 */
public record ClientStats(String id, String protocol, String ip, int port, ClientSession.Role role,
                          StreamKey stream, String streamId, String tcUrl, String pageUrl, Instant connectedAt,
                          Duration alive, long bytesIn, long bytesOut, long kbpsIn, long kbpsOut) {
}
