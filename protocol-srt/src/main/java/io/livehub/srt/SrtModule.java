package io.livehub.srt;

import io.livehub.event.ClientInfo;
import io.livehub.event.ConnectEvent;
import io.livehub.event.Decision;
import io.livehub.event.PlayEvent;
import io.livehub.event.PublishEvent;
import io.livehub.hub.Publication;
import io.livehub.hub.StreamBusyException;
import io.livehub.srt.handshake.SrtRejectReason;
import io.livehub.srt.internal.SrtServerSession;
import io.livehub.spi.ServerContext;
import io.livehub.spi.ServerModule;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves SRT publish and play on one UDP port (draft-sharabayko-srt): the stream id names
 * the stream and the mode ({@link SrtStreamId}); connect and publish/play decisions are asked
 * of the server's listeners before the conclusion response, and a denial reaches the caller
 * as a reject reason (1403 forbidden, 1400 bad stream id, 1409 stream busy, 1501 no payload
 * format).
 *
 * <pre>{@code
 * MediaServer.builder().module(SrtModule.builder().port(10080).payloadFormat(ts).build())
 * }</pre>
 *
 * <p>The bound port is reported as {@code "srt"}.
 */
public final class SrtModule implements ServerModule {

    private static final Logger log = LoggerFactory.getLogger(SrtModule.class);

    private final SrtConfig config;
    private final String defaultApp;
    private final SrtPayloadFormat payloadFormat;
    private final Function<SrtStreamId, String> streamPassphrase;
    private volatile SrtListener listener;
    private volatile ServerContext server;

