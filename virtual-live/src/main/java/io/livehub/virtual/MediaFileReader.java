package io.livehub.virtual;

import io.livehub.media.MediaFrame;
import java.io.Closeable;
import java.io.IOException;
import java.util.OptionalLong;

/**
 * Reads the audio and video frames of one media file in decode order, in the hub's canonical
 * form (ARCHITECTURE.md section 2), and starts over on {@link #rewind()}. A file source calls
 * it off the event loops; reads are positional and bounded by the reader's limits.
 *
 * <p>Tracks keep their identity across rewinds: a frame of the second pass references the
 * same {@link io.livehub.media.Track} object as the frame of the first, so egress does not
 * resend a sequence header at the loop seam unless the file itself changes it.
 *
 * <p>Thread-safety: not thread-safe; one reader is used by one thread at a time.
 */
public interface MediaFileReader extends Closeable {

    /**
     * Returns the next frame in decode order across the tracks, or null at the end of the file.
     *
     * <p>Ownership: the caller releases the returned frame (or passes it on to
     * {@link io.livehub.hub.Publication#publish}, which takes it).
     *
     * @throws io.livehub.media.MalformedMediaException when the file is malformed or breaks a limit
     * @throws IOException when the file cannot be read
     */
    MediaFrame next() throws IOException;

    /** Goes back to the first frame of the file. */
    void rewind() throws IOException;

    /**
     * Moves to a random access point at or before {@code offsetMicros} after the file's first
     * frame, so that a start offset does not read the frames before it; {@link #next()} then
     * goes on from there (the caller still skips to the exact point it wants). Readers that
     * cannot seek stay where they are and return empty.
     *
     * @return the decode time of the file's first frame in microseconds, the origin of the
     *     offset, or empty when this reader does not seek
     */
    default OptionalLong seekNear(long offsetMicros) throws IOException {
        return OptionalLong.empty();
    }

    /** Returns the file's name, for log lines and error messages. */
    String name();
}
