package io.livehub.isobmff;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;
import java.util.List;

/**
 * Holds one movie fragment as written by {@link FragmentBuilder}: the bytes of an optional
 * {@code styp}, a {@code moof} and its {@code mdat} (ISO/IEC 14496-12 §8.8.4; a CMAF chunk or
 * fragment, an LL-HLS part), and what an HLS muxer needs to list it: each track's start time,
 * duration and sample count and whether it starts with a sync sample.
 *
 * <p>Ownership: the holder owns its content, a {@code CompositeByteBuf} of the box headers and
 * retained slices of the frames' payloads; whoever receives a fragment releases it (or writes
 * its content, which releases it). The payload slices are shared with the hub's frames:
 * treat the content as read-only.
 *
 * <p>Thread-safety: the metadata is immutable; the content is a ByteBuf and follows its rules.
 */
public final class Fragment extends DefaultByteBufHolder {

    /**
     * Describes the samples of one track in a fragment (one {@code traf}).
     *
     * @param track the track
     * @param baseMediaDecodeTime the {@code tfdt} time of the first sample, in the media timescale
     * @param duration the sum of the sample durations, in the media timescale
     * @param sampleCount how many samples
     * @param startsWithSync whether the first sample is a sync sample (a keyframe for video)
     */
    public record Run(IsoTrack track, long baseMediaDecodeTime, long duration, int sampleCount,
            boolean startsWithSync) {

        /** Returns the duration in seconds. */
        public double durationSeconds() {
            return (double) duration / track.timescale();
        }

        /** Returns the start time in seconds. */
        public double startSeconds() {
            return (double) baseMediaDecodeTime / track.timescale();
        }
    }

    private final long sequenceNumber;
    private final boolean startsSegment;
    private final List<Run> runs;

    Fragment(ByteBuf content, long sequenceNumber, boolean startsSegment, List<Run> runs) {
        super(content);
        this.sequenceNumber = sequenceNumber;
        this.startsSegment = startsSegment;
        this.runs = List.copyOf(runs);
    }

    /** Returns the {@code mfhd} {@code sequence_number}. */
    public long sequenceNumber() {
        return sequenceNumber;
    }

    /** Returns whether the content begins with a {@code styp}: the first fragment of a segment. */
    public boolean startsSegment() {
        return startsSegment;
    }

    /** Returns one run per track that has samples in this fragment, in {@code traf} order. */
    public List<Run> runs() {
        return runs;
    }

    /** Returns the run of the track with {@code trackId}, or null when it has no samples here. */
    public Run run(int trackId) {
        for (Run r : runs) {
            if (r.track().trackId() == trackId) {
                return r;
            }
        }
        return null;
    }

    /**
     * Returns whether a player can start decoding at this fragment: every video run starts with
     * a sync sample (an LL-HLS {@code INDEPENDENT=YES} part). Audio-only fragments are always
     * independent.
     */
    public boolean independent() {
        for (Run r : runs) {
            if (r.track().isVideo() && !r.startsWithSync()) {
                return false;
            }
        }
        return true;
    }

    /** Returns the longest run's duration in seconds, the fragment's duration for a playlist. */
    public double durationSeconds() {
        double d = 0;
        for (Run r : runs) {
            d = Math.max(d, r.durationSeconds());
        }
        return d;
    }

    @Override
    public Fragment copy() {
        return replace(content().copy());
    }

    @Override
    public Fragment duplicate() {
        return replace(content().duplicate());
    }

    @Override
    public Fragment retainedDuplicate() {
        return replace(content().retainedDuplicate());
    }

    /** Returns a fragment with this one's metadata and {@code content}, whose reference it takes. */
    @Override
    public Fragment replace(ByteBuf content) {
        return new Fragment(content, sequenceNumber, startsSegment, runs);
    }

    @Override
    public Fragment retain() {
        super.retain();
        return this;
    }

    @Override
    public Fragment retain(int increment) {
        super.retain(increment);
        return this;
    }

    @Override
    public Fragment touch() {
        super.touch();
        return this;
    }

    @Override
    public Fragment touch(Object hint) {
        super.touch(hint);
        return this;
    }

    @Override
    public String toString() {
        return "Fragment[seq=" + sequenceNumber + (startsSegment ? " styp" : "") + " " + runs + " "
                + (refCnt() > 0 ? content().readableBytes() + "B]" : "released]");
    }
}
