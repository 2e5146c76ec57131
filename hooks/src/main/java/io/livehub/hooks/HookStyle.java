package io.livehub.hooks;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * Chooses the shape of the callback bodies: those SRS sends, or those SRS Stack sends.
 *
 * <p>Thread-safety: immutable.
 */
public enum HookStyle {
    /**
     * SRS's bodies ({@code server_id}, {@code service_id}, {@code action}, {@code client_id},
     * {@code ip}, {@code vhost}, {@code app}, {@code tcUrl}, {@code stream}, {@code param},
     * {@code stream_url}, {@code stream_id} and per-action fields), as SRS 5 and 6 post them.
     * The request id travels in the {@code X-Request-Id} header only, since SRS bodies have none.
     */
    SRS(EnumSet.of(HookAction.ON_CONNECT, HookAction.ON_CLOSE, HookAction.ON_PUBLISH, HookAction.ON_UNPUBLISH,
            HookAction.ON_PLAY, HookAction.ON_STOP, HookAction.ON_DVR, HookAction.ON_HLS)),
    /**
     * SRS Stack's bodies ({@code request_id}, {@code action}, {@code opaque}, {@code vhost},
     * {@code app}, {@code stream}, {@code param} on decisions, and {@code uuid}/{@code artifact_*}
     * on record events).
     */
    SRS_STACK(EnumSet.of(HookAction.ON_CONNECT, HookAction.ON_CLOSE, HookAction.ON_PUBLISH,
            HookAction.ON_UNPUBLISH, HookAction.ON_PLAY, HookAction.ON_STOP, HookAction.ON_HLS,
            HookAction.ON_RECORD_BEGIN, HookAction.ON_RECORD_END));

    private final Set<HookAction> actions;

    HookStyle(EnumSet<HookAction> actions) {
        this.actions = Collections.unmodifiableSet(actions);
    }

    /**
     * Returns the actions this style posts when a URL is registered for every event
     * ({@link HttpHooksConfig.Builder#allEvents}): a recording's end is {@code on_dvr} for SRS
     * and {@code on_record_end} for SRS Stack.
     */
    public Set<HookAction> actions() {
        return actions;
    }

    /**
     * Returns the style named {@code srs} or {@code srs-stack} (also {@code srs_stack},
     * case-insensitive).
     *
     * @throws IllegalArgumentException for any other name
     */
    public static HookStyle of(String name) {
        String n = name.trim().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        switch (n) {
            case "srs":
                return SRS;
            case "srs-stack":
                return SRS_STACK;
            default:
                throw new IllegalArgumentException("hook style must be 'srs' or 'srs-stack', not '" + name + "'");
        }
    }
}
