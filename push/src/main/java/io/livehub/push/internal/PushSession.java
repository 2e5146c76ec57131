package io.livehub.push.internal;

import io.livehub.hub.LiveStream;
import io.livehub.hub.StreamHub;
import io.livehub.hub.StreamSubscriber;
import io.livehub.hub.Subscription;
import io.livehub.media.StreamKey;
import io.livehub.session.ClientSession;
import io.livehub.session.ClientSessions;
import io.livehub.session.SessionClosedException;
import io.netty.util.concurrent.EventExecutor;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Joins one push task to its stream as a client session of protocol {@code push}: the only
 * place where the push module meets the hub and the sessions. The task's session runs the
 * lifecycle every client runs (connect, play, stop, close, through the listeners; the SRS hook
 * adapter sends none of them for a push, as SRS sends none for its forward), is listed by the
 * management API while the task runs (a kick stops the task), and counts the bytes it sent.
 *
 * <p>A push task makes a new hub subscription for every (re)connect, so that each connection
 * starts with metadata and the cached GOP: the session is allowed to play once ({@link
 * ClientSession#watch}) and the task subscribes for itself while it runs, with no decision and
 * no events per reconnect. A listener that denies the play stops the task.
 *
 * <p>Thread-safety: {@link #play} on the task's event loop; the rest from any thread.
 */
final class PushSession {

    private static final Logger log = LoggerFactory.getLogger(PushSession.class);

    /** The protocol name of push tasks in the client list and events. */
    static final String PROTOCOL = "push";

    private final StreamHub hub;
    private final StreamKey key;
    private final ClientSession session;
    private final Runnable stop;

    /**
     * @param sessions the server's sessions, or null to run without one (tests of the engine)
     * @param loop     the task's event loop
     * @param bytesOut reads the bytes the task sent
     * @param stop     stops the task (a kick from the management API, a denied play)
     */
    PushSession(StreamHub hub, StreamKey key, ClientSessions sessions, EventExecutor loop, LongSupplier bytesOut,
                Runnable stop) {
        this.hub = hub;
        this.key = key;
        this.stop = stop;
        this.session = sessions == null ? null : sessions.open(PROTOCOL, null, loop);
        if (session != null) {
            session.countTraffic(() -> 0, bytesOut).onKick(stop);
        }
    }

    /** Returns the task's client id, or null without sessions. */
    String clientId() {
        return session == null ? null : session.id();
    }

    /** Connects the task's session and asks to play its stream; a denial stops the task. */
    void open() {
        if (session == null) {
            return;
        }
        session.watch(key, Map.of()).whenComplete((s, t) -> {
            if (t != null && !(t instanceof SessionClosedException)) {
                log.warn("push to {} of {} not allowed: {}; stopping it", key, session.id(), t.getMessage());
                stop.run();
            }
        });
    }

    /** Ends the session: stop and close fire, the task leaves the client list. Idempotent. */
    void close() {
        if (session != null) {
            session.close();
        }
    }

    /**
     * Subscribes {@code subscriber}: it starts at the cached keyframe with the stream's
     * metadata at once when the stream is live, and waits for a publisher otherwise.
     */
    Subscription play(StreamSubscriber subscriber) {
        return hub.subscribe(key, subscriber);
    }

    /** Returns whether the stream has a publisher now. */
    boolean isLive() {
        LiveStream s = hub.stream(key);
        return s != null && s.isPublishing();
    }
}
