package io.livehub.isobmff;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Writes the {@code ftyp} and {@code moov} of a progressive MP4 (ISO/IEC 14496-12 §8.1 to §8.7)
 * whose {@code moov} comes before the {@code mdat} ("fast start"), so a player can seek before it
 * has the whole file. The caller writes the {@code mdat} after it: a header
 * ({@link BoxWriter#writeHeader}) and the samples at the offsets its {@link SampleTable}s hold.
 *
 * <h2>Timing</h2>
 * All tracks share one timeline (for a recording, the first decode time of the file). Each
 * track gets an edit list (§8.6.6) when it needs one:
 * <ul>
 *   <li>an empty edit as long as the track starts after the earliest track, so audio and video
 *       keep their offset (to the millisecond, the movie timescale);
 *   <li>an edit that starts the media at its earliest composition time, so a video whose first
 *       frame is presented after its decode time (B-frames: a positive composition offset)
 *       starts playing at once instead of after a gap.
 * </ul>
 * A track that starts with the presentation and whose first composition offset is 0 has none.
 *
 * <p>Chunk offsets are written as {@code stco}, or {@code co64} for every track when one does
 * not fit 32 bits ({@link #needsCo64}). Durations of 2^32 ticks or more use version 1 of
 * {@code mvhd}, {@code tkhd}, {@code mdhd} and {@code elst}.
 *
 * <p>Thread-safety: stateless.
 */
public final class ProgressiveMovieEncoder {

    /**
     * The {@code ftyp} of a progressive file: {@code isom} with {@code iso2} (composition
     * offsets, edit lists), {@code avc1} and {@code mp41}, which every MP4 reader knows.
     */
    public static final FileType FILE_TYPE = new FileType("isom", 0x200, List.of("isom", "iso2", "avc1", "mp41"));

    private static final long MAX_U32 = 0xFFFF_FFFFL;
    private static final int MOVIE_TIMESCALE = InitSegmentEncoder.MOVIE_TIMESCALE;

    private ProgressiveMovieEncoder() {
    }

    /**
     * Returns whether a file whose {@code mdat} payload starts at {@code payloadStart} and holds
     * {@code payloadLength} bytes needs 64-bit chunk offsets.
     */
    public static boolean needsCo64(long payloadStart, long payloadLength) {
        return payloadStart + payloadLength > MAX_U32;
    }

    /**
     * Returns {@link #FILE_TYPE}'s {@code ftyp} followed by the {@code moov} of {@code tracks},
     * whose chunk offsets are {@code payloadStart} plus the offsets in the tables.
     *
     * <p>The length of the result does not depend on {@code payloadStart}, so a caller encodes
     * once with 0 to learn it, then again with the real start.
     *
     * <p>Ownership: the caller releases the returned buffer.
     *
     * @throws IllegalArgumentException when {@code tracks} is empty or two share a {@code track_ID}
     */
    public static ByteBuf encode(List<ProgressiveTrack> tracks, long payloadStart, boolean co64,
            ByteBufAllocator alloc) {
        if (tracks.isEmpty()) {
            throw new IllegalArgumentException("a movie needs at least one track");
        }
        Set<Integer> ids = new HashSet<>();
        int nextTrackId = 1;
        double start = Double.MAX_VALUE;
        for (ProgressiveTrack t : tracks) {
            if (!ids.add(t.trackId())) {
                throw new IllegalArgumentException("two tracks with track_ID " + t.trackId());
            }
            nextTrackId = Math.max(nextTrackId, t.trackId() + 1);
            if (t.samples().sampleCount() > 0) {
                start = Math.min(start, t.presentationStartSeconds());
            }
        }
        if (start == Double.MAX_VALUE) {
            start = 0;
        }
        long[] emptyEdits = new long[tracks.size()];
        long[] trackDurations = new long[tracks.size()];
        long movieDuration = 0;
        for (int i = 0; i < tracks.size(); i++) {
            ProgressiveTrack t = tracks.get(i);
            SampleTable s = t.samples();
            emptyEdits[i] = s.sampleCount() == 0 ? 0
                    : Math.round((t.presentationStartSeconds() - start) * MOVIE_TIMESCALE);
            trackDurations[i] = emptyEdits[i] + toMovie(s.presentationDuration(), t.timescale());
            movieDuration = Math.max(movieDuration, trackDurations[i]);
        }
        ByteBuf out = alloc.buffer(4096);
        try {
            BoxWriter w = new BoxWriter(out);
            FILE_TYPE.write(w, "ftyp");
            w.begin("moov");
            InitSegmentEncoder.writeMvhd(w, nextTrackId, movieDuration);
            for (int i = 0; i < tracks.size(); i++) {
                ProgressiveTrack t = tracks.get(i);
                long empty = emptyEdits[i];
                long trackDuration = trackDurations[i];
                InitSegmentEncoder.TrakSpec spec = new InitSegmentEncoder.TrakSpec(t.trackId(), t.video(),
                        t.timescale(), t.width(), t.height(), trackDuration, t.samples().mediaDuration());
                InitSegmentEncoder.writeTrak(w, spec, edits(t, empty, trackDuration - empty),
                        sw -> sw.bytes(t.stsd()), sw -> t.samples().write(sw, payloadStart, co64));
            }
            w.end(); // moov
            return out;
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
    }

    /** Returns the writer of a track's {@code edts}, or null when it needs no edit list. */
    private static Consumer<BoxWriter> edits(ProgressiveTrack t, long empty, long mediaEdit) {
        // A media_time below 0 is not an edit (-1 means empty, §8.6.6.3): a track presented
        // before its first decode time (signed composition offsets) starts at media time 0.
        long mediaTime = Math.max(0, t.samples().minCompositionTime());
        if (empty == 0 && mediaTime == 0 || t.samples().sampleCount() == 0) {
            return null;
        }
        return w -> {
            boolean v1 = empty > MAX_U32 || mediaEdit > MAX_U32 || mediaTime > Integer.MAX_VALUE;
            w.begin("edts").beginFull("elst", v1 ? 1 : 0, 0).u32(empty > 0 ? 2 : 1);
            if (empty > 0) {
                entry(w, v1, empty, -1); // media_time -1: an empty edit, nothing is presented
            }
            entry(w, v1, mediaEdit, mediaTime);
            w.end().end();
        };
    }

    /** Writes an {@code elst} entry (§8.6.6.2) with media_rate 1.0. */
    private static void entry(BoxWriter w, boolean v1, long segmentDuration, long mediaTime) {
        if (v1) {
            w.u64(segmentDuration).u64(mediaTime);
        } else {
            w.u32(segmentDuration).u32(mediaTime);
        }
        w.u16(1).u16(0); // media_rate_integer, media_rate_fraction
    }

    private static long toMovie(long ticks, int timescale) {
        return Math.round((double) ticks * MOVIE_TIMESCALE / timescale);
    }
}
