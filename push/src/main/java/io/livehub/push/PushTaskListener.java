package io.livehub.push;

/**
 * Receives every state change of every push task.
 *
 * <p>Thread-safety: called on one listener thread of the push module, never on an event loop,
 * one event at a time and in the order the changes happened. A slow listener delays only
 * later events, never a task.
 */
@FunctionalInterface
public interface PushTaskListener {

    /** Tells that {@code event.task()} went from {@code event.previous()} to {@code event.state()}. */
    void onStateChange(PushTaskEvent event);
}
