package io.livehub.event;

import java.util.concurrent.CompletionStage;

/**
 * Receives the server's connection and stream events. Every method has a no-op default, so
 * an implementation overrides only what it needs.
 *
 * <p>Decision methods ({@link #onConnect}, {@link #onPublish}, {@link #onPlay}) return a
 * stage; the connection waits for it without blocking a thread, up to the server's decision
 * timeout, after which the request is denied. With several listeners, a request is allowed
 * only when every listener allows it.
 *
 * <p>Thread-safety: methods are called on the server's listener executor, never on a network
 * event loop, so they may block briefly; notifications of one client arrive in order. An
 * exception thrown by a decision method denies the request; one thrown by a notification is
 * logged and ignored.
 */
public interface MediaServerListener {

    default CompletionStage<Decision> onConnect(ConnectEvent event) {
        return Decision.allowStage();
    }

    default void onClose(CloseEvent event) {
    }

    default CompletionStage<Decision> onPublish(PublishEvent event) {
        return Decision.allowStage();
    }

    default void onUnpublish(UnpublishEvent event) {
    }

    default CompletionStage<Decision> onPlay(PlayEvent event) {
        return Decision.allowStage();
    }

    default void onStop(StopEvent event) {
    }

    default void onRecordBegin(RecordBeginEvent event) {
    }

    default void onRecordEnd(RecordEndEvent event) {
    }

    default void onHlsSegment(HlsSegmentEvent event) {
    }
}
