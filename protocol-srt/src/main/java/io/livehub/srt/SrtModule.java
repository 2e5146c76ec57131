package io.livehub.srt;

import io.livehub.hub.StreamBusyException;
import io.livehub.media.StreamKey;
import io.livehub.session.ClientSession;
import io.livehub.session.ConnectRequest;
import io.livehub.session.SessionDeniedException;
import io.livehub.srt.handshake.SrtRejectReason;
import io.livehub.srt.internal.SrtServerSession;
import io.livehub.spi.ServerContext;
import io.livehub.spi.ServerModule;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves SRT publish and play on one UDP port (draft-sharabayko-srt): the stream id names
 * the stream and the mode ({@link SrtStreamId}). Each caller is one
 * {@link ClientSession} (protocol {@code srt}), opened when its conclusion handshake arrives:
 * its connect ({@code tcUrl} {@code srt://host/app}, the host from the stream id's {@code h=}
 * or the listener's address, the stream id's keys as parameters) and its publish or play
 * decision are asked before the conclusion response, and a denial reaches the caller as a
 * reject reason (1403 forbidden, 1400 bad stream id, 1409 stream busy, 1501 no payload
 * format). The session closes when the connection ends.
 *
 * <pre>{@code
 * MediaServer.builder().module(SrtModule.builder().port(10080).build())
 * }</pre>
 *
 * <p>The bound port is reported as {@code "srt"}.
 */
public final class SrtModule implements ServerModule {

    private static final Logger log = LoggerFactory.getLogger(SrtModule.class);

    private final SrtConfig config;
    private volatile SrtListener listener;
    private volatile ServerContext server;
    private final io.livehub.net.ConnectionLimiter limiter;

    public SrtModule(SrtConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.limiter = new io.livehub.net.ConnectionLimiter("srt",
                io.livehub.net.ConnectionLimits.of(config.maxConnectionsPerAddress(), config.maxConnections()));
    }

    /** Returns the per-address and total connection caps' counters (callers refused, open connections). */
    public io.livehub.net.ConnectionLimiter connectionLimiter() {
        return limiter;
    }

    /** Returns a builder of the module's {@link SrtConfig}, ending in {@link Builder#build()}. */
    public static Builder builder() {
        return new Builder();
    }

    public SrtConfig config() {
        return config;
    }

    @Override
    public String name() {
        return "srt";
    }

    /** Returns the listener, for its counters; null before start. */
    public SrtListener listener() {
        return listener;
    }

    @Override
    public void start(ServerContext context) throws Exception {
        server = context;
        listener = SrtListener.bind(config, context.transport().workerGroup(), context.transport().datagramChannel(),
                new SrtAcceptor() {
                    @Override
                    public CompletionStage<SrtAcceptDecision> accept(SrtConnectionRequest request) {
                        return SrtModule.this.accept(request);
                    }

                    @Override
                    public String passphrase(SrtConnectionRequest request) {
                        return passphraseOf(request);
                    }
                });
        context.reportPort(name(), listener.port());
        log.info("SRT listening on {}:{}", config.host(), listener.port());
    }

    /** Returns the stream's own passphrase, or null for the listener's; a bad stream id is refused later. */
    private String passphraseOf(SrtConnectionRequest req) {
        Function<SrtStreamId, String> resolver = config.streamPassphrase();
        if (resolver == null) {
            return null;
        }
        SrtStreamId id;
        try {
            id = SrtStreamId.parse(req.streamId(), config.defaultApp());
        } catch (IllegalArgumentException e) {
            return null;
        }
        String p = resolver.apply(id);
        if (p != null && !p.isEmpty()) {
            SrtConfig.checkPassphrase(p);
        }
        return p;
    }

    /** Runs on the listener's event loop, which is the connection's and so the session's. */
    private CompletionStage<SrtAcceptDecision> accept(SrtConnectionRequest req) {
        java.net.InetAddress from = req.remoteAddress() == null ? null : req.remoteAddress().getAddress();
        if (from != null && !limiter.tryAcquire(from)) {
            return CompletableFuture.completedFuture(SrtAcceptDecision.reject(SrtRejectReason.RESOURCE,
                    "too many connections from " + from.getHostAddress()));
        }
        ClientSession session = server.sessions().open("srt", req.remoteAddress(), req.executor());
        SrtServerSession handler = new SrtServerSession(session);
        if (from != null) {
            handler.onRelease(() -> limiter.release(from));
        }
        SrtStreamId id;
        try {
            id = SrtStreamId.parse(req.streamId(), config.defaultApp());
        } catch (IllegalArgumentException e) {
            session.badInput("bad stream id: " + e.getMessage());
            handler.release();
            return CompletableFuture.completedFuture(SrtAcceptDecision.reject(SrtRejectReason.BAD_REQUEST,
                    "bad stream id: " + e.getMessage()));
        }
        SrtPayloadFormat format = config.payloadFormat();
        if (format == null) {
            handler.release();
            return CompletableFuture.completedFuture(SrtAcceptDecision.reject(SrtRejectReason.UNIMPLEMENTED,
                    "no payload format (MPEG-TS) configured"));
        }
        String app = id.key().app();
        ConnectRequest connect = new ConnectRequest(tcUrl(id), "", app, id.params());
        return session.connect(connect).thenCompose(s -> {
            StreamKey key = s.streamKey(app, id.key().name());
            if (id.mode() == SrtStreamId.Mode.PUBLISH) {
                return s.publish(key, id.params()).thenApply(p -> {
                    handler.publishing(p, format.newDemuxer());
                    return SrtAcceptDecision.accept(handler);
                });
            }
            handler.playing(format.newMuxer(config.payloadSize(), server.hub().egressForms()));
            return s.play(key, id.params(), handler).thenApply(sub -> {
                handler.subscribed(sub);
                return SrtAcceptDecision.accept(handler);
            });
        }).exceptionally(t -> {
            handler.release();
            return rejection(unwrap(t), id);
        });
    }

    /** Returns {@code srt://host/app}: the host the caller named, else the listener's address. */
    private String tcUrl(SrtStreamId id) {
        String host = id.host();
        if (host == null) {
            InetSocketAddress local = listener.localAddress();
            host = local.getHostString() + ":" + local.getPort();
        }
        return "srt://" + host + "/" + id.key().app();
    }

    private static SrtAcceptDecision rejection(Throwable t, SrtStreamId id) {
        if (t instanceof SessionDeniedException) {
            return SrtAcceptDecision.reject(SrtRejectReason.FORBIDDEN, ((SessionDeniedException) t).reason());
        }
        if (t instanceof StreamBusyException) {
            return SrtAcceptDecision.reject(SrtRejectReason.CONFLICT, "stream " + id.key().path() + " is busy");
        }
        if (t instanceof IllegalArgumentException) {
            return SrtAcceptDecision.reject(SrtRejectReason.BAD_REQUEST, t.getMessage());
        }
        return SrtAcceptDecision.reject(SrtRejectReason.SYSTEM, String.valueOf(t));
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    @Override
    public CompletionStage<Void> stop() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        SrtListener l = listener;
        listener = null;
        if (l == null) {
            done.complete(null);
        } else {
            l.closeAsync().addListener(f -> done.complete(null));
        }
        return done;
    }

    /** Builds an {@link SrtModule}; its settings are those of {@link SrtConfig}, with the same defaults. */
    public static final class Builder extends SrtConfig.Settings<Builder> {
        private Builder() {
        }

        /** @throws IllegalArgumentException when a value is out of range */
        public SrtModule build() {
            return new SrtModule(toConfig());
        }
    }
}
