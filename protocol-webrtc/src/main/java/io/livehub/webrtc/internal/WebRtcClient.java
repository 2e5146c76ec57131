package io.livehub.webrtc.internal;

import io.livehub.event.ClientInfo;
import io.livehub.hub.Publication;
import io.livehub.media.StreamKey;
import io.livehub.session.ClientSession;
import io.livehub.session.ConnectRequest;
import io.livehub.spi.ServerContext;
import io.netty.util.concurrent.EventExecutor;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * The one place where a WHEP viewer or WHIP publisher meets the server's client lifecycle: its
 * client session of protocol {@code webrtc} (connect, then the publish or play decision, then
 * unpublish or stop and close; listed by the management API from its offer until it ends).
 * Everything else in this module is transport and media.
 *
 * <p>A WHIP publisher claims its stream when its offer is allowed, so a second publisher of the
 * stream gets 409 before any ICE or DTLS; its frames are published on {@link #executor()}, the
 * peer session's event loop. A WHEP viewer is allowed to play ({@link ClientSession#watch}) at its
 * offer and subscribes once its DTLS handshake is done.
 *
 * <p>Thread-safety: every method may be called from any thread.
 */
final class WebRtcClient {

    private final ClientSession session;
    private final StreamKey requested;
    private final Map<String, String> params;
    private final boolean publisher;
    private final String tcUrl;
    private final String pageUrl;
    private volatile StreamKey key;
    private volatile Publication publication;

    /**
     * @param executor  the peer session's event loop, on which the session runs and a publisher's
     *                  frames are published
     * @param publisher whether this is a WHIP publisher rather than a WHEP viewer
     */
    WebRtcClient(ServerContext server, InetSocketAddress remote, EventExecutor executor, String tcUrl, String pageUrl,
                 StreamKey key, Map<String, String> params, boolean publisher) {
        this.session = server.sessions().open("webrtc", remote, executor);
        this.requested = key;
        this.key = key;
        this.params = params;
        this.publisher = publisher;
        this.tcUrl = tcUrl;
        this.pageUrl = pageUrl;
    }

    /**
     * Connects and asks the listeners whether this client may play or publish (onConnect, then
     * onPlay or onPublish), as for the other protocols. Completes on {@link #executor()}; fails
     * with {@link io.livehub.session.SessionDeniedException} or, for a publisher,
     * {@link io.livehub.hub.StreamBusyException}.
     */
    CompletionStage<WebRtcClient> decide() {
        return session.connect(new ConnectRequest(tcUrl, pageUrl, requested.app(), params)).thenCompose(s -> {
            key = s.streamKey(requested.app(), requested.name());
            if (publisher) {
                return s.publish(key, params).thenApply(p -> {
                    publication = p;
                    return this;
                });
            }
            return s.watch(key, params).thenApply(x -> this);
        });
    }

    EventExecutor executor() {
        return session.executor();
    }

    ClientInfo info() {
        return session.info();
    }

    String clientId() {
        return session.id();
    }

    /** Returns the stream, on the vhost the session resolved once {@link #decide} completed. */
    StreamKey stream() {
        return key;
    }

    /** Returns a publisher's hub handle, claimed when its offer was allowed; null for a viewer. */
    Publication publication() {
        return publication;
    }

    boolean isPublisher() {
        return publisher;
    }

    /** Sets how the management API ends the client's peer session. */
    void register(Runnable kick) {
        session.onKick(kick);
    }

    /** Ends the lifecycle once: onUnpublish or onStop, then onClose, and removal from the registry. */
    void closed() {
        session.close();
    }

    void addBytesIn(long n) {
        session.addBytesIn(n);
    }

    void addBytesOut(long n) {
        session.addBytesOut(n);
    }

    long bytesIn() {
        return session.bytesIn();
    }

    long bytesOut() {
        return session.bytesOut();
    }

    Map<String, String> params() {
        return params;
    }
}
