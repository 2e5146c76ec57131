package io.livehub.srt;

import io.livehub.hub.LiveStream;
import io.livehub.media.MediaFrame;
import io.netty.buffer.ByteBuf;
import java.util.function.Consumer;

/**
 * Turns hub frames into the payloads of a playing SRT connection (frames in, chunks out).
 *
 * <p>Thread-safety: confined to the connection's event loop.
 */
public interface SrtPayloadMuxer {

    /**
     * Encodes one frame and emits the payloads that are complete.
     *
     * <p>Ownership: {@code frame} is borrowed; each emitted payload belongs to {@code out}.
     */
    void encode(MediaFrame frame, Consumer<ByteBuf> out);

    /**
     * Tells that a publication of the played stream starts; its tracks, when already known,
     * let the muxer describe every track from the first payload on.
     */
    default void onPublish(LiveStream stream) {
    }

    /** Releases what the muxer holds; called once when the connection ends. */
    default void close() {
    }
}
