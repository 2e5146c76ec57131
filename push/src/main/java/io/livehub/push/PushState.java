package io.livehub.push;

import java.util.Locale;

/**
 * Says where a push task is in its life; the transitions are drawn in the module README.
 *
 * <pre>
 * ready ──stream live──▶ connecting ──connected──▶ pushing
 *   ▲                        │                        │
 *   │ publisher left         │ failed                 │ closed, refused, stalled, too slow
 *   │ (from any active)      ▼                        ▼
 *   └──── retry timer ──── error ◀────────────────────┘
 *          (stream gone)     │ retry timer (stream live) ──▶ connecting
 *                            │ attempts exhausted: stays error
 * any but stopped ──stop()──▶ stopping ──connection closed──▶ stopped
 * </pre>
 *
 * <p>Thread-safety: immutable.
 */
public enum PushState {
    /** Waiting for the stream to be published. */
    READY,
    /** Connecting to the destination. */
    CONNECTING,
    /** Connected and sending. */
    PUSHING,
    /** {@code stop} was asked; the connection is closing. */
    STOPPING,
    /** Stopped for good; the task sends nothing more. */
    STOPPED,
    /** The last connection failed; a retry is scheduled unless the attempts are exhausted. */
    ERROR;

    /** Returns the API spelling: {@code ready}, {@code connecting}, ... */
    public String apiName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Returns whether the task is over: {@link #STOPPED}. */
    public boolean isFinal() {
        return this == STOPPED;
    }
}
