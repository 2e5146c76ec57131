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
 * {@code mdat} per segment, or with LL-HLS parts one {@code moof} + {@code mdat} per part after
 * the segment's {@code styp}, all tracks muxed, after one init segment ({@code ftyp} +
 * {@code moov}) that {@code EXT-X-MAP} names.
 *
 * <p>Thread-safety and ownership: see {@link SegmentWriter}. Samples are retained slices of
 * the frames' payloads, so a segment holds no copy of the media.
 */
final class Fmp4SegmentWriter implements SegmentWriter {

    private static final Timebase MICROS = new Timebase(1, 1_000_000);
    /** Room left below the first frame when a timeline starting before zero is shifted. */
    private static final long SHIFT_MARGIN_MICROS = 1_000_000;

    private final FragmentBuilder builder;
    private final ByteBufAllocator alloc;
    private ByteBuf init;
    private long bytes;
    /** Added to every timestamp so that decode times are never negative; -1 before the first frame. */
    private long shiftMicros = -1;

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
        add(frame);
        bytes += frame.content().readableBytes();
    }

    /**
     * Adds a frame to the builder. A {@code tfdt} is unsigned, so a timeline that starts below
     * zero (a B-frame stream whose ingest kept negative decode times) is shifted up as a whole;
     * a frame still below zero after the shift cannot be written and is left out.
     */
    private void add(MediaFrame frame) {
        if (shiftMicros < 0) {
            long us = frame.track().timebase().rescale(frame.dts(), MICROS);
            shiftMicros = us < 0 ? SHIFT_MARGIN_MICROS - us : 0;
        }
        if (shiftMicros == 0) {
            builder.add(frame);
            return;
        }
        long shift = MICROS.rescale(shiftMicros, frame.track().timebase());
        if (frame.dts() + shift < 0) {
            return;
        }
        MediaFrame shifted = frame.retainedDuplicate().withTimestamps(frame.dts() + shift, frame.pts() + shift);
        try {
            builder.add(shifted);
        } finally {
            shifted.release();
        }
    }

    @Override
    public long bytes() {
        return bytes;
    }

    @Override
    public ByteBuf cutBefore(MediaFrame next) {
        // The added frame is held back: it gives the samples before it their durations and
        // opens the next fragment.
        add(next);
        Fragment f = builder.flush(alloc);
        builder.startSegment();
        bytes = next.content().readableBytes();
        return f == null ? null : f.content();
    }

    @Override
    public ByteBuf cutPart(MediaFrame next) {
        // As in cutBefore: the held-back frame opens the next part, without a styp.
        add(next);
        Fragment f = builder.flush(alloc);
        bytes += next.content().readableBytes();
        return f == null ? null : f.content();
    }

    @Override
    public ByteBuf finish(long endMicros) {
        Fragment f = builder.flushAll(alloc, endMicros + Math.max(0, shiftMicros), MICROS);
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
