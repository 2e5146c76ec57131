package io.livehub.mp4.internal;

import io.livehub.event.ClientInfo;
import io.livehub.event.RecordBeginEvent;
import io.livehub.event.RecordEndEvent;
import io.livehub.hub.StreamSubscriber;
import io.livehub.hub.Subscription;
import io.livehub.session.ClientSession;
import io.livehub.session.SessionClosedException;
import io.netty.util.concurrent.EventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.livehub.media.StreamKey;
import io.livehub.spi.ServerContext;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The one place a recording meets the server's client lifecycle: a client session of protocol
 * {@code record} (connect, play, stop, close through the listeners, listed by the management API
 * while it records, a kick stops it; the SRS hook adapter sends none of them, as SRS's DVR asks
 * nobody), its hub subscription and its record events.
 *
 * <p>Thread-safety: the events may be fired from any thread; {@link #subscribe} and
 * {@link #close} are called from the recorder's executor.
 */
final class RecordSession {

    private static final Logger log = LoggerFactory.getLogger(RecordSession.class);

    /** The protocol name of recordings in events and in the client list. */
    static final String PROTOCOL = "record";

    private final ServerContext context;
    private final StreamKey key;
    private final ClientSession session;
    private volatile Subscription subscription;

    /**
     * @param executor the recorder's executor, on which its session runs
     * @param onKick   stops the recording (a kick from the management API)
     */
    RecordSession(ServerContext context, StreamKey key, EventExecutor executor, Runnable onKick) {
        this.context = context;
        this.key = key;
        this.session = context.sessions().open(PROTOCOL, null, executor).onKick(onKick);
    }

    ClientInfo client() {
        return session.info();
    }

    /** Subscribes {@code subscriber} to the stream once the play is allowed; the hub replays the current GOP first. */
    void subscribe(StreamSubscriber subscriber) {
        session.play(key, Map.of(), subscriber).whenComplete((s, t) -> {
            if (t != null) {
                if (!(t instanceof SessionClosedException)) {
                    log.warn("recording of {} not allowed: {}", key, t.getMessage());
                }
                return;
            }
            subscription = s;
        });
    }

    /** Returns how many frames the hub dropped because the recording did not keep up. */
    long droppedFrames() {
        Subscription s = subscription;
        return s == null ? 0 : s.droppedFrames();
    }

    void recordBegin(String recordId, Path path) {
        context.events().recordBegin(new RecordBeginEvent(client(), key, Map.of(), Instant.now(), recordId, path));
    }

    void recordEnd(String recordId, Path path, Duration duration, long size, int code, String url) {
        context.events().recordEnd(new RecordEndEvent(client(), key, Map.of(), Instant.now(), recordId, path,
                duration, size, code, url));
    }

    /** Fires the end of a recording a previous process left unfinished; {@code key} may be null when unknown. */
    static void recovered(ServerContext context, StreamKey key, String recordId, Path path, Duration duration,
            long size, int code, String url) {
        ClientInfo client = new ClientInfo(PROTOCOL, context.nextClientId(), null, "", "");
        context.events().recordEnd(new RecordEndEvent(client, key, Map.of(), Instant.now(), recordId, path, duration,
                size, code, url));
    }

    /** Ends the hub subscription and the session (stop and close fire). Idempotent. */
    void close() {
        session.close();
    }
}
