package io.livehub.spi;

import io.livehub.event.EventDispatcher;
import io.livehub.http.HttpRoutes;
import io.livehub.hub.StreamHub;
import io.livehub.session.ClientSessions;
import java.util.Map;

/**
 * What a {@link ServerModule} gets from its server: the client sessions, the hub, the events,
 * the shared event loops and the shared HTTP endpoint.
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

    /**
     * Returns every port bound so far by name ({@code "rtmp"}, {@code "http"}, ...), as
     * {@link io.livehub.MediaServer#ports()}: a module that tells clients where to connect (a
     * console listing publish URLs) reads it when asked, after every module started.
     */
    default Map<String, Integer> ports() {
        return Map.of();
    }

    /**
     * Returns the client sessions: every protocol opens one per client and lets it run the
     * client's lifecycle (decisions, hub, registry, events, counters).
     */
    ClientSessions sessions();

    /** Returns the registry in which client sessions list themselves while connected. */
    ClientRegistry clients();

    /** Returns a new server-unique id, for things that are numbered like clients but are not sessions. */
    String nextClientId();

    /** Returns this server's id ({@code vid-} and 7 characters), the same in hooks and the management API. */
    String serverId();
}
