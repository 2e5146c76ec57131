package io.livehub.srt;

import io.livehub.media.MediaFrame;
import java.util.function.Consumer;

/**
 * Turns the payloads of a publishing SRT connection into hub frames (bytes in, frames out).
 *
 * <p>Thread-safety: confined to the connection's event loop.
 */
public interface SrtPayloadDemuxer {

    /**
     * Consumes one payload, in delivery order, and emits the frames it completes.
     *
     * <p>Ownership: {@code payload} is borrowed; each emitted frame belongs to {@code out}.
     *
     * @throws io.livehub.media.MalformedMediaException when the bytes break the format; the
     *         connection is closed
     */
    void decode(io.netty.buffer.ByteBuf payload, Consumer<MediaFrame> out);

    /**
     * Emits the frames still held when the stream ends (in MPEG-TS, a video PES ends only
     * when the next one starts, so the last frame waits here); called once, before
     * {@link #close()}, when the publisher's connection ends.
     *
     * <p>Ownership: each emitted frame belongs to {@code out}.
     */
    default void flush(Consumer<MediaFrame> out) {
    }

    /** Releases what the demuxer holds; called once when the connection ends. */
    default void close() {
    }
}
