package io.livehub.rtmp.client;

import io.livehub.media.MediaFrame;
import io.livehub.media.Track;
import java.util.Map;

/**
 * Receives what a played stream carries (RTMP spec §7.1: audio, video and data messages),
 * converted to the hub's media model by {@link io.livehub.flv.FlvMediaDecoder}.
 *
 * <p>Thread-safety: every method is called on the session's event loop, one call at a time, and
 * must not block: hand long work to another thread. Calls start after the play stage completed.
 */
public interface RtmpPlayListener {

    /** Delivers the stream's {@code onMetaData} values (also when sent as {@code @setDataFrame}). */
    default void onMetadata(Map<String, Object> metadata) {
    }

    /**
     * Tells that a sequence header brought a new codec configuration. The frames that follow
     * carry this very {@link Track} object, so comparing tracks by identity tells a change.
     */
    default void onTrack(Track track) {
    }

    /**
     * Delivers a frame in canonical form (4-byte length-prefixed NAL units for H.264 and H.265,
     * raw frames for AAC and Opus), with its dts and pts in milliseconds, 32-bit wrap-around
     * undone.
     *
     * <p>Ownership: borrowed; the session releases the frame when this method returns. Call
     * {@link MediaFrame#retain()} to keep it, and release it later.
     */
    void onFrame(MediaFrame frame);

    /**
     * Reports an {@code onStatus} the server sent after {@code NetStream.Play.Start}, such as
     * {@code NetStream.Play.PublishNotify} when a new publisher starts.
     */
    default void onStatus(String level, String code, String description) {
    }

    /**
     * Tells that the publisher stopped ({@code NetStream.Play.UnpublishNotify} or
     * {@code NetStream.Play.Stop}); the session stays open and frames resume when a publisher
     * starts again.
     */
    default void onUnpublish() {
    }

    /**
     * Tells that the session ended; called once, last.
     *
     * @param cause null when {@link RtmpPlaySession#close()} ended it, else why the connection
     *     ended (an {@link RtmpClientException}, an {@link RtmpStatusException} for an error status)
     */
    default void onClose(Throwable cause) {
    }
}
