package io.livehub.push;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * Tells what a push task is doing, as OvenMediaEngine's push API reports it: a snapshot, taken
 * without waiting for the task.
 *
 * <p>Thread-safety: immutable.
 *
 * @param spec            what the task was started with
 * @param state           where the task is
 * @param sentBytes       bytes sent on the current (or last) connection
 * @param sentTimeMillis  how long the current (or last) connection pushed, ms
 * @param sequence        connections made: 0 before the first, +1 on every reconnect
 * @param totalSentBytes  bytes sent on every connection
 * @param totalSentTimeMillis how long every connection pushed together, ms
 * @param droppedFrames   times the task's queue overflowed and dropped to the next keyframe
 *                        because the destination fell behind
 * @param createdTime     when the task was made
 * @param startTime       when the current (or last) connection started pushing, or null
 * @param finishTime      when the task stopped, or null
 * @param lastError       why the last connection failed, or null
 * @param retryAttempt    failed connections in a row (the next retry's number), 0 when pushing
 */
public record PushTaskInfo(PushTaskSpec spec, PushState state, long sentBytes, long sentTimeMillis, long sequence,
                           long totalSentBytes, long totalSentTimeMillis, long droppedFrames, Instant createdTime,
                           Instant startTime, Instant finishTime, String lastError, int retryAttempt) {

    /**
     * Formats times as OvenMediaEngine does ({@code 2023-03-15T23:02:34.371+09:00}, in the
     * server's zone), with the epoch for a time that did not happen yet.
     */
    public static final DateTimeFormatter TIME_FORMAT =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSxxx").withZone(ZoneId.systemDefault());

    /** Returns the task id. */
    public String id() {
        return spec.id();
    }

    /** Returns {@code t} in {@link #TIME_FORMAT}; null as the epoch. */
    public static String format(Instant t) {
        return TIME_FORMAT.format(t == null ? Instant.EPOCH : t);
    }
}
