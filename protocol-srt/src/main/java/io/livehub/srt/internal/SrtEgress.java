package io.livehub.srt.internal;

import io.livehub.hub.LiveStream;
import io.livehub.media.EgressForms;
import io.livehub.media.MediaFrame;
import io.livehub.srt.SrtPayloadMuxer;
import io.livehub.ts.TsChunker;
import io.livehub.ts.TsFrameWriter;
import io.livehub.ts.TsMuxerConfig;
import io.livehub.ts.TsPacket;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns hub frames into the MPEG-TS payloads of one SRT player (the player side, frames to
 * wire). Each frame's transport packets are encoded once per stream and shared by every
 * player ({@link io.livehub.ts.TsFrameForm}); this player's {@link TsFrameWriter} copies them
 * with its own continuity counters, PAT and PMT, and {@link TsChunker} cuts whole packets into
 * payloads of at most the payload size. A frame's packets are sent at once (its last payload
 * may hold fewer packets), so nothing waits for the next frame.
 *
 * <p>Thread-safety: confined to the connection's event loop.
 */
public final class SrtEgress implements SrtPayloadMuxer {

    private static final Logger log = LoggerFactory.getLogger(SrtEgress.class);

    private final TsFrameWriter writer;
    private final TsChunker chunker;
    private final List<ByteBuf> chunks = new ArrayList<>(8);
    private final ByteBufAllocator alloc;
    private boolean warned;

    /**
     * Makes the egress of one player whose payloads hold at most {@code payloadSize} bytes; the
     * frames' shared TS packets are cached in the server's {@code forms}.
     */
    public SrtEgress(int payloadSize, ByteBufAllocator alloc, EgressForms forms) {
        this.alloc = alloc;
        this.writer = new TsFrameWriter(TsMuxerConfig.defaults(), forms);
        this.chunker = new TsChunker(alloc, Math.max(1, Math.min(64, payloadSize / TsPacket.SIZE)));
    }

    @Override
    public void onPublish(LiveStream stream) {
        writer.tracks(stream.videoTrack(), stream.audioTrack());
    }

    @Override
    public void encode(MediaFrame frame, Consumer<ByteBuf> out) {
        if (!writer.accepts(frame)) {
            return;
        }
        int size = frame.content().readableBytes();
        // The packets (payload plus about 2%, see TsFrameForm) and a PAT and a PMT.
        ByteBuf ts = alloc.buffer(size + size / 40 + 4 * TsPacket.SIZE);
        try {
            writer.write(frame, ts);
            chunker.addAndFlush(ts, chunks);
        } catch (RuntimeException e) {
            // The publisher's frame or track cannot be written as TS: this player skips it.
            if (!warned) {
                warned = true;
                log.warn("srt player: skipping frames that MPEG-TS cannot carry: {}", e.toString());
            }
            return;
        } finally {
            ts.release();
        }
        try {
            for (int i = 0; i < chunks.size(); i++) {
                ByteBuf c = chunks.get(i);
                chunks.set(i, null);
                out.accept(c);
            }
        } finally {
            for (ByteBuf c : chunks) {
                if (c != null) {
                    c.release();
                }
            }
            chunks.clear();
        }
    }

    @Override
    public void close() {
        chunker.close();
    }
}
