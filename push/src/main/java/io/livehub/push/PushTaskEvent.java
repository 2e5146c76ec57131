package io.livehub.push;

import java.time.Instant;

/**
 * Tells that a push task changed state.
 *
 * <p>Thread-safety: immutable.
 *
 * @param task     the task right after the change
 * @param previous the state before
 * @param time     when it changed
 */
public record PushTaskEvent(PushTaskInfo task, PushState previous, Instant time) {

    /** Returns the new state. */
    public PushState state() {
        return task.state();
    }
}
