package io.livehub.media;

/**
 * Thrown by a parser when bytes from the wire or a file break their format or a limit.
 * Network code catches it, logs the message and closes only the connection that sent the
 * bytes.
 */
public class MalformedMediaException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public MalformedMediaException(String message) {
        super(message);
    }

    public MalformedMediaException(String message, Throwable cause) {
        super(message, cause);
    }
}
