package io.livehub.virtual.internal;

import io.livehub.hub.Publication;
import io.livehub.media.StreamKey;
import io.livehub.session.ClientSession;
import io.livehub.session.SessionDeniedException;
import io.livehub.spi.ServerContext;
import io.livehub.virtual.VirtualLiveException;
import io.netty.util.concurrent.EventExecutor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * The file source as a client of the server: a client session of protocol {@code file}, which
 * asks the same decisions as any publisher (connect, then publish with the file as the
 * {@code file} parameter, then the caller's), claims the stream in the hub, is listed with the
 * clients, and fires unpublish and close when it ends. The one class of the module that speaks
 * to the sessions.
 *
 * <p>Thread-safety: {@link #open} and {@link #close} may be called from any thread; close is
 * idempotent.
 */
public final class FilePublisherSession {

    /** The protocol name of file publishers in events and the client list. */
    public static final String PROTOCOL = "file";

    private final ClientSession session;
    private volatile Publication publication;

    private FilePublisherSession(ClientSession session) {
        this.session = session;
    }

    /**
     * Asks for connect and publish, then publishes {@code key} in the hub with {@code executor}
     * as the publishing thread. The stage completes on {@code executor}; it fails with
     * {@link VirtualLiveException} on a denial and {@link io.livehub.hub.StreamBusyException}
     * when the stream already has a publisher.
     *
     * @param onKick how the management API ends this source
     */
    public static CompletionStage<FilePublisherSession> open(ServerContext ctx, StreamKey key, String file,
                                                             Map<String, String> params, EventExecutor executor,
                                                             Runnable onKick) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("file", file);
        params.forEach(p::putIfAbsent);
        Map<String, String> all = Collections.unmodifiableMap(p);
        ClientSession session = ctx.sessions().open(PROTOCOL, null, executor).onKick(onKick);
        FilePublisherSession s = new FilePublisherSession(session);
        return session.publish(key, all).handle((publication, t) -> {
            if (t != null) {
                session.close();
                Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
                if (cause instanceof SessionDeniedException d) {
                    throw new VirtualLiveException("publish of " + key.path() + " from a file denied: " + d.reason());
                }
                throw cause instanceof RuntimeException r ? r : new CompletionException(cause);
            }
            s.publication = publication;
            return s;
        });
    }

    /** Returns the hub handle; valid once {@link #open} completed. */
    public Publication publication() {
        return publication;
    }

    /** Returns the source's client id. */
    public String clientId() {
        return session.id();
    }

    /** Counts bytes read from the file, for the client list. */
    public void addBytesIn(long n) {
        session.addBytesIn(n);
    }

    /** Ends the publication and fires unpublish and close; idempotent. */
    public void close() {
        session.close();
    }
}
