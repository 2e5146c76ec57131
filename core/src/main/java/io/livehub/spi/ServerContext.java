package io.livehub.spi;

import io.livehub.event.EventDispatcher;
import io.livehub.http.HttpRoutes;
import io.livehub.hub.StreamHub;

/**
 * What a {@link ServerModule} gets from its server: the hub, the events, the shared event
 * loops and the shared HTTP endpoint.
 *
 * <p>Thread-safety: all methods may be called from any thread.
 */
public interface ServerContext {

    StreamHub hub();

    /** Returns the dispatcher through which modules ask for decisions and report events. */
    EventDispatcher events();

    Transport transport();

    /** Returns the routes of the shared HTTP endpoint; services added here are served on it. */
    HttpRoutes http();

    /** Records the port a module bound under {@code name}, for {@link io.livehub.MediaServer#port}. */
    void reportPort(String name, int port);

    /** Returns the registry to which modules add their client connections. */
    ClientRegistry clients();

    /** Returns a new server-unique client id. */
    String nextClientId();
}
