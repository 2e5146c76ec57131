package io.livehub.virtual;

/**
 * Fails the start of a virtual live stream that was refused: a listener denied the publish
 * ({@code onConnect} or {@code onPublish}), the module is not running or has too many sources.
 * A file that cannot be played fails with {@link UnsupportedMediaException} or
 * {@link io.livehub.media.MalformedMediaException} instead, a busy stream with
 * {@link io.livehub.hub.StreamBusyException}, a bad path with {@link IllegalArgumentException}.
 */
public class VirtualLiveException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public VirtualLiveException(String message) {
        super(message);
    }
}
