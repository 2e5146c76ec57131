package io.livehub.srt.internal;

import io.livehub.media.MediaFrame;
import io.livehub.srt.SrtPayloadDemuxer;
import io.livehub.ts.TsDemuxer;
import io.livehub.ts.TsDemuxerListener;
import io.netty.buffer.ByteBuf;
import java.util.function.Consumer;

/**
 * Turns the MPEG-TS payloads of one SRT publisher into hub frames (the publisher side, wire to
 * frames) with core's {@link TsDemuxer}. SRT senders put whole TS packets in each payload;
 * the bytes of a packet cut across payloads are not kept.
 *
 * <p>Thread-safety: confined to the connection's event loop.
 */
public final class SrtIngest implements SrtPayloadDemuxer {

    private final TsDemuxer demuxer = new TsDemuxer();

    @Override
    public void decode(ByteBuf payload, Consumer<MediaFrame> out) {
        demuxer.decode(payload.duplicate(), out::accept);
    }

    @Override
    public void flush(Consumer<MediaFrame> out) {
        demuxer.flush(out::accept);
    }

    @Override
    public void close() {
        demuxer.close();
    }

    /** Returns the demuxer, for its counters. */
    public TsDemuxer demuxer() {
        return demuxer;
    }
}
