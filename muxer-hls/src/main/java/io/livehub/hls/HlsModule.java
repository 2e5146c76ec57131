package io.livehub.hls;

import io.livehub.hls.internal.HlsService;
import io.livehub.spi.ServerContext;
import io.livehub.spi.ServerModule;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * Serves every hub stream, whatever protocol it came in on, as live HLS (RFC 8216) on the
 * server's shared HTTP endpoint, in SRS's URL layout:
 * <ul>
 *   <li>{@code /{app}/{stream}.m3u8}: the media playlist, which players take directly, as on SRS.
 *   <li>{@code /{app}/{stream}/index.m3u8}: a multivariant playlist with the stream's one
 *       variant ({@code BANDWIDTH}, {@code CODECS}, {@code RESOLUTION}), for players and
 *       packagers that want to know the codecs before they load a segment.
 *   <li>{@code /{app}/{stream}-{seq}.ts} or {@code .m4s}: media segments;
 *       {@code /{app}/{stream}-init.mp4}: the fMP4 init segment.
 * </ul>
 * With {@link HlsConfig#lowLatency()} the playlists are Low-Latency HLS (parts
 * {@code /{app}/{stream}-{seq}.{part}.m4s}, blocking reload, preload hints, delta updates).
 * Segments are kept in memory, and with {@link HlsConfig#outputDirectory()} also written to
 * disk. See {@link HlsConfig} for segmenting, muxing on demand and cache headers; every
 * response carries the endpoint's CORS header, and every URL answers GET and HEAD. When the
 * viewer is a client session (protocol {@code hls}): its first playlist request asks
 * {@code onPlay} and is redirected to the same URL with {@code hls_ctx=} added, its playlists'
 * URIs carry the session; {@code onStop} fires when the session idles out
 * ({@link HlsConfig#playSessions()}, bounded by {@link HlsSessionLimits}). Completed segments are
 * reported to {@link io.livehub.event.MediaServerListener#onHlsSegment}.
 *
 * <pre>{@code
 * MediaServer.builder().httpPort(8080)
 *     .module(RtmpModule.builder().port(1935).build())
 *     .module(HlsModule.builder().config(HlsConfig.builder().segmentFormat(HlsSegmentFormat.FMP4).build()).build())
 *     .start();
 * }</pre>
 *
 * <p>Thread-safety: the server calls {@link #start} and {@link #stop} once each, from one thread.
 */
public final class HlsModule implements ServerModule {

    /** How often muxers are started ({@link HlsMuxing#ALWAYS}) and expired muxers released. */
    private static final long SWEEP_MILLIS = 250;

    private final HlsConfig config;
    private ServerContext context;
    private volatile HlsService service;
    private ScheduledFuture<?> sweep;

    /** Makes a module with {@link HlsConfig#defaults()}. */
    public HlsModule() {
        this(HlsConfig.defaults());
    }

    public HlsModule(HlsConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /** Returns a builder; every HLS option is on {@link HlsConfig.Builder}, set with {@link Builder#config}. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns how many HLS viewers have a play session now. */
    public int viewerCount() {
        HlsService s = service;
        return s == null ? 0 : s.viewerCount();
    }

    /** Returns how many new viewers were refused by a {@link HlsSessionLimits} limit since the start. */
    public long refusedViewers() {
        HlsService s = service;
        return s == null ? 0 : s.refusedViewers();
    }

    public HlsConfig config() {
        return config;
    }

    @Override
    public String name() {
        return "hls";
    }

    @Override
    public void start(ServerContext context) {
        this.context = context;
        this.service = new HlsService(config, context);
        context.http().add(service);
        sweep = context.transport().workerGroup().next()
                .scheduleAtFixedRate(service::sweep, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Stops serving HLS and releases every muxer and segment. */
    @Override
    public CompletionStage<Void> stop() {
        if (service == null) {
            return CompletableFuture.completedFuture(null);
        }
        sweep.cancel(false);
        context.http().remove(service);
        CompletableFuture<Void> done = service.closeAll();
        service = null;
        return done;
    }

    /** Builds an {@link HlsModule}. */
    public static final class Builder {
        private HlsConfig config = HlsConfig.defaults();

        private Builder() {
        }

        /** Sets the configuration (default {@link HlsConfig#defaults()}). */
        public Builder config(HlsConfig config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        public HlsModule build() {
            return new HlsModule(config);
        }
    }
}
