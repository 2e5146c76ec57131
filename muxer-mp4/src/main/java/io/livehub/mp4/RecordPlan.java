package io.livehub.mp4;

/**
 * Says when a recording starts a new file, as SRS's {@code dvr_plan} does.
 *
 * <p>Whatever the plan, a new file also starts when the publisher reconnects, when a track
 * changes its codec configuration, and when timestamps jump by more than
 * {@link RecordConfig#maxTimestampJump()}.
 */
public enum RecordPlan {
    /** One file per publish (SRS {@code session}). */
    SESSION,
    /**
     * A new file every {@link RecordConfig#segmentDuration()}, at the next video keyframe
     * (SRS {@code segment}), so each file starts with a keyframe and plays on its own.
     */
    SEGMENT
}
