package io.livehub.mp4;

import io.livehub.media.StreamKey;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * Describes a recording in progress, as {@link Mp4RecordModule#recordings()} lists it.
 *
 * @param recordId the recording's id, as in its record events (SRS Stack {@code uuid})
 * @param stream the recorded stream
 * @param path the file the recording becomes when finished
 * @param startedAt when the file was started
 * @param duration the media duration written so far
 * @param bytes the bytes written so far
 * @param droppedFrames frames dropped because the disk did not keep up, over the stream's recording
 */
public record RecordingInfo(String recordId, StreamKey stream, Path path, Instant startedAt, Duration duration,
        long bytes, long droppedFrames) {
}
