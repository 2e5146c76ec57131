package io.livehub.mp4.internal;

import java.io.IOException;

/** Signals a file that is not an MP4 the recorder can read back. */
public final class MalformedFileException extends IOException {

    public MalformedFileException(String message) {
        super(message);
    }
}
