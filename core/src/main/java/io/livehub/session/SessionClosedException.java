package io.livehub.session;

/**
 * Completes a session's pending stage when the session closed (the client went away, it was
 * kicked, or the server stops) before the stage could complete. Nothing is left to undo.
 */
public final class SessionClosedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public SessionClosedException(String clientId) {
        super("client " + clientId + " closed", null, false, false);
    }
}
