package io.livehub.event;

import io.livehub.media.StreamKey;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * A recording of a stream ended and its file is complete (SRS Stack {@code on_record_end},
 * SRS {@code on_dvr}).
 *
 * @param recordId the id given in the matching {@link RecordBeginEvent}
 * @param path     the finished file
 * @param duration the media duration recorded
 * @param size     the file's size in bytes
 */
public record RecordEndEvent(ClientInfo client, StreamKey stream, Map<String, String> params,
                             Instant time, String recordId, Path path, Duration duration, long size)
        implements MediaEvent {

    public RecordEndEvent {
        params = EventParams.copy(params);
    }
}
