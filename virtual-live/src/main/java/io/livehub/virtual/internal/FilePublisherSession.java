package io.livehub.virtual.internal;

import io.livehub.event.ClientInfo;
import io.livehub.event.CloseEvent;
import io.livehub.event.ConnectEvent;
import io.livehub.event.Decision;
import io.livehub.event.PublishEvent;
import io.livehub.event.UnpublishEvent;
import io.livehub.hub.Publication;
import io.livehub.media.StreamKey;
import io.livehub.spi.ClientSession;
import io.livehub.spi.ServerContext;
import io.livehub.virtual.VirtualLiveException;
import io.netty.util.concurrent.EventExecutor;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The file source as a client of the server (protocol {@code file}): it asks the same
 * decisions as any publisher (connect, then publish with the file as the {@code file}
 * parameter, then the caller's), publishes in the hub, is listed with the clients and fires unpublish and close
 * when it ends. This is the one class that speaks to the events, the hub and the client
 * registry; it becomes a thin wrapper of core's client session API when that lands.
 *
 * <p>Thread-safety: {@link #open} and {@link #close} may be called from any thread; close is
 * idempotent.
 */
public final class FilePublisherSession implements ClientSession {

    /** The protocol name of file publishers in events and the client list. */
    public static final String PROTOCOL = "file";

    private final ServerContext ctx;
    private final ClientInfo client;
    private final StreamKey key;
    private final Map<String, String> params;
    private final EventExecutor executor;
    private final Runnable onKick;
    private final Instant connectedAt = Instant.now();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicLong bytesIn = new AtomicLong();
    private volatile Publication publication;

    private FilePublisherSession(ServerContext ctx, StreamKey key, String file, Map<String, String> extra,
                                 EventExecutor executor, Runnable onKick) {
        this.ctx = ctx;
        this.key = key;
        this.executor = executor;
        this.onKick = onKick;
        Map<String, String> p = new LinkedHashMap<>();
        p.put("file", file);
        extra.forEach(p::putIfAbsent);
        this.params = Collections.unmodifiableMap(p);
        this.client = new ClientInfo(PROTOCOL, ctx.nextClientId(), null,
                "file://" + key.vhost() + "/" + key.app(), "");
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
        FilePublisherSession s = new FilePublisherSession(ctx, key, file, params, executor, onKick);
        Instant now = Instant.now();
        return ctx.events().connect(new ConnectEvent(s.client, key.vhost(), key.app(), s.params, now))
                .thenCompose(d -> d.allowed()
                        ? ctx.events().publish(new PublishEvent(s.client, key, s.params, Instant.now()))
                        : CompletableFuture.completedFuture(d))
                .thenApplyAsync(d -> s.publish(d), executor);
    }

    private FilePublisherSession publish(Decision d) {
        if (!d.allowed()) {
            closeEvent();
            throw new VirtualLiveException("publish of " + key.path() + " from a file denied: " + d.reason());
        }
        try {
            publication = ctx.hub().publish(key, executor, client.clientId());
        } catch (RuntimeException e) {
            closeEvent();
            throw e;
        }
        ctx.clients().add(this);
        return this;
    }

    /** Returns the hub handle; valid once {@link #open} completed. */
    public Publication publication() {
        return publication;
    }

    /** Counts bytes read from the file, for the client list. */
    public void addBytesIn(long n) {
        bytesIn.addAndGet(n);
    }

    /** Ends the publication and fires unpublish and close; idempotent. */
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        Publication p = publication;
        if (p != null) {
            p.close();
            ctx.events().unpublish(new UnpublishEvent(client, key, params, Instant.now()));
            ctx.clients().remove(this);
        }
        closeEvent();
    }

    private void closeEvent() {
        ctx.events().close(new CloseEvent(client, key.vhost(), key.app(), key, params, Instant.now(), 0,
                bytesIn.get()));
    }

    @Override
    public ClientInfo info() {
        return client;
    }

    @Override
    public Role role() {
        return publication != null && !closed.get() ? Role.PUBLISHING : Role.CONNECTED;
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
        return 0;
    }

    @Override
    public void kick() {
        onKick.run();
    }
}
