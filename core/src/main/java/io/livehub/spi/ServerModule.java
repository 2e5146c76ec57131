package io.livehub.spi;

import java.util.concurrent.CompletionStage;

/**
 * A protocol or feature that plugs into a {@link io.livehub.MediaServer}: an RTMP listener,
 * HTTP-FLV playback, an HLS muxer, ... Core knows modules only through this interface.
 *
 * <p>Thread-safety: the server calls {@link #start} and {@link #stop} from one thread, once
 * each.
 */
public interface ServerModule {

    /** Returns a short name used in logs and in {@link io.livehub.MediaServer#port(String)}. */
    String name();

    /**
     * Starts the module: binds its ports (reporting them with
     * {@link ServerContext#reportPort}) and registers HTTP services. Throws when it cannot
     * start; the server then stops the modules started before it and releases everything.
     */
    void start(ServerContext context) throws Exception;

    /** Stops the module gracefully: closes its listeners and connections. */
    CompletionStage<Void> stop();
}
