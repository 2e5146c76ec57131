package io.livehub.session;

import io.livehub.event.ClientInfo;
import io.livehub.event.CloseEvent;
import io.livehub.event.ConnectEvent;
import io.livehub.event.Decision;
import io.livehub.event.PlayEvent;
import io.livehub.event.PublishEvent;
import io.livehub.event.StopEvent;
import io.livehub.event.UnpublishEvent;
import io.livehub.hub.Publication;
import io.livehub.hub.StreamBusyException;
import io.livehub.hub.StreamSubscriber;
import io.livehub.hub.Subscription;
import io.livehub.media.QueryParams;
import io.livehub.media.StreamKey;
import io.netty.util.concurrent.EventExecutor;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client of the server, whatever its protocol: an RTMP, SRT or WebRTC connection, an
 * HTTP-FLV response, an HLS viewer (its {@code hls_ctx}), a recording, a push task, a file
 * played as a live stream. The session owns the client's lifecycle so that every protocol
 * behaves the same (ARCHITECTURE.md section 3, "Client sessions"):
 *
 * <pre>
 *   open -> connect -> publish | play | watch -> stopPublishing | stopPlaying -> close
 *             onConnect   onPublish  onPlay       onUnpublish    onStop         onClose
 * </pre>
 *
 * <p>It asks the listeners for the connect, publish and play decisions (with the server's
 * decision timeout), hops back to the client's {@link #executor()} with the answer, calls the
 * hub, lists the client in the {@link io.livehub.spi.ClientRegistry} from its connect until its
 * close, counts its bytes and its bad input, and fires the notifications in that fixed order. A
 * protocol module is left with its wire format and its transport: it opens a session when a
 * client arrives, calls {@link #close()} when it leaves, and tells the session how to close the
 * transport ({@link #onKick}).
 *
 * <p>{@link #publish}, {@link #play} and {@link #watch} connect first when {@link #connect} was
 * not called (with the stream's vhost and app), so a connectionless client (an HTTP-FLV
 * request, an HLS viewer, a recording) still goes through connect and close. Their stages
 * complete on {@link #executor()}; a denial completes them exceptionally with
 * {@link SessionDeniedException}, a stream that already has a publisher with
 * {@link StreamBusyException}, and a session that closed while it waited with
 * {@link SessionClosedException}.
 *
 * <p>Thread-safety: every method may be called from any thread; state changes run on
 * {@link #executor()} (a call from another thread is handed to it), so one client's steps
 * never race.
 */
public final class ClientSession {

    private static final Logger log = LoggerFactory.getLogger(ClientSession.class);

    /** Says what a client is doing. */
    public enum Role { CONNECTED, PUBLISHING, PLAYING }

    private enum State { NEW, CONNECTING, CONNECTED, CLOSED }

    private final ClientSessions owner;
    private final String id;
    private final String protocol;
    private final InetSocketAddress remoteAddress;
    private final EventExecutor executor;
    private final Instant openedAt = Instant.now();
    private final AtomicLong bytesIn = new AtomicLong();
    private final AtomicLong bytesOut = new AtomicLong();

    private volatile ClientInfo info;
    private volatile String vhost = StreamKey.DEFAULT_VHOST;
    private volatile String app = "";
    private volatile Role role = Role.CONNECTED;
    private volatile StreamKey stream;
    private volatile Runnable kickHandler;
    private volatile LongSupplier bytesInSource;
    private volatile LongSupplier bytesOutSource;

    // Confined to the executor.
    private State state = State.NEW;
    private CompletableFuture<ClientSession> connecting;
    private Map<String, String> connectParams = Map.of();
    private boolean deciding;
    private Publication publication;
    private Subscription subscription;
    private boolean watching;
    private Map<String, String> streamParams = Map.of();

    ClientSession(ClientSessions owner, String id, String protocol, InetSocketAddress remoteAddress,
                  EventExecutor executor) {
        this.owner = owner;
        this.id = id;
        this.protocol = Objects.requireNonNull(protocol, "protocol");
        this.remoteAddress = remoteAddress;
        this.executor = Objects.requireNonNull(executor, "executor");
        this.info = new ClientInfo(protocol, id, remoteAddress, "", "");
    }

    // ---- identity and statistics ----

    /** Returns the server-unique client id (SRS {@code client_id}). */
    public String id() {
        return id;
    }

    /** Returns the protocol's short name ({@code rtmp}, {@code http-flv}, {@code hls}, ...). */
    public String protocol() {
        return protocol;
    }

    /** Returns who the client is; the URL and page are filled in when it connects. */
    public ClientInfo info() {
        return info;
    }

    /** Returns the executor on which the session runs and completes its stages. */
    public EventExecutor executor() {
        return executor;
    }

    /** Returns the client's vhost, known once it connected ({@link VhostResolver}). */
    public String vhost() {
        return vhost;
    }

    /** Returns the app the client connected to, or empty before it connected. */
    public String app() {
        return app;
    }

    public Role role() {
        return role;
    }

    /** Returns the stream the client publishes or plays, or null when it does neither. */
    public StreamKey stream() {
        return role == Role.CONNECTED ? null : stream;
    }

    /** Returns when the session was opened. */
    public Instant connectedAt() {
        return openedAt;
    }

    /** Returns the bytes received from the client. */
    public long bytesIn() {
        LongSupplier s = bytesInSource;
        return s != null ? s.getAsLong() : bytesIn.get();
    }

    /** Returns the bytes sent to the client. */
    public long bytesOut() {
        LongSupplier s = bytesOutSource;
        return s != null ? s.getAsLong() : bytesOut.get();
    }

    /** Adds {@code n} bytes received from the client. */
    public void addBytesIn(long n) {
        bytesIn.addAndGet(n);
    }

    /** Adds {@code n} bytes sent to the client. */
    public void addBytesOut(long n) {
        bytesOut.addAndGet(n);
    }

    /**
     * Reads the byte counts from the protocol's own counters (a pipeline handler that counts
     * what crosses the socket, say) instead of {@link #addBytesIn}/{@link #addBytesOut}.
     */
    public ClientSession countTraffic(LongSupplier in, LongSupplier out) {
        this.bytesInSource = Objects.requireNonNull(in, "in");
        this.bytesOutSource = Objects.requireNonNull(out, "out");
        return this;
    }

    /**
     * Sets how the client's transport is closed when the management API kicks it or a
     * deadline ends it (usually {@code channel::close}). The transport's close must lead to
     * {@link #close()}. Without a handler a kick closes the session itself.
     */
    public ClientSession onKick(Runnable handler) {
        this.kickHandler = Objects.requireNonNull(handler, "handler");
        return this;
    }

    /** Closes the client's transport (see {@link #onKick}); its stop, unpublish and close events follow. */
    public void kick() {
        log.info("kicking {} client {} from {}", protocol, id, info.ip());
        Runnable k = kickHandler;
        if (k != null) {
            k.run();
        } else {
            close();
        }
    }

    /**
     * Counts bad input from this client (a malformed message, a length over its limit) under
     * its protocol and logs the reason, rate-limited per protocol. The protocol then closes the
     * connection.
     */
    public void badInput(String reason) {
        owner.badInput(this, reason);
    }

    /**
     * Returns the key of {@code app/name} on this session's vhost.
     *
     * @throws IllegalArgumentException when a part is not a valid name
     */
    public StreamKey streamKey(String app, String name) {
        return StreamKey.of(vhost, app, name);
    }

    // ---- lifecycle ----

    /**
     * Connects the client: resolves its vhost, asks {@code onConnect} and, when allowed, lists it
     * in the client registry. The stage completes with this session. Nothing is thrown: an
     * invalid app completes the stage with {@link SessionDeniedException}, a second connect
     * with {@link IllegalStateException}.
     */
    public CompletionStage<ClientSession> connect(ConnectRequest request) {
        Objects.requireNonNull(request, "request");
        CompletableFuture<ClientSession> result = new CompletableFuture<>();
        run(result, () -> {
            if (state == State.CLOSED) {
                result.completeExceptionally(new SessionClosedException(id));
            } else if (state != State.NEW) {
                result.completeExceptionally(new IllegalStateException("client " + id + " connected twice"));
            } else {
                startConnect(owner.vhosts().resolve(request.tcUrl(), request.params()), request)
                        .whenComplete((s, t) -> complete(result, s, t));
            }
        });
        return result;
    }

    /**
     * Publishes {@code key} for this client: asks {@code onPublish} and, when allowed, claims the
     * stream in the hub. The caller publishes frames through the returned {@link Publication}
     * on {@link #executor()} and ends it with {@link #stopPublishing()} (or {@link #close()}),
     * never with {@link Publication#close()} itself, so that {@code onUnpublish} fires.
     */
    public CompletionStage<Publication> publish(StreamKey key, Map<String, String> params) {
        return begin(key, params, "publish", () -> {
            Publication p = owner.hub().publish(key, executor, id);
            publication = p;
            role = Role.PUBLISHING;
            return p;
        });
    }

    /**
     * Plays {@code key} for this client: asks {@code onPlay} and, when allowed, subscribes
     * {@code subscriber} to the hub (it waits for a publisher when none is live). End it with
     * {@link #stopPlaying()} or {@link #close()}.
     */
    public CompletionStage<Subscription> play(StreamKey key, Map<String, String> params,
                                              StreamSubscriber subscriber) {
        Objects.requireNonNull(subscriber, "subscriber");
        return begin(key, params, "play", () -> {
            Subscription s = owner.hub().subscribe(key, subscriber);
            subscription = s;
            role = Role.PLAYING;
            return s;
        });
    }

    /**
     * Plays {@code key} for a client served from a shared output rather than a subscription of
     * its own (an HLS viewer reads the one muxer of its stream): asks {@code onPlay} and, when
     * allowed, counts the client as playing until {@link #stopPlaying()} or {@link #close()}.
     */
    public CompletionStage<ClientSession> watch(StreamKey key, Map<String, String> params) {
        return begin(key, params, "play", () -> {
            watching = true;
            role = Role.PLAYING;
            return this;
        });
    }

    /** Ends the client's publication, if any, and fires {@code onUnpublish}. */
    public void stopPublishing() {
        run(null, this::stopPublishingNow);
    }

    /** Ends the client's play, if any, and fires {@code onStop}. */
    public void stopPlaying() {
        run(null, this::stopPlayingNow);
    }

    /**
     * Ends the session: stops its publication or play (firing {@code onUnpublish} or
     * {@code onStop}), removes it from the registry and fires {@code onClose} when it had
     * connected. Idempotent; stages still waiting complete with {@link SessionClosedException}.
     * Does not close the transport: the protocol calls this when its transport closed.
     */
    public void close() {
        run(null, () -> {
            if (state == State.CLOSED) {
                return;
            }
            boolean wasConnected = state == State.CONNECTED;
            stopPublishingNow();
            stopPlayingNow();
            state = State.CLOSED;
            if (wasConnected) {
                owner.registry().remove(this);
                owner.events().close(new CloseEvent(info, vhost, app, stream, connectParams, Instant.now(),
                        bytesOut(), bytesIn()));
            }
            owner.closed(this);
        });
    }

    /** Returns whether {@link #close()} ran. */
    public boolean isClosed() {
        return state == State.CLOSED;
    }

    // ---- internals ----

    private void stopPublishingNow() {
        if (publication != null) {
            Publication p = publication;
            publication = null;
            role = Role.CONNECTED;
            p.close();
            owner.events().unpublish(new UnpublishEvent(info, stream, streamParams, Instant.now()));
            owner.lifecycleLog().info(protocol + " unpublish", "{} client {} stopped publishing {}", protocol, id,
                    stream);
        }
    }

    private void stopPlayingNow() {
        if (subscription != null || watching) {
            Subscription s = subscription;
            subscription = null;
            watching = false;
            role = Role.CONNECTED;
            if (s != null) {
                s.close();
            }
            owner.events().stop(new StopEvent(info, stream, streamParams, Instant.now()));
            owner.lifecycleLog().info(protocol + " stop", "{} client {} stopped playing {}", protocol, id, stream);
        }
    }

    /** What a publish or play does on the hub once it was allowed; runs on the executor. */
    @FunctionalInterface
    private interface HubStep<T> {
        T run();
    }

    private <T> CompletionStage<T> begin(StreamKey key, Map<String, String> params, String action, HubStep<T> step) {
        Objects.requireNonNull(key, "key");
        Map<String, String> p = params == null ? Map.of() : params;
        CompletableFuture<T> result = new CompletableFuture<>();
        run(result, () -> {
            if (state == State.CLOSED) {
                result.completeExceptionally(new SessionClosedException(id));
                return;
            }
            if (deciding || publication != null || subscription != null || watching) {
                result.completeExceptionally(new IllegalStateException(
                        "client " + id + " asked to " + action + " while it publishes or plays"));
                return;
            }
            deciding = true;
            CompletionStage<ClientSession> connected = state == State.CONNECTED ? CompletableFuture.completedFuture(this)
                    : state == State.CONNECTING ? connecting
                    : startConnect(key.vhost(), new ConnectRequest(info.tcUrl(), info.pageUrl(), key.app(), p));
            connected.whenComplete((s, t) -> {
                if (t != null) {
                    deciding = false;
                    result.completeExceptionally(unwrap(t));
                    return;
                }
                Map<String, String> merged = QueryParams.merge(connectParams, p);
                CompletionStage<Decision> decision = action.equals("publish")
                        ? owner.events().publish(new PublishEvent(info, key, merged, Instant.now()))
                        : owner.events().play(new PlayEvent(info, key, merged, Instant.now()));
                onDecision(decision, d -> {
                    deciding = false;
                    if (state == State.CLOSED) {
                        result.completeExceptionally(new SessionClosedException(id));
                        return;
                    }
                    if (!d.allowed()) {
                        owner.refusalLog().info(protocol + " " + action + " denied",
                                "{} client {} from {} {} {} denied: {}", protocol, id, info.ip(), action, key,
                                d.reason());
                        result.completeExceptionally(new SessionDeniedException(action, d.reason()));
                        return;
                    }
                    T handle;
                    try {
                        stream = key;
                        streamParams = merged;
                        handle = step.run();
                    } catch (StreamBusyException e) {
                        owner.refusalLog().info(protocol + " busy", "{} client {} from {} publish {} refused: "
                                + "already publishing", protocol, id, info.ip(), key);
                        result.completeExceptionally(e);
                        return;
                    } catch (RuntimeException e) {
                        result.completeExceptionally(e);
                        return;
                    }
                    owner.lifecycleLog().info(protocol + " " + action, "{} client {} from {} {} {}", protocol, id,
                            info.ip(), action.equals("publish") ? "publishing" : "playing", key);
                    result.complete(handle);
                }, result);
            });
        });
        return result;
    }

    private CompletionStage<ClientSession> startConnect(String resolvedVhost, ConnectRequest request) {
        CompletableFuture<ClientSession> result = new CompletableFuture<>();
        String a = request.app();
        if (!StreamKey.isValidApp(a)) {
            return CompletableFuture.failedFuture(new SessionDeniedException("connect", "invalid app name"));
        }
        state = State.CONNECTING;
        connecting = result;
        vhost = resolvedVhost;
        app = a;
        connectParams = request.params();
        info = new ClientInfo(protocol, id, remoteAddress, request.tcUrl(), request.pageUrl());
        CompletionStage<Decision> decision = owner.events().connect(
                new ConnectEvent(info, vhost, app, connectParams, Instant.now()));
        onDecision(decision, d -> {
            connecting = null;
            if (state == State.CLOSED) {
                result.completeExceptionally(new SessionClosedException(id));
                return;
            }
            if (!d.allowed()) {
                state = State.NEW;
                owner.refusalLog().info(protocol + " connect denied", "{} client {} from {} connect to {} denied: {}",
                        protocol, id, info.ip(), app, d.reason());
                result.completeExceptionally(new SessionDeniedException("connect", d.reason()));
                return;
            }
            state = State.CONNECTED;
            owner.registry().add(this);
            result.complete(this);
        }, result);
        return result;
    }

    /** Runs {@code then} on the executor with the decision; a failed stage denies. */
    private void onDecision(CompletionStage<Decision> decision, Consumer<Decision> then, CompletableFuture<?> result) {
        decision.whenComplete((d, t) -> {
            Decision answer = t != null ? Decision.deny(t.toString()) : d;
            try {
                executor.execute(() -> then.accept(answer));
            } catch (RejectedExecutionException e) {
                result.completeExceptionally(new SessionClosedException(id));
            }
        });
    }

    private void run(CompletableFuture<?> result, Runnable task) {
        if (executor.inEventLoop()) {
            task.run();
            return;
        }
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            // The client's event loop is gone (the server stops): finish here, nothing races any more.
            if (result != null) {
                result.completeExceptionally(new SessionClosedException(id));
            } else {
                task.run();
            }
        }
    }

    private static <T> void complete(CompletableFuture<T> f, T value, Throwable t) {
        if (t != null) {
            f.completeExceptionally(unwrap(t));
        } else {
            f.complete(value);
        }
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof java.util.concurrent.CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    @Override
    public String toString() {
        return protocol + " client " + id;
    }
}
