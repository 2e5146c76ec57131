package io.livehub.metrics;

import io.livehub.MediaServer;
import io.livehub.spi.ServerContext;
import io.livehub.spi.ServerModule;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Serves Prometheus metrics at {@code /metrics} on the server's shared HTTP endpoint: the
 * server's clients, streams and traffic, each live stream's viewers, traffic and frames, and
 * the JVM's memory, GC and threads, all written by the Prometheus Java client.
 *
 * <pre>{@code
 * MediaServer.builder()
 *         .module(RtmpModule.builder().build())
 *         .module(MetricsModule.builder().build())
 *         .start();
 * }</pre>
 *
 * <p>Defaults: path {@code /metrics}; per-stream series on (their number grows with the
 * streams, which is what a streaming server is watched for; turn them off for servers with
 * many thousands of streams); JVM metrics on; no token (exporters are usually reached on a
 * private network: set one when the HTTP port is public); a registry of its own, or the
 * application's with {@link Builder#registry}.
 *
 * <p>Thread-safety: the server calls {@link #start} and {@link #stop} once each.
 */
public final class MetricsModule implements ServerModule {

    private final String path;
    private final boolean perStream;
    private final boolean jvm;
    private final String token;
    private final PrometheusRegistry registry;

    private ServerContext ctx;
    private ServerCollector collector;
    private MetricsHttpService service;

    private MetricsModule(Builder b) {
        this.path = b.path;
        this.perStream = b.perStream;
        this.jvm = b.jvm;
        this.token = b.token;
        this.registry = b.registry != null ? b.registry : new PrometheusRegistry();
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return "metrics";
    }

    /** Returns the registry scraped at the metrics path; an application may register its own metrics in it. */
    public PrometheusRegistry registry() {
        return registry;
    }

    @Override
    public void start(ServerContext context) {
        this.ctx = context;
        if (jvm) {
            // JvmMetrics registers once per registry, so a restart or a shared registry is safe.
            JvmMetrics.builder().register(registry);
        }
        collector = new ServerCollector(context, perStream, MediaServer.VERSION);
        registry.register(collector);
        service = new MetricsHttpService(path, registry, token);
        context.http().add(service);
    }

    @Override
    public CompletionStage<Void> stop() {
        if (ctx != null) {
            ctx.http().remove(service);
            registry.unregister(collector);
            ctx = null;
        }
        return CompletableFuture.completedFuture(null);
    }

    /** Builds a {@link MetricsModule}; see the class notes for the defaults. */
    public static final class Builder {
        private String path = "/metrics";
        private boolean perStream = true;
        private boolean jvm = true;
        private String token;
        private PrometheusRegistry registry;

        private Builder() {
        }

        /** Sets the HTTP path of the metrics (default {@code /metrics}). */
        public Builder path(String path) {
            Objects.requireNonNull(path, "path");
            if (!path.startsWith("/")) {
                throw new IllegalArgumentException("path must start with '/': " + path);
            }
            this.path = path;
            return this;
        }

        /** Exports one set of series per live stream (default true). */
        public Builder perStream(boolean on) {
            this.perStream = on;
            return this;
        }

        /** Exports the JVM's metrics (memory, GC, threads, classes; default true). */
        public Builder jvm(boolean on) {
            this.jvm = on;
            return this;
        }

        /** Requires {@code Authorization: Bearer <token>} on the metrics path; null or empty: open (default). */
        public Builder token(String token) {
            this.token = token;
            return this;
        }

        /** Scrapes this registry (the application's own, with its metrics) instead of a new one. */
        public Builder registry(PrometheusRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        public MetricsModule build() {
            return new MetricsModule(this);
        }
    }
}