    private SrtModule(SrtConfig config, String defaultApp, SrtPayloadFormat payloadFormat,
                      Function<SrtStreamId, String> streamPassphrase) {
        this.config = config;
        this.defaultApp = defaultApp;
        this.payloadFormat = payloadFormat;
        this.streamPassphrase = streamPassphrase;
    }

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
        if (streamPassphrase == null) {
            return null;
        }
        SrtStreamId id;
        try {
            id = SrtStreamId.parse(req.streamId(), defaultApp);
        } catch (IllegalArgumentException e) {
            return null;
        }
        String p = streamPassphrase.apply(id);
        if (p != null && !p.isEmpty()) {
            SrtConfig.builder().passphrase(p).build(); // the libsrt length rules
        }
        return p;
    }

    private CompletionStage<SrtAcceptDecision> accept(SrtConnectionRequest req) {
        SrtStreamId id;
        try {
            id = SrtStreamId.parse(req.streamId(), defaultApp);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(SrtAcceptDecision.reject(SrtRejectReason.BAD_REQUEST,
                    "bad stream id: " + e.getMessage()));
        }
        if (payloadFormat == null) {
            return CompletableFuture.completedFuture(SrtAcceptDecision.reject(SrtRejectReason.UNIMPLEMENTED,
                    "no payload format (MPEG-TS) configured"));
        }
        ServerContext ctx = server;
        ClientInfo client = new ClientInfo("srt", ctx.nextClientId(), req.remoteAddress(),
                "srt://" + id.key().vhost() + "/" + id.key().app(), "");
        ConnectEvent connect = new ConnectEvent(client, id.key().vhost(), id.key().app(), id.params(), Instant.now());
        return ctx.events().connect(connect).thenCompose(d -> {
            if (!d.allowed()) {
                return CompletableFuture.completedFuture(Decision.deny(d.reason()));
            }
            return id.mode() == SrtStreamId.Mode.PUBLISH
                    ? ctx.events().publish(new PublishEvent(client, id.key(), id.params(), Instant.now()))
                    : ctx.events().play(new PlayEvent(client, id.key(), id.params(), Instant.now()));
        }).thenApplyAsync(d -> decide(ctx, client, id, req, d), req.executor());
    }

    /** Runs on the connection's event loop, where the hub publication must be made. */
    private SrtAcceptDecision decide(ServerContext ctx, ClientInfo client, SrtStreamId id, SrtConnectionRequest req,
                                     Decision d) {
        if (!d.allowed()) {
            log.info("client {} from {} {} {} denied: {}", client.clientId(), client.ip(),
                    id.mode() == SrtStreamId.Mode.PUBLISH ? "publish" : "play", id.key(), d.reason());
            return SrtAcceptDecision.reject(SrtRejectReason.FORBIDDEN, d.reason());
        }
        if (id.mode() == SrtStreamId.Mode.PUBLISH) {
            Publication p;
            try {
                p = ctx.hub().publish(id.key(), req.executor(), client.clientId());
            } catch (StreamBusyException e) {
                return SrtAcceptDecision.reject(SrtRejectReason.CONFLICT, "stream " + id.key() + " is busy");
            }
            return SrtAcceptDecision.accept(SrtServerSession.publisher(ctx, client, id, req.executor(), p,
                    payloadFormat.newDemuxer()));
        }
        return SrtAcceptDecision.accept(SrtServerSession.player(ctx, client, id, req.executor(),
                payloadFormat.newMuxer(config.payloadSize())));
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

    /** Builds an {@link SrtModule}: an {@link SrtConfig}, the default app and the payload format. */
    public static final class Builder {
        private final SrtConfig.Builder config = SrtConfig.builder();
        private SrtConfig built;
        private String defaultApp = "live";
        private SrtPayloadFormat payloadFormat = TsPayloadFormat.INSTANCE;
        private Function<SrtStreamId, String> streamPassphrase;

        private Builder() {
        }

        /** Uses {@code config} instead of the individual setters. */
        public Builder config(SrtConfig config) {
            this.built = Objects.requireNonNull(config, "config");
            return this;
        }

        public Builder host(String host) {
            config.host(host);
            return this;
        }

        public Builder port(int port) {
            config.port(port);
            return this;
        }

        public Builder latency(java.time.Duration latency) {
            config.latency(latency);
            return this;
        }

        public Builder maxBandwidth(long bytesPerSecond) {
            config.maxBandwidth(bytesPerSecond);
            return this;
        }

        public Builder maxConnections(int max) {
            config.maxConnections(max);
            return this;
        }

        /** Binds the port with {@code n} SO_REUSEPORT sockets on as many event loops (epoll); see {@link SrtConfig}. */
        public Builder listenerSockets(int n) {
            config.listenerSockets(n);
            return this;
        }

        /** Sets the passphrase every caller must use (10 to 79 characters); see {@link SrtConfig}. */
        public Builder passphrase(String passphrase) {
            config.passphrase(passphrase);
            return this;
        }

        /**
         * Names a passphrase per stream: {@code resolver} gets the caller's parsed stream id
         * (before any listener or hook is asked) and returns the stream's passphrase, which
         * replaces the module's {@link #passphrase}, or null for the module's own (or none).
         * It runs on an event loop and must not block.
         */
        public Builder streamPassphrase(Function<SrtStreamId, String> resolver) {
            this.streamPassphrase = resolver;
            return this;
        }

        /** Sets the key length advertised to callers and used for refreshed keys: 16, 24 or 32 bytes. */
        public Builder keyLength(int bytes) {
            config.keyLength(bytes);
            return this;
        }

        /** Sets the packets per sending key before a refresh; see {@link SrtConfig}. */
        public Builder kmRefreshRate(int packets) {
            config.kmRefreshRate(packets);
            return this;
        }

        /** Sets the packets a new key is announced before, and the old one kept after, a switch. */
        public Builder kmPreAnnounce(int packets) {
            config.kmPreAnnounce(packets);
            return this;
        }

        /** Sets the app of stream ids that name only a stream; default {@code live}. */
        public Builder defaultApp(String app) {
            this.defaultApp = Objects.requireNonNull(app, "app");
            return this;
        }

        /** Sets the payload format; the default is MPEG-TS ({@link TsPayloadFormat}); null rejects every caller with 1501. */
        public Builder payloadFormat(SrtPayloadFormat format) {
            this.payloadFormat = format;
            return this;
        }

        public SrtModule build() {
            io.livehub.media.StreamKey.of(defaultApp, "probe");
            return new SrtModule(built != null ? built : config.build(), defaultApp, payloadFormat,
                    streamPassphrase);
        }
    }
}
