package io.livehub.push.internal;

import io.livehub.hub.LiveStream;
import io.livehub.media.MediaFrame;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * One connection of a push task to its destination, in the destination's protocol.
 *
 * <p>Thread-safety: every method is called on the task's event loop, which is also the loop
 * of the destination's channel; the stages may complete on any thread.
 */
public interface Destination {

    /**
     * Starts connecting; the stage completes when frames may be sent, or fails with the
     * reason (refused, timed out, rejected by the server).
     */
    CompletionStage<Void> open();

    /**
     * Returns a stage that completes when an opened connection ended: normally after
     * {@link #close()}, exceptionally when the destination or the network ended it.
     */
    CompletionStage<Void> closeFuture();

    /** Tells that a publication of the stream starts (its tracks may be known already). */
    default void onPublish(LiveStream stream) {
    }

    /** Sends the stream's metadata. */
    void metadata(Map<String, Object> metadata);

    /**
     * Sends one frame, its track's sequence header first when the track is new to this
     * connection.
     *
     * <p>Ownership: takes the frame's reference.
     */
    void send(MediaFrame frame);

    /** Writes what {@link #send} queued. */
    void flush();

    /** Returns whether the destination takes more now; false while bytes wait for the socket. */
    boolean isWritable();

    /** Returns the bytes sent on this connection. */
    long sentBytes();

    /** Closes the connection (politely where the protocol has a goodbye). Idempotent. */
    void close();
}
