package io.livehub.mp4;

import io.livehub.media.MediaFrame;
import io.livehub.media.Track;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Writes one recording file, crash-safe: {@code <target>.part} while recording, finished and
 * renamed onto the target at the end. {@link Mp4RecordingWriter} writes MP4,
 * {@link FlvRecordingWriter} FLV.
 *
 * <p>Ownership: {@link #write} borrows the frame. Thread-safety: not thread-safe, except
 * {@link #finishEnded}, which may run on another thread once {@link #end} returned.
 */
public interface RecordingWriter extends Closeable {

    /** Returns the file being written, {@code <target>.part}. */
    Path partPath();

    /** Returns the path the finished file gets. */
    Path target();

    /** Returns the tracks of the file. */
    List<Track> tracks();

    /** Returns whether the file has a track with {@code track}'s id and the same codec configuration. */
    default boolean accepts(Track track) {
        for (Track t : tracks()) {
            if (t.id() == track.id()) {
                return t == track || t.sameConfig(track);
            }
        }
        return false;
    }

    /** Returns whether the file has a track with {@code track}'s id, whatever its configuration. */
    default boolean hasTrack(Track track) {
        for (Track t : tracks()) {
            if (t.id() == track.id()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Writes a frame (or keeps it for the next fragment). A frame of a track the file does not
     * have, or decoded before the file's first frame, is skipped.
     *
     * @throws IOException when writing fails; the writer can only be closed then
     */
    void write(MediaFrame frame) throws IOException;

    /** Writes what is held and closes the {@code .part} file; returns it. The writer is closed either way. */
    Path end() throws IOException;

    /**
     * Finishes the ended {@code .part} file as the target (see each format) and returns it.
     *
     * @throws IOException when it cannot be finished; the {@code .part} file stays for recovery
     */
    RecordingResult finishEnded() throws IOException;

    /** Returns the bytes written to the {@code .part} file so far. */
    long bytesWritten();

    /** Returns the span from the first frame's decode time to the last one's. */
    Duration duration();

    /** Closes the file without finishing it; it stays as {@code .part}. Idempotent. */
    @Override
    void close();
}
