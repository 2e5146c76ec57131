package io.livehub.ts;

import io.livehub.media.MediaFrame;
import io.livehub.media.Track;

/**
 * Receives what a {@link TsDemuxer} reads from a transport stream (ITU-T H.222.0): the tracks
 * as they become known or change, and the frames, in stream order; a frame's track was given
 * to {@link #onTrack} first.
 *
 * <p>Thread-safety: called on the thread that calls the demuxer.
 */
public interface TsDemuxerListener {

    /** Tells that a track is known or has a new codec configuration; later frames carry it. */
    default void onTrack(Track track) {
    }

    /**
     * Delivers one frame.
     *
     * <p>Ownership: transferred; the listener passes the frame on or releases it, also when it
     * throws.
     */
    void onFrame(MediaFrame frame);
}
