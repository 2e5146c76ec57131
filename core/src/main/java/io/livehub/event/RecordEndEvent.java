package io.livehub.event;

import io.livehub.media.StreamKey;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * A recording of a stream ended (SRS Stack {@code on_record_end}, SRS {@code on_dvr}): cleanly,
 * with a failure, or found unfinished after a crash and finished at the next start.
 *
 * @param recordId     the id given in the matching {@link RecordBeginEvent}
 * @param path         the finished file, or null when no file is left (nothing was recorded)
 * @param duration     the media duration recorded
 * @param size         the file's size in bytes
 * @param artifactCode 0 when the recording ended cleanly, else a code saying why it did not
 *                     (SRS Stack {@code artifact_code}); the recorder documents its codes
 * @param url          where the finished file is served (SRS Stack {@code artifact_url}), or
 *                     empty when the recorder does not know
 */
public record RecordEndEvent(ClientInfo client, StreamKey stream, Map<String, String> params,
                             Instant time, String recordId, Path path, Duration duration, long size,
                             int artifactCode, String url)
        implements MediaEvent {

    public RecordEndEvent {
        params = EventParams.copy(params);
        url = url == null ? "" : url;
    }

    /** Makes the event of a recording that ended cleanly ({@code artifactCode} 0) with no URL. */
    public RecordEndEvent(ClientInfo client, StreamKey stream, Map<String, String> params, Instant time,
                          String recordId, Path path, Duration duration, long size) {
        this(client, stream, params, time, recordId, path, duration, size, 0, "");
    }
}
