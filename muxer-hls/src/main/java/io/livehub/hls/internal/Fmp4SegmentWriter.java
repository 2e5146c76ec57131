package io.livehub.hls.internal;

import io.livehub.isobmff.Fragment;
import io.livehub.isobmff.FragmentBuilder;
import io.livehub.isobmff.InitSegmentEncoder;
import io.livehub.isobmff.IsoTrack;
import io.livehub.media.MediaFrame;
import io.livehub.media.Timebase;
import io.livehub.media.Track;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.List;

/**
 * Writes fragmented-MP4 media segments (RFC 8216 §3.3): one {@code styp} + {@code moof} +
 * {@code mdat} per segment, all tracks muxed, after one init segment ({@code ftyp} +
 * {@code moov}) that {@code EXT-X-MAP} names.
 *
 * <p>Thread-safety and ownership: see {@link SegmentWriter}. Samples are retained slices of
 * the frames' payloads, so a segment holds no copy of the media.
 */
final class Fmp4SegmentWriter implements SegmentWriter {

    private static final Timebase MICROS = new Timebase(1, 1_000_000);

    private final FragmentBuilder builder;
    private final ByteBufAllocator alloc;
    private ByteBuf init;
    private long bytes;

    /** @throws IllegalArgumentException when a track cannot be carried in ISO-BMFF */
    Fmp4SegmentWriter(List<Track> tracks, ByteBufAllocator alloc) {
        List<IsoTrack> iso = IsoTrack.of(tracks);
        this.alloc = alloc;
        this.init = InitSegmentEncoder.encode(iso, alloc);
        this.builder = new FragmentBuilder(iso);
    }

    @Override
    public void begin(MediaFrame first) {
        builder.startSegment();
        bytes = 0;
        write(first);
    }

    @Override
    public void write(MediaFrame frame) {
        builder.add(frame);
        bytes += frame.content().readableBytes();
    }

    @Override
    public long bytes() {
        return bytes;
    }

    @Override
    public ByteBuf cutBefore(MediaFrame next) {
        // The added frame is held back: it gives the samples before it their durations and
        // opens the next fragment.
        builder.add(next);
        Fragment f = builder.flush(alloc);
        builder.startSegment();
        bytes = next.content().readableBytes();
        return f == null ? null : f.content();
    }

    @Override
    public ByteBuf finish(long endMicros) {
        Fragment f = builder.flushAll(alloc, endMicros, MICROS);
        bytes = 0;
        return f == null ? null : f.content();
    }

    @Override
    public ByteBuf takeInit() {
        ByteBuf b = init;
        init = null;
        return b;
    }

    @Override
    public void close() {
        builder.close();
        if (init != null) {
            init.release();
            init = null;
        }
    }
}
