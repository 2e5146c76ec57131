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
 */
public final class HttpFlvModule implements ServerModule {

    private HttpFlvService service;
    private ServerContext context;

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
}
