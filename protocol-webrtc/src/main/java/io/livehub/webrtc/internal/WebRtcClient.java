package io.livehub.webrtc.internal;

import io.livehub.event.ClientInfo;
import io.livehub.event.CloseEvent;
import io.livehub.event.Decision;
import io.livehub.event.PlayEvent;
import io.livehub.event.PublishEvent;
import io.livehub.event.StopEvent;
import io.livehub.event.UnpublishEvent;
import io.livehub.media.StreamKey;
import io.livehub.spi.ClientSession;
import io.livehub.spi.ServerContext;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one place where a WHEP viewer or WHIP publisher meets the server's client lifecycle:
 * the play or publish decision, the registration for the management API, and the stop (or
 * unpublish) and close events. Everything else
 * in this module is transport and media.
 *
 * <p>Written against today's {@code ServerContext.events()} and {@code clients()}; when core's
 * {@code io.livehub.session} API lands, this class becomes a thin wrapper of a
 * {@code ClientSession} opened with protocol {@code "webrtc"}, and nothing else changes.
 *
 * <p>Thread-safety: every method may be called from any thread.
 */
final class WebRtcClient implements ClientSession {

    private final ServerContext server;
    private final ClientInfo info;
    private final StreamKey key;
    private final Map<String, String> params;
    private final boolean publisher;
    private final Instant connectedAt = Instant.now();
    private final AtomicLong bytesIn = new AtomicLong();
    private final AtomicLong bytesOut = new AtomicLong();
    private final AtomicBoolean registered = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Runnable kick = () -> { };

    /** @param publisher whether this is a WHIP publisher rather than a WHEP viewer */
    WebRtcClient(ServerContext server, ClientInfo info, StreamKey key, Map<String, String> params, boolean publisher) {
        this.server = server;
        this.info = info;
        this.key = key;
        this.params = params;
        this.publisher = publisher;
    }

    /** Asks the listeners whether this client may play or publish (onPlay, onPublish), as for the other protocols. */
    CompletionStage<Decision> decide() {
        return publisher ? server.events().publish(new PublishEvent(info, key, params, Instant.now()))
                : server.events().play(new PlayEvent(info, key, params, Instant.now()));
    }

    boolean isPublisher() {
        return publisher;
    }

    /** Lists the viewer in the management API; {@code kick} closes its session. */
    void register(Runnable kick) {
        this.kick = kick;
        if (registered.compareAndSet(false, true)) {
            server.clients().add(this);
        }
    }

    /** Ends the lifecycle once: removal from the registry, then onStop (or onUnpublish) and onClose. */
    void closed() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (registered.get()) {
            server.clients().remove(this);
            if (publisher) {
                server.events().unpublish(new UnpublishEvent(info, key, params, Instant.now()));
            } else {
                server.events().stop(new StopEvent(info, key, params, Instant.now()));
            }
        }
        server.events().close(new CloseEvent(info, key.vhost(), key.app(), key, params, Instant.now(),
                bytesOut.get(), bytesIn.get()));
    }

    void addBytesIn(long n) {
        bytesIn.addAndGet(n);
    }

    void addBytesOut(long n) {
        bytesOut.addAndGet(n);
    }

    Map<String, String> params() {
        return params;
    }

    @Override
    public ClientInfo info() {
        return info;
    }

    @Override
    public Role role() {
        return publisher ? Role.PUBLISHING : Role.PLAYING;
    }

    @Override
    public StreamKey stream() {
        return key;
    }

    @Override
    public Instant connectedAt() {
        return connectedAt;
    }

    @Override
    public long bytesIn() {
        return bytesIn.get();
    }

    @Override
    public long bytesOut() {
        return bytesOut.get();
    }

    @Override
    public void kick() {
        kick.run();
    }
}
