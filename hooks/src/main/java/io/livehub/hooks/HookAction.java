package io.livehub.hooks;

/**
 * Names the HTTP callbacks, with the {@code action} value their JSON bodies carry.
 *
 * <p>Decisions ({@link #ON_CONNECT}, {@link #ON_PUBLISH}, {@link #ON_PLAY}) are asked while the
 * client waits, and their answer allows or denies the request; every other action is a
 * notification, delivered in the background and retried.
 *
 * <p>Thread-safety: immutable.
 */
public enum HookAction {
    /** A client connected (SRS {@code on_connect}); a decision. */
    ON_CONNECT("on_connect", true),
    /** A connection closed (SRS {@code on_close}). */
    ON_CLOSE("on_close", false),
    /** A client asks to publish (SRS and SRS Stack {@code on_publish}); a decision. */
    ON_PUBLISH("on_publish", true),
    /** A publisher stopped (SRS and SRS Stack {@code on_unpublish}). */
    ON_UNPUBLISH("on_unpublish", false),
    /** A client asks to play (SRS {@code on_play}); a decision. */
    ON_PLAY("on_play", true),
    /** A player stopped (SRS {@code on_stop}). */
    ON_STOP("on_stop", false),
    /** A recording's file is complete (SRS {@code on_dvr}). */
    ON_DVR("on_dvr", false),
    /** An HLS segment is complete (SRS {@code on_hls}). */
    ON_HLS("on_hls", false),
    /** A recording began (SRS Stack {@code on_record_begin}). */
    ON_RECORD_BEGIN("on_record_begin", false),
    /** A recording ended (SRS Stack {@code on_record_end}). */
    ON_RECORD_END("on_record_end", false);

    private final String action;
    private final boolean decision;

    HookAction(String action, boolean decision) {
        this.action = action;
        this.decision = decision;
    }

    /** Returns the {@code action} field's value, such as {@code on_publish}. */
    public String action() {
        return action;
    }

    /** Returns whether the answer to this callback allows or denies the client's request. */
    public boolean isDecision() {
        return decision;
    }

    /**
     * Returns the action named {@code action} ({@code on_publish}, case-insensitive).
     *
     * @throws IllegalArgumentException when no action has that name
     */
    public static HookAction of(String action) {
        for (HookAction a : values()) {
            if (a.action.equalsIgnoreCase(action)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown hook action '" + action + "'");
    }
}
