package io.livehub.virtual;

/**
 * Refuses a file whose container or codec the hub cannot carry as it is (no transcoding), for
 * example {@code unsupported video codec 'vp09' in talk.mp4}. The message names the codec and
 * the file and is meant for the operator.
 */
public class UnsupportedMediaException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public UnsupportedMediaException(String message) {
        super(message);
    }
}
