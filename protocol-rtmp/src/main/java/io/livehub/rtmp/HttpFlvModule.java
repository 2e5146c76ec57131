package io.livehub.rtmp;

import io.livehub.rtmp.internal.HttpFlvService;
import io.livehub.spi.ServerContext;
import io.livehub.spi.ServerModule;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Serves every hub stream as HTTP-FLV at {@code http://host:port/{app}/{stream}.flv} on the
 * server's shared HTTP endpoint, for flv.js, mpegts.js, ffplay and VLC. Responses carry the
 * endpoint's CORS header.
 *
 * <pre>{@code
 * MediaServer.builder().module(HttpFlvModule.builder().build())
 * }</pre>
 *
 * <p>It has no settings of its own: it serves on the server's HTTP endpoint
 * ({@link io.livehub.http.HttpServerConfig}) and writes as the hub's
 * {@link io.livehub.hub.HubConfig} says.
 */
public final class HttpFlvModule implements ServerModule {

    private HttpFlvService service;
    private ServerContext context;

    private HttpFlvModule() {
    }

    /** Returns a builder of the module, like every module's. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return "http-flv";
    }

    @Override
    public void start(ServerContext context) {
        this.context = context;
        this.service = new HttpFlvService(context);
        context.http().add(service);
    }

    @Override
    public CompletionStage<Void> stop() {
        if (service != null) {
            context.http().remove(service);
            service = null;
        }
        return CompletableFuture.completedFuture(null);
    }

    /** Builds an {@link HttpFlvModule}. */
    public static final class Builder {
        private Builder() {
        }

        public HttpFlvModule build() {
            return new HttpFlvModule();
        }
    }
}
