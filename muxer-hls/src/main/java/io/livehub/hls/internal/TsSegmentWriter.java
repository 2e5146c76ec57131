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
 * can be decoded on its own, and continues the continuity counters of the one before. With
 * LL-HLS parts each part is its own buffer (the first of a segment with the PAT and PMT), so a
 * part handed to readers is never reallocated while the muxer goes on writing.
 *
 * <p>Thread-safety and ownership: see {@link SegmentWriter}.
 */
final class TsSegmentWriter implements SegmentWriter {

    /** Two seconds of a few Mbit/s; the buffer grows beyond when needed. */
    private static final int INITIAL_CAPACITY = 256 << 10;

    /** A part of a few hundred milliseconds. */
    private static final int PART_CAPACITY = 32 << 10;

    private final TsMuxer muxer;
    private final ByteBufAllocator alloc;
    private ByteBuf out;
    /** Bytes of the open segment in parts already cut. */
    private long cutBytes;

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
        cutBytes = 0;
        muxer.writePsi(out);
        muxer.write(first, out);
    }

    @Override
    public void write(MediaFrame frame) {
        muxer.write(frame, out);
    }

    @Override
    public long bytes() {
        return cutBytes + (out == null ? 0 : out.readableBytes());
    }

    @Override
    public ByteBuf cutBefore(MediaFrame next) {
        ByteBuf done = take();
        begin(next);
        return done;
    }

    @Override
    public ByteBuf cutPart(MediaFrame next) {
        ByteBuf done = take();
        if (done != null) {
            cutBytes += done.readableBytes();
        }
        out = alloc.buffer(PART_CAPACITY);
        muxer.write(next, out);
        return done;
    }

    @Override
    public ByteBuf finish(long endMicros) {
        ByteBuf done = take();
        cutBytes = 0;
        return done;
    }

    /** Returns the open buffer, or null (released) when it is empty. */
    private ByteBuf take() {
        ByteBuf done = out;
        out = null;
        if (done != null && !done.isReadable()) {
            done.release();
            return null;
        }
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
