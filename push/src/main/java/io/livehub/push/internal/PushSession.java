package io.livehub.push.internal;

import io.livehub.hub.LiveStream;
import io.livehub.hub.StreamHub;
import io.livehub.hub.StreamSubscriber;
import io.livehub.hub.Subscription;
import io.livehub.media.StreamKey;

/**
 * Joins one push task to its stream: the only place where the push module meets the hub, so
 * that it can become a client session of protocol {@code push} (connect, play, stop, close,
 * listed by the management API) in one step when core's session API is available. Until
 * then it subscribes to the hub directly; a push task is asked no play decision.
 *
 * <p>Thread-safety: confined to the task's event loop, except {@link #isLive()}.
 */
final class PushSession {

    private final StreamHub hub;
    private final StreamKey key;

    PushSession(StreamHub hub, StreamKey key) {
        this.hub = hub;
        this.key = key;
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
