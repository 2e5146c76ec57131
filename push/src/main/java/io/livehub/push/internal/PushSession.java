package io.livehub.push.internal;

import io.livehub.event.ClientInfo;
import io.livehub.hub.LiveStream;
import io.livehub.hub.StreamHub;
import io.livehub.hub.StreamSubscriber;
import io.livehub.hub.Subscription;
import io.livehub.media.StreamKey;
import io.livehub.spi.ClientRegistry;
import io.livehub.spi.ClientSession;
import java.time.Instant;
import java.util.function.LongSupplier;

/**
 * Joins one push task to its stream and to the server's client list: the only place where the
 * push module meets the hub and the client registry, so that it can become a client session
 * of protocol {@code push} (connect, play, stop, close) in one step when core's session API is
 * available. Until then it subscribes to the hub directly (a push task is asked no play
 * decision) and lists the task in the {@link ClientRegistry} as a playing client of protocol
 * {@code push} from its start until it stopped, so the management API shows and can kick it.
 *
 * <p>Thread-safety: {@link #play} on the task's event loop; the rest from any thread.
 */
final class PushSession {

    /** The protocol name of push tasks in the client list and events. */
    static final String PROTOCOL = "push";

    private final StreamHub hub;
    private final StreamKey key;
    private final ClientRegistry registry;
    private final Listed listed;

    /**
     * @param registry  the server's client list, or null to list nothing
     * @param clientId  the task's client id
     * @param target    the destination, without secrets, shown as the client's URL
     * @param bytesOut  reads the bytes the task sent
     * @param kick      stops the task, when the management API kicks it
     */
    PushSession(StreamHub hub, StreamKey key, ClientRegistry registry, String clientId, String target,
                LongSupplier bytesOut, Runnable kick) {
        this.hub = hub;
        this.key = key;
        this.registry = registry;
        this.listed = new Listed(new ClientInfo(PROTOCOL, clientId, null, target, ""), key, bytesOut, kick);
    }

    /** Lists the task as a client. */
    void open() {
        if (registry != null) {
            registry.add(listed);
        }
    }

    /** Removes the task from the client list. Idempotent. */
    void close() {
        if (registry != null) {
            registry.remove(listed);
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

    /** The task as the management API lists it. */
    private static final class Listed implements ClientSession {
        private final ClientInfo info;
        private final StreamKey stream;
        private final LongSupplier bytesOut;
        private final Runnable kicker;
        private final Instant since = Instant.now();

        Listed(ClientInfo info, StreamKey stream, LongSupplier bytesOut, Runnable kicker) {
            this.info = info;
            this.stream = stream;
            this.bytesOut = bytesOut;
            this.kicker = kicker;
        }

        @Override
        public ClientInfo info() {
            return info;
        }

        @Override
        public Role role() {
            return Role.PLAYING;
        }

        @Override
        public StreamKey stream() {
            return stream;
        }

        @Override
        public Instant connectedAt() {
            return since;
        }

        @Override
        public long bytesIn() {
            return 0;
        }

        @Override
        public long bytesOut() {
            return bytesOut.getAsLong();
        }

        @Override
        public void kick() {
            kicker.run();
        }
    }
}
