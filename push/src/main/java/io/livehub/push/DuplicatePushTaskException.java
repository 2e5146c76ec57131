package io.livehub.push;

/**
 * Tells that a push task with the same id exists; the HTTP API answers 409.
 */
public final class DuplicatePushTaskException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    public DuplicatePushTaskException(String id) {
        super("a push task with id '" + id + "' exists");
    }
}
