package io.livehub.mp4.internal;

import io.livehub.event.ClientInfo;
import io.livehub.event.RecordBeginEvent;
import io.livehub.event.RecordEndEvent;
import io.livehub.hub.StreamSubscriber;
import io.livehub.hub.Subscription;
import io.livehub.media.StreamKey;
import io.livehub.spi.ServerContext;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The one place a recording meets the server's client lifecycle: its client identity
 * (protocol {@code record}), its hub subscription and its record events. When core's session
 * API lands, this class becomes a {@code ClientSession} opened with protocol {@code record}
 * and its {@code play}; nothing else in the module changes.
 *
 * <p>Thread-safety: the events may be fired from any thread; {@link #subscribe} and
 * {@link #close} are called from the recorder's executor.
 */
final class RecordSession {

    /** The protocol name of recordings in events and in the client list. */
    static final String PROTOCOL = "record";

    private final ServerContext context;
    private final StreamKey key;
    private final ClientInfo client;
    private Subscription subscription;

    RecordSession(ServerContext context, StreamKey key) {
        this.context = context;
        this.key = key;
        this.client = new ClientInfo(PROTOCOL, context.nextClientId(), null, "", "");
    }

    ClientInfo client() {
        return client;
    }

    /** Subscribes {@code subscriber} to the stream; the hub replays the current GOP first. */
    Subscription subscribe(StreamSubscriber subscriber) {
        subscription = context.hub().subscribe(key, subscriber);
        return subscription;
    }

    /** Returns how many frames the hub dropped because the recording did not keep up. */
    long droppedFrames() {
        Subscription s = subscription;
        return s == null ? 0 : s.droppedFrames();
    }

    void recordBegin(String recordId, Path path) {
        context.events().recordBegin(new RecordBeginEvent(client, key, Map.of(), Instant.now(), recordId, path));
    }

    void recordEnd(String recordId, Path path, Duration duration, long size, int code, String url) {
        context.events().recordEnd(new RecordEndEvent(client, key, Map.of(), Instant.now(), recordId, path,
                duration, size, code, url));
    }

    /** Fires the end of a recording a previous process left unfinished; {@code key} may be null when unknown. */
    static void recovered(ServerContext context, StreamKey key, String recordId, Path path, Duration duration,
            long size, int code, String url) {
        ClientInfo client = new ClientInfo(PROTOCOL, context.nextClientId(), null, "", "");
        context.events().recordEnd(new RecordEndEvent(client, key, Map.of(), Instant.now(), recordId, path, duration,
                size, code, url));
    }

    /** Ends the hub subscription. Idempotent. */
    void close() {
        Subscription s = subscription;
        if (s != null) {
            s.close();
        }
    }
}
