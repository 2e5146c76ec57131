package io.livehub.session;

/**
 * Completes a session's connect, publish or play stage when a listener denied it (or did not
 * answer within the decision timeout). The protocol tells its client {@link #reason()} where it
 * can and closes the connection.
 */
public final class SessionDeniedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String reason;

    public SessionDeniedException(String action, String reason) {
        super(action + " denied: " + reason, null, false, false);
        this.reason = reason;
    }

    /** Returns the listener's reason, as it should be shown to the client. */
    public String reason() {
        return reason;
    }
}
