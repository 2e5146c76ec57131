package io.livehub.isobmff;

import io.livehub.codec.aac.AudioSpecificConfig;
import io.livehub.codec.av1.ObuHeader;
import io.livehub.codec.av1.ObuType;
import io.livehub.media.CodecId;
import io.livehub.media.MediaFrame;
import io.livehub.media.Timebase;
import io.livehub.media.Track;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Collects the frames of a set of tracks and cuts them into movie fragments ({@code moof} +
 * {@code mdat}, ISO/IEC 14496-12 §8.8) when the caller says: the fragmented-MP4 writer of fMP4
 * HLS segments, LL-HLS parts and CMAF chunks.
 *
 * <h2>Durations and cutting</h2>
 * ISO-BMFF stores a duration per sample, which a live frame does not carry: a sample lasts until
 * the next sample of its track. So {@link #add} holds each track's latest frame back until the
 * next frame of that track arrives and gives it its duration ({@code next.dts - dts}). Then:
 * <ul>
 *   <li>{@link #flush} writes every sample whose duration is known, and keeps each track's
 *       latest frame for the next fragment. To cut <em>before</em> a frame (a segment that ends
 *       where a keyframe begins), {@code add} that frame first and then {@code flush}: the frame
 *       is held back and opens the next fragment, and the samples before it end exactly at its
 *       dts.
 *   <li>{@link #flushAll(ByteBufAllocator, long, Timebase)} writes everything, giving each
 *       held-back frame the duration up to the explicit end time (for example the end of the
 *       stream, or a part boundary the caller has decided on).
 *   <li>{@link #flushAll(ByteBufAllocator)} writes everything, giving each held-back frame the
 *       last duration measured between two frames of its track (or, before there is one, a
 *       codec default: 1024 or 960 samples for AAC, 1152 for MP3, 20 ms for Opus, 1/30 s for video). For the
 *       end of a stream when no end time is known.
 * </ul>
 * {@link #startSegment} makes the next fragment begin with a {@code styp}, so that fragment and
 * those after it can be served as one CMAF segment and its first part.
 *
 * <h2>What is written</h2>
 * {@code moof} = {@code mfhd} (sequence numbers 1, 2, ... unless {@link #sequenceNumber(long)}
 * sets another start) and one {@code traf} per track with samples, in track order:
 * {@code tfhd} (default-base-is-moof), {@code tfdt} (version 1, the first sample's dts),
 * {@code trun} (data offset, per-sample duration, size and flags: sync samples have
 * {@code sample_depends_on} 2, others {@code sample_depends_on} 1 and
 * {@code sample_is_non_sync_sample}; composition offsets, version 1 and signed, when any sample
 * of the run has pts != dts). The {@code mdat} holds each track's samples in turn. There is
 * no {@code sidx}. Several tracks in one fragment make a muxed fragment, valid ISO-BMFF and fMP4
 * HLS; a strictly CMAF track uses one builder per track.
 *
 * <p>Samples are the frames' payloads as they are: 4-byte length-prefixed NAL units for H.264
 * and H.265 (the avcC/hvcC of the init segment say 4-byte lengths), raw AAC, MP3 and Opus
 * packets, AV1 temporal units minus a leading temporal delimiter OBU (AV1-ISOBMFF §2.4), dropped
 * by slicing. Times are converted to the media timescale by {@link IsoTrack#toMediaTime};
 * frames are matched to tracks by {@link Track#id()}.
 *
 * <p>Preconditions: a track's dts never decreases (a decrease is written as a zero duration)
 * and is never negative in the media timescale (the {@code tfdt} is unsigned); the muxer
 * shifts its timeline if needed. A frame whose track has a different codec configuration than
 * the builder's is refused: a new configuration needs a new init segment and a new builder.
 *
 * <p>Ownership: {@link #add} borrows the frame and retains a slice of its payload, so the caller
 * still releases the frame; no payload byte is copied, as each fragment is a
 * {@code CompositeByteBuf} of one header buffer and those slices. The caller releases each
 * returned {@link Fragment}, and {@link #close()}s the builder to release the held frames.
 *
 * <p>Thread-safety: not thread-safe; one builder per muxer, used on one thread.
 */
public final class FragmentBuilder implements AutoCloseable {

    /** Per-track state: the samples waiting and the last known duration. */
    private static final class TrackState {
        final IsoTrack track;
        final List<Sample> samples = new ArrayList<>();
        final long defaultDuration;
        long lastDuration = -1;

        TrackState(IsoTrack track) {
            this.track = track;
            this.defaultDuration = defaultDuration(track);
        }

        long fallbackDuration() {
            return lastDuration >= 0 ? lastDuration : defaultDuration;
        }
    }

    private final TrackState[] tracks;
    private long sequenceNumber = 1;
    private FileType segmentType;
    private boolean closed;

    /**
     * Makes a builder for {@code tracks}, the tracks of the init segment the fragments belong to.
     *
     * @throws IllegalArgumentException when {@code tracks} is empty or two tracks share a hub
     *     track id or a {@code track_ID}
     */
    public FragmentBuilder(List<IsoTrack> tracks) {
        if (tracks.isEmpty()) {
            throw new IllegalArgumentException("no tracks");
        }
        this.tracks = new TrackState[tracks.size()];
        for (int i = 0; i < tracks.size(); i++) {
            IsoTrack t = Objects.requireNonNull(tracks.get(i), "track");
            for (int j = 0; j < i; j++) {
                IsoTrack u = this.tracks[j].track;
                if (u.track().id() == t.track().id() || u.trackId() == t.trackId()) {
                    throw new IllegalArgumentException("tracks " + u + " and " + t + " share an id");
                }
            }
            this.tracks[i] = new TrackState(t);
        }
    }

    /** Sets the {@code mfhd} sequence number of the next fragment; it goes up by one per fragment. */
    public FragmentBuilder sequenceNumber(long next) {
        if (next < 0 || next > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("sequence_number is 32 bits: " + next);
        }
        this.sequenceNumber = next;
        return this;
    }

    /** Returns the sequence number the next fragment will have. */
    public long sequenceNumber() {
        return sequenceNumber;
    }

    /** Makes the next fragment begin with a {@link FileType#SEGMENT} {@code styp}. */
    public FragmentBuilder startSegment() {
        return startSegment(FileType.SEGMENT);
    }

    /** Makes the next fragment begin with a {@code styp} of {@code type}'s brands. */
    public FragmentBuilder startSegment(FileType type) {
        this.segmentType = Objects.requireNonNull(type, "type");
        return this;
    }

    /**
     * Adds a frame, which gives the previous frame of its track its duration.
     *
     * <p>Ownership: {@code frame} is borrowed; the builder retains a slice of its payload and
     * the caller still releases the frame.
     *
     * @throws IllegalArgumentException when the frame's track is not one of the builder's, has
     *     another codec configuration, or its times do not fit (negative dts, a composition
     *     offset beyond 32 bits); the builder is unchanged
     * @throws io.livehub.media.MalformedMediaException when an AV1 payload's first OBU header
     *     is malformed; the builder is unchanged
     * @throws IllegalStateException after {@link #close()}
     */
    public void add(MediaFrame frame) {
        if (closed) {
            throw new IllegalStateException("closed");
        }
        TrackState state = state(frame.track());
        IsoTrack t = state.track;
        long dts = t.toMediaTime(frame.dts());
        long cto = t.toMediaTime(frame.pts()) - dts;
        if (dts < 0) {
            throw new IllegalArgumentException("negative decode time " + dts + " for " + frame);
        }
        if (cto != (int) cto) {
            throw new IllegalArgumentException("composition offset " + cto + " does not fit 32 bits: " + frame);
        }
        Sample sample = new Sample(dts, (int) cto, frame.isKeyframe(), sampleData(frame));
        List<Sample> samples = state.samples;
        if (!samples.isEmpty()) {
            Sample previous = samples.get(samples.size() - 1);
            previous.duration = Math.max(0, dts - previous.dts);
            state.lastDuration = previous.duration;
        }
        samples.add(sample);
    }

    /**
     * Returns a fragment of every sample whose duration is known, or null when there is none;
     * each track's latest frame stays for the next fragment. See the class notes.
     *
     * <p>Ownership: the caller releases the fragment.
     */
    public Fragment flush(ByteBufAllocator alloc) {
        return emit(alloc, false, 0, null);
    }

    /**
     * Returns a fragment of every sample added, or null when there is none; each track's latest
     * frame lasts until {@code endTime} (ticks of {@code timebase}), or, if that is not after it,
     * the last duration measured between two frames of its track.
     *
     * <p>Ownership: the caller releases the fragment.
     */
    public Fragment flushAll(ByteBufAllocator alloc, long endTime, Timebase timebase) {
        Objects.requireNonNull(timebase, "timebase");
        return emit(alloc, true, endTime, timebase);
    }

    /**
     * Returns a fragment of every sample added, or null when there is none; each track's latest
     * frame lasts the last duration measured between two frames of its track (or a codec
     * default, see the class notes).
     *
     * <p>Ownership: the caller releases the fragment.
     */
    public Fragment flushAll(ByteBufAllocator alloc) {
        return emit(alloc, true, 0, null);
    }

    /** Returns how many samples are waiting, held-back frames included. */
    public int bufferedSamples() {
        int n = 0;
        for (TrackState s : tracks) {
            n += s.samples.size();
        }
        return n;
    }

    /** Releases every waiting sample. Idempotent; the builder takes no frames afterwards. */
    @Override
    public void close() {
        closed = true;
        for (TrackState s : tracks) {
            for (Sample sample : s.samples) {
                sample.data.release();
            }
            s.samples.clear();
        }
    }

    /**
     * Writes the waiting samples: all of them when {@code all}, else those with a known duration.
     * A held-back sample written lasts until {@code endTime} in {@code endTimebase} when that is
     * given and after it, else its track's fallback duration.
     */
    private Fragment emit(ByteBufAllocator alloc, boolean all, long endTime, Timebase endTimebase) {
        if (closed) {
            throw new IllegalStateException("closed");
        }
        int[] counts = new int[tracks.length];
        int total = 0;
        long payload = 0;
        for (int i = 0; i < tracks.length; i++) {
            List<Sample> samples = tracks[i].samples;
            counts[i] = all ? samples.size() : Math.max(0, samples.size() - 1);
            total += counts[i];
            for (int k = 0; k < counts[i]; k++) {
                payload += samples.get(k).size();
            }
        }
        if (total == 0) {
            return null;
        }
        if (all) {
            for (TrackState s : tracks) {
                if (!s.samples.isEmpty()) {
                    Sample last = s.samples.get(s.samples.size() - 1);
                    long d = endTimebase != null ? endTimebase.rescale(endTime, s.track.mediaTimebase()) - last.dts : -1;
                    last.duration = d > 0 ? d : s.fallbackDuration();
                }
            }
        }
        int headerLength = headerLength(counts);
        if (payload > Integer.MAX_VALUE - headerLength - BoxWriter.LARGE_HEADER_LENGTH) {
            throw new IllegalStateException("fragment of " + payload + " bytes is too large; flush more often");
        }
        ByteBuf header = alloc.buffer(headerLength + BoxWriter.HEADER_LENGTH);
        CompositeByteBuf content = null;
        try {
            boolean styp = segmentType != null;
            if (styp) {
                segmentType.writeStyp(header);
            }
            List<Fragment.Run> runs = new ArrayList<>(tracks.length);
            int[] dataOffsetIndexes = new int[tracks.length];
            int moofStart = header.writerIndex();
            BoxWriter w = new BoxWriter(header);
            w.begin(MovieFragmentEncoder.MOOF);
            MovieFragmentEncoder.writeMfhd(w, sequenceNumber);
            for (int i = 0; i < tracks.length; i++) {
                if (counts[i] == 0) {
                    continue;
                }
                TrackState s = tracks[i];
                Sample first = s.samples.get(0);
                long duration = 0;
                for (int k = 0; k < counts[i]; k++) {
                    duration += s.samples.get(k).duration;
                }
                w.begin(MovieFragmentEncoder.TRAF);
                MovieFragmentEncoder.writeTfhd(w, s.track.trackId());
                MovieFragmentEncoder.writeTfdt(w, first.dts);
                dataOffsetIndexes[i] = MovieFragmentEncoder.writeTrun(w, s.samples, counts[i]);
                w.end();
                runs.add(new Fragment.Run(s.track, first.dts, duration, counts[i], first.sync));
            }
            w.end();
            int moofLength = header.writerIndex() - moofStart;
            long offset = moofLength + BoxWriter.headerLength(payload);
            for (int i = 0; i < tracks.length; i++) {
                if (counts[i] == 0) {
                    continue;
                }
                header.setInt(dataOffsetIndexes[i], (int) offset);
                for (int k = 0; k < counts[i]; k++) {
                    offset += tracks[i].samples.get(k).size();
                }
            }
            BoxWriter.writeHeader(header, MovieFragmentEncoder.MDAT, payload);

            content = alloc.compositeBuffer(total + 1);
            content.addComponent(true, header);
            header = null;
            for (int i = 0; i < tracks.length; i++) {
                List<Sample> samples = tracks[i].samples;
                for (int k = 0; k < counts[i]; k++) {
                    Sample s = samples.get(k);
                    content.addComponent(true, s.data);
                }
                samples.subList(0, counts[i]).clear(); // their data now belongs to content
            }
            Fragment f = new Fragment(content, sequenceNumber, styp, runs);
            sequenceNumber = (sequenceNumber + 1) & 0xFFFF_FFFFL;
            segmentType = null;
            return f;
        } catch (RuntimeException e) {
            if (header != null) {
                header.release();
            }
            if (content != null) {
                content.release();
            }
            throw e;
        }
    }

    /** Returns the bytes before the {@code mdat} payload: styp, moof, and a 32-bit mdat header. */
    private int headerLength(int[] counts) {
        int n = segmentType != null ? segmentType.length() : 0;
        n += BoxWriter.HEADER_LENGTH + MovieFragmentEncoder.MFHD_LENGTH;
        for (int i = 0; i < tracks.length; i++) {
            if (counts[i] > 0) {
                boolean cto = MovieFragmentEncoder.hasCompositionOffsets(tracks[i].samples, counts[i]);
                n += BoxWriter.HEADER_LENGTH + MovieFragmentEncoder.TFHD_LENGTH + MovieFragmentEncoder.TFDT_LENGTH
                        + MovieFragmentEncoder.trunLength(counts[i], cto);
            }
        }
        return n + BoxWriter.HEADER_LENGTH;
    }

    private TrackState state(Track track) {
        for (TrackState s : tracks) {
            if (s.track.track().id() == track.id()) {
                Track own = s.track.track();
                if (own != track && !own.sameConfig(track)) {
                    throw new IllegalArgumentException("track " + track.id() + " changed its configuration (" + track
                            + "); write a new init segment and use a new builder");
                }
                return s;
            }
        }
        throw new IllegalArgumentException("not a track of this builder: " + track);
    }

    /**
     * Returns a retained slice of the frame's payload as the sample's bytes; for AV1 without a
     * leading temporal delimiter OBU, which AV1-ISOBMFF §2.4 keeps out of samples.
     */
    private static ByteBuf sampleData(MediaFrame frame) {
        ByteBuf payload = frame.content();
        int start = payload.readerIndex();
        int end = payload.writerIndex();
        if (frame.track().codec() == CodecId.AV1 && start < end) {
            ObuHeader obu = ObuHeader.parse(payload, start, end);
            if (obu.type() == ObuType.TEMPORAL_DELIMITER && obu.hasSizeField()) {
                start += obu.headerSize() + obu.payloadSize();
            }
        }
        return payload.retainedSlice(start, end - start);
    }

    /** Returns the duration of a track's only sample when nothing better is known; see the class notes. */
    private static long defaultDuration(IsoTrack t) {
        Track track = t.track();
        int timescale = t.timescale();
        switch (track.codec()) {
            case AAC: {
                AudioSpecificConfig asc = AudioSpecificConfig.parse(track.config());
                return Math.round((double) timescale * asc.samplesPerFrame() / asc.samplingFrequency());
            }
            case MP3:
                return Math.round((double) timescale * 1152 / track.sampleRate());
            case OPUS:
                return timescale / 50;
            default:
                return Math.max(1, Math.round(timescale / 30.0));
        }
    }
}
