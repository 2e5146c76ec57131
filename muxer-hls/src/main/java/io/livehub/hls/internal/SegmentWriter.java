package io.livehub.hls.internal;

import io.livehub.media.MediaFrame;
import io.netty.buffer.ByteBuf;

/**
 * Writes the frames of one stream into consecutive media segments of one container, cut where
 * the caller says.
 *
 * <p>Thread-safety: not thread-safe; confined to the muxer's thread.
 *
 * <p>Ownership: frames are borrowed; the caller releases every returned buffer and
 * {@link #close()}s the writer to release what it holds.
 */
interface SegmentWriter extends AutoCloseable {

    /** Starts a segment whose first frame is {@code first}. */
    void begin(MediaFrame first);

    /** Adds a frame to the open segment. */
    void write(MediaFrame frame);

    /** Returns how many bytes the open segment holds so far (approximately for fMP4). */
    long bytes();

    /**
     * Ends the open segment before {@code next} and starts the following one with it.
     *
     * @return the bytes of the ended segment since the last {@link #cutPart}, or null when
     *     there are none
     */
    ByteBuf cutBefore(MediaFrame next);

    /**
     * Ends the open part (LL-HLS partial segment) before {@code next}, which opens the next
     * part of the same segment. The parts of a segment, concatenated, are the segment.
     *
     * @return the bytes of the ended part, or null when it is empty
     */
    ByteBuf cutPart(MediaFrame next);

    /**
     * Ends the open segment at {@code endMicros} (the end of the stream or of a timeline).
     *
     * @return its bytes since the last {@link #cutPart}, or null when there are none
     */
    ByteBuf finish(long endMicros);

    /**
     * Returns the init segment for {@code EXT-X-MAP}, once, or null for containers without
     * one. Ownership: the caller releases it.
     */
    ByteBuf takeInit();

    @Override
    void close();
}
