package io.livehub.media;

/**
 * Receives what an ingest decoder makes of its input (FLV tags, MPEG-TS packets, RTP packets, a
 * file's samples): the tracks as their configuration becomes known or changes, and the frames.
 *
 * <p>Thread-safety: called on the decoder's thread, one call at a time.
 */
public interface MediaSink {

    /**
     * Tells of a new track, or of a new configuration of a track (same id). Frames of that track
     * that follow carry it as {@link MediaFrame#track()}.
     */
    default void onTrack(Track track) {
    }

    /**
     * Delivers one frame.
     *
     * <p>Ownership: the frame belongs to the sink, which publishes it (handing its reference on)
     * or releases it.
     */
    void onFrame(MediaFrame frame);
}
