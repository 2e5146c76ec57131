package io.livehub.event;

import io.livehub.media.StreamKey;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/**
 * A recording of a stream began (SRS Stack {@code on_record_begin}).
 *
 * @param recordId a unique id of this recording (SRS Stack {@code uuid})
 * @param path     the file being written
 */
public record RecordBeginEvent(ClientInfo client, StreamKey stream, Map<String, String> params,
                               Instant time, String recordId, Path path) implements MediaEvent {

    public RecordBeginEvent {
        params = EventParams.copy(params);
    }
}
