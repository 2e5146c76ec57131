package io.livehub.hub;

import io.livehub.media.MediaFrame;
import io.netty.util.concurrent.EventExecutor;
import java.util.Map;

/**
 * Receives one stream's frames on its own executor: the egress side of a protocol (an RTMP
 * player, an HTTP-FLV response, a muxer) implements it.
 *
 * <p>Thread-safety: every method except {@link #executor()} and {@link #isWritable()} is called
 * on {@link #executor()}, one call at a time. A drain delivers every queued item, then calls
 * {@link #onFlush()} once, so an implementation writes in {@code onFrame} and flushes in
 * {@code onFlush}.
 */
public interface StreamSubscriber {

    /** Returns the executor that drains this subscriber, usually its channel's event loop. */
    EventExecutor executor();

    /**
     * Returns whether the subscriber can take more now. While false the hub stops draining
     * and queues; call {@link Subscription#wake()} when it becomes true again. May be called
     * from any thread.
     */
    default boolean isWritable() {
        return true;
    }

    /**
     * Returns whether this subscriber takes frames in batches of the hub's merged-write window
     * ({@link HubConfig#mergeWriteWindow()}). A socket writer that pays a system call per write
     * (an RTMP or HTTP-FLV player) says yes and is written once per window; a muxer or a paced
     * sender says no and gets each frame as it is published. Read once, when the subscription
     * is made.
     */
    default boolean batchesFrames() {
        return false;
    }

    /** Tells that a publisher started (or was live when this subscriber joined). */
    default void onPublish(LiveStream stream) {
    }

    /** Delivers the stream's metadata (for RTMP, the {@code onMetaData} values). */
    default void onMetadata(Map<String, Object> metadata) {
    }

    /**
     * Delivers a frame. The first frames after {@link #onPublish} start at a keyframe. A
     * frame whose {@link MediaFrame#track()} differs from the previous frame's track of the
     * same id carries a new codec configuration, which the subscriber sends first.
     *
     * <p>Ownership: borrowed; the hub releases it after this call. Retain (or take a
     * {@code retainedDuplicate()} of an encoded form) to keep it.
     */
    void onFrame(MediaFrame frame);

    /** Ends a drain: flush what {@link #onFrame} wrote. */
    default void onFlush() {
    }

    /** Tells that the publisher stopped; the subscription stays open for the next one. */
    default void onUnpublish(LiveStream stream) {
    }

    /**
     * Tells that the hub closed this subscription: the subscriber took no frame for
     * {@link HubConfig#writeTimeout()}, dropped to a keyframe too often, or one of its callbacks
     * threw. A protocol closes its connection here, so the client is gone and its stop event
     * fires. Called once, on {@link #executor()}, after the subscription was closed; no other
     * callback follows.
     *
     * @param reason a short text for the log, e.g. "took no frame for 20 s"
     */
    default void onEvicted(String reason) {
    }
}
