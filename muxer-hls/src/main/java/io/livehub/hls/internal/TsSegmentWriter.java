package io.livehub.hls.internal;

import io.livehub.media.MediaFrame;
import io.livehub.media.Track;
import io.livehub.ts.TsMuxer;
import io.livehub.ts.TsMuxerConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.List;

/**
 * Writes MPEG-TS media segments (RFC 8216 §3.2): each one starts with a PAT and a PMT, so it
 * can be decoded on its own, and continues the continuity counters of the one before.
 *
 * <p>Thread-safety and ownership: see {@link SegmentWriter}.
 */
final class TsSegmentWriter implements SegmentWriter {

    /** Two seconds of a few Mbit/s; the buffer grows beyond when needed. */
    private static final int INITIAL_CAPACITY = 256 << 10;

    private final TsMuxer muxer;
    private final ByteBufAllocator alloc;
    private ByteBuf out;

    /** @throws IllegalArgumentException when a track cannot be carried in MPEG-TS */
    TsSegmentWriter(List<Track> tracks, ByteBufAllocator alloc) {
        this.muxer = new TsMuxer(TsMuxerConfig.defaults(), tracks);
        this.alloc = alloc;
    }

    @Override
    public void begin(MediaFrame first) {
        if (out != null) {
            out.release();
        }
        out = alloc.buffer(INITIAL_CAPACITY);
        muxer.writePsi(out);
        muxer.write(first, out);
    }

    @Override
    public void write(MediaFrame frame) {
        muxer.write(frame, out);
    }

    @Override
    public long bytes() {
        return out == null ? 0 : out.readableBytes();
    }

    @Override
    public ByteBuf cutBefore(MediaFrame next) {
        ByteBuf done = out;
        out = null;
        begin(next);
        return done;
    }

    @Override
    public ByteBuf finish(long endMicros) {
        ByteBuf done = out;
        out = null;
        return done;
    }

    @Override
    public ByteBuf takeInit() {
        return null;
    }

    @Override
    public void close() {
        if (out != null) {
            out.release();
            out = null;
        }
    }
}
