package io.livehub.srt;

import io.livehub.hub.LiveStream;
import io.livehub.media.MediaFrame;
import io.livehub.media.Track;
import io.livehub.ts.TsDemuxer;
import io.livehub.ts.TsMuxer;
import io.livehub.ts.TsMuxerConfig;
import io.livehub.ts.TsPacket;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Carries MPEG-TS in SRT payloads, as every SRT encoder and player does: seven 188-byte TS
 * packets per payload (1316 bytes) by default. Ingest demuxes with core's {@link TsDemuxer};
 * playback muxes with a {@link TsMuxer} per player, and sends each frame's packets at once
 * (the last payload of a frame may hold fewer than seven packets) so nothing waits for the
 * next frame.
 *
 * <p>Thread-safety: the format is stateless; each demuxer and muxer is confined to its
 * connection's event loop.
 */
public final class TsPayloadFormat implements SrtPayloadFormat {

    /** The shared instance. */
    public static final TsPayloadFormat INSTANCE = new TsPayloadFormat();

    private TsPayloadFormat() {
    }

    @Override
    public SrtPayloadDemuxer newDemuxer() {
        return new Demuxer();
    }

    @Override
    public SrtPayloadMuxer newMuxer(int payloadSize) {
        return new Muxer(payloadSize);
    }

    private static final class Demuxer implements SrtPayloadDemuxer {
        private final TsDemuxer demuxer = new TsDemuxer();
        private final List<Object> out = new ArrayList<>();

        @Override
        public void decode(ByteBuf payload, Consumer<MediaFrame> frames) {
            out.clear();
            try {
                demuxer.decode(payload.duplicate(), out);
                emit(frames);
            } finally {
                for (Object o : out) {
                    ReferenceCountUtil.release(o);
                }
                out.clear();
            }
        }

        /** Hands every frame in {@code out} to {@code frames}, clearing each slot as it goes. */
        private void emit(Consumer<MediaFrame> frames) {
            for (int i = 0; i < out.size(); i++) {
                Object o = out.get(i);
                out.set(i, null);
                if (o instanceof MediaFrame) {
                    frames.accept((MediaFrame) o);
                } else {
                    ReferenceCountUtil.release(o);
                }
            }
        }

        @Override
        public void flush(Consumer<MediaFrame> frames) {
            out.clear();
            try {
                demuxer.flush(out);
                emit(frames);
            } finally {
                for (Object o : out) {
                    ReferenceCountUtil.release(o);
                }
                out.clear();
            }
        }

        @Override
        public void close() {
            demuxer.close();
        }
    }

    private static final class Muxer implements SrtPayloadMuxer {
        private final int chunkBytes;
        private final TreeMap<Integer, Track> tracks = new TreeMap<>();
        private TsMuxer muxer;

        Muxer(int payloadSize) {
            this.chunkBytes = Math.max(1, payloadSize / TsPacket.SIZE) * TsPacket.SIZE;
        }

        @Override
        public void onPublish(LiveStream stream) {
            tracks.clear();
            muxer = null;
            if (stream.videoTrack() != null) {
                tracks.put(stream.videoTrack().id(), stream.videoTrack());
            }
            if (stream.audioTrack() != null) {
                tracks.put(stream.audioTrack().id(), stream.audioTrack());
            }
        }

        @Override
        public void encode(MediaFrame frame, Consumer<ByteBuf> out) {
            Track t = frame.track();
            if (muxer == null || tracks.get(t.id()) != t) {
                // A new track or a new codec configuration: a new program map describes it.
                tracks.put(t.id(), t);
                muxer = new TsMuxer(TsMuxerConfig.defaults(), List.copyOf(tracks.values()));
            }
            ByteBuf ts = muxer.write(frame, ByteBufAllocator.DEFAULT);
            try {
                while (ts.isReadable()) {
                    out.accept(ts.readRetainedSlice(Math.min(chunkBytes, ts.readableBytes())));
                }
            } finally {
                ts.release();
            }
        }
    }
}
