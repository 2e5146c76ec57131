package io.livehub.hls.internal;

import io.livehub.hls.HlsConfig;
import io.livehub.hls.HlsSegmentFormat;
import io.livehub.isobmff.IsoTrack;
import io.livehub.media.MediaFrame;
import io.livehub.media.Timebase;
import io.livehub.media.Track;
import io.livehub.media.TrackKind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cuts one stream's frames into HLS media segments and keeps the live window (RFC 8216 §6.2.2),
 * with no network and no hub: frames in, {@link HlsPlaylist} snapshots and completed
 * {@link HlsSegment}s out.
 *
 * <h2>Rules</h2>
 * <ul>
 *   <li>The tracks are learnt from the first frames: muxing starts once a video keyframe and an
 *       audio frame were seen, or after one second of only one kind. Data tracks are ignored.
 *   <li>With video, a segment starts at a video keyframe and is cut at the first video keyframe
 *       at least {@link HlsConfig#targetDuration()} after its start; audio-only streams are cut
 *       at the first audio frame past it. Any stream is cut at {@link HlsConfig#maxSegmentBytes()}.
 *       The duration is the next segment's start minus this one's; the last segment before an
 *       end lasts until its last frame plus one frame interval.
 *   <li>A new codec configuration or a new track ends the segment and starts a new writer (for
 *       fMP4 a new init segment under a new name); a track whose timestamps go back by more
 *       than one second or forward by more than {@link HlsConfig#timestampJumpThreshold()} ends
 *       the segment too. The next segment gets {@code EXT-X-DISCONTINUITY}.
 *   <li>{@code EXT-X-TARGETDURATION} is the configured target rounded up, raised to the longest
 *       segment's duration rounded up; it never decreases (§4.3.3.1, §6.2.1).
 *   <li>{@code EXT-X-PROGRAM-DATE-TIME} maps media time to the wall clock at the first frame
 *       of each timeline.
 *   <li>With {@link HlsConfig#lowLatency()}, a segment is made of parts (draft-pantos-hls-rfc8216bis
 *       §4.4.4.9): a part ends before the first frame of the cutting track (video, else audio)
 *       after which it would last longer than {@link HlsConfig#partTarget()} (so no part exceeds
 *       {@code PART-TARGET} unless one frame interval does), and before every video keyframe, so
 *       that parts that start at one are {@code INDEPENDENT=YES}. Every part is published at
 *       once; the segment's bytes are its parts'.
 *   <li>Media sequence numbers start at the segmenter's first sequence, which the muxer makes
 *       unique per stream across its muxers and across restarts (see {@code HlsStream}), so a
 *       segment URL ({@code name-seq.ts}, cached as {@code immutable}) never names two contents;
 *       the init segments carry it too ({@code name-init-first.mp4}).
 *   <li>At most {@link HlsConfig#maxSegments()} segments stay in memory; the playlist lists the
 *       last {@link HlsConfig#playlistWindow()}. {@code EXT-X-DISCONTINUITY-SEQUENCE} counts the
 *       discontinuities up to the first listed segment, whose own tag is not written (§6.2.2).
 * </ul>
 *
 * <p>Thread-safety: not thread-safe; confined to the muxer's thread. {@link #snapshot()}
 * returns an immutable object that may be handed to other threads.
 *
 * <p>Ownership: {@link #frame} borrows the frame (it retains what it keeps); segments stay owned
 * by the segmenter, which releases a segment when it leaves memory and everything on
 * {@link #close()}.
 */
public final class HlsSegmenter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HlsSegmenter.class);

    private static final Timebase MICROS = new Timebase(1, 1_000_000);
    /** How long to wait for the second kind of track before muxing only the first. */
    private static final long TRACK_PROBE_MICROS = 1_000_000;
    /** How far a track's timestamps may go back before it counts as a new timeline. */
    private static final long BACKWARD_TOLERANCE_MICROS = 1_000_000;

    private final HlsConfig config;
    private final String baseName;
    private final ByteBufAllocator alloc;
    private final LongSupplier wallMillis;
    private final Consumer<HlsSegment> listener;
    private final long targetMicros;
    private final long jumpMicros;
    private final int configuredTargetDuration;
    private final boolean lowLatency;
    private final long partTargetMicros;
    private final String extension;

    private final List<MediaFrame> pending = new ArrayList<>();
    private boolean sawVideo;
    private boolean sawAudio;

    private SegmentWriter writer;
    /** Tracks the container cannot carry, left out until the next publication. */
    private final Set<Integer> ignored = new HashSet<>();
    /** No track can be carried: frames are dropped until the next publication. */
    private boolean failed;
    private final List<Track> tracks = new ArrayList<>();
    private boolean hasVideo;
    private String codecs;
    private int initGeneration = -1;
    private String initUri;

    private boolean open;
    private long segmentStartMicros;
    private long maxMicros;
    private long boundaryIntervalMicros;
    private long lastBoundaryMicros = Long.MIN_VALUE;
    private final Map<Integer, Long> lastMicros = new HashMap<>();
    private boolean anchored;
    private long anchorWallMillis;
    private long anchorMicros;
    private boolean nextDiscontinuity;
    private long lastEndWallMillis = Long.MIN_VALUE;
    /** The parts of the open segment (low-latency only). */
    private final List<HlsPart> openParts = new ArrayList<>();
    private long partStartMicros;
    private boolean partIndependent;

    private final long firstSequence;
    private long nextSequence;
    private final ArrayDeque<HlsSegment> kept = new ArrayDeque<>();
    private final Map<String, SharedBuffer> inits = new LinkedHashMap<>();
    private long discontinuities;
    private int targetDuration;
    private boolean ended;
    private boolean closed;
    private HlsPlaylist snapshot;

    /**
     * Makes a segmenter.
     *
     * @param baseName   the stream name, the prefix of segment URIs ({@code name-12.ts})
     * @param wallMillis the wall clock, in milliseconds since the epoch
     * @param listener   told of each completed segment, after the snapshot includes it
     */
    public HlsSegmenter(HlsConfig config, String baseName, ByteBufAllocator alloc, LongSupplier wallMillis,
                        Consumer<HlsSegment> listener) {
        this(config, baseName, 0, alloc, wallMillis, listener);
    }

    /**
     * Makes a segmenter whose first segment has media sequence number {@code firstSequence}.
     */
    public HlsSegmenter(HlsConfig config, String baseName, long firstSequence, ByteBufAllocator alloc,
                        LongSupplier wallMillis, Consumer<HlsSegment> listener) {
        if (firstSequence < 0) {
            throw new IllegalArgumentException("firstSequence < 0: " + firstSequence);
        }
        this.firstSequence = firstSequence;
        this.nextSequence = firstSequence;
        this.config = config;
        this.baseName = baseName;
        this.alloc = alloc;
        this.wallMillis = wallMillis;
        this.listener = listener;
        this.targetMicros = config.targetDuration().toNanos() / 1000;
        this.jumpMicros = config.timestampJumpThreshold().toNanos() / 1000;
        this.configuredTargetDuration = (int) Math.max(1, Math.ceil(targetMicros / 1e6 - 1e-6));
        this.targetDuration = configuredTargetDuration;
        this.lowLatency = config.lowLatency();
        this.partTargetMicros = config.partTarget().toNanos() / 1000;
        this.extension = config.segmentFormat() == HlsSegmentFormat.FMP4 ? ".m4s" : ".ts";
    }

    /**
     * Returns the current playlist, or null before the first segment is complete (low-latency:
     * before the first part is).
     */
    public HlsPlaylist snapshot() {
        return snapshot;
    }

    /** Returns whether the stream ended ({@link #end()}) and no new frame came since. */
    public boolean ended() {
        return ended;
    }

    /** Returns the media sequence number the next segment will have. */
    public long nextSequence() {
        return nextSequence;
    }

    /**
     * Adds a frame. Ownership: borrowed.
     */
    public void frame(MediaFrame frame) {
        if (closed) {
            return;
        }
        TrackKind kind = frame.track().kind();
        if (kind != TrackKind.VIDEO && kind != TrackKind.AUDIO) {
            return;
        }
        if (ended) {
            resume();
        }
        if (failed || ignored.contains(frame.track().id())) {
            return;
        }
        if (writer == null) {
            probe(frame);
        } else {
            process(frame);
        }
    }

    /**
     * Ends the stream: the open segment is completed and the playlist gets
     * {@code EXT-X-ENDLIST}.
     */
    public void end() {
        if (closed || ended) {
            return;
        }
        if (writer == null && !pending.isEmpty()) {
            startWriter();
        }
        finishSegment();
        closeWriter();
        ended = true;
        publish();
    }

    /**
     * Continues after {@link #end()} for a new publisher: the tracks are learnt again and the
     * next segment follows an {@code EXT-X-DISCONTINUITY}.
     */
    public void resume() {
        if (closed || !ended) {
            return;
        }
        ended = false;
        failed = false;
        ignored.clear();
        closeWriter();
        nextDiscontinuity = nextSequence > firstSequence;
        anchored = false;
        publish();
    }

    private void probe(MediaFrame frame) {
        if (frame.isVideo() && !sawVideo && !frame.isKeyframe()) {
            return;
        }
        pending.add(frame.retain());
        sawVideo |= frame.isVideo();
        sawAudio |= frame.isAudio();
        long span = micros(frame) - micros(pending.get(0));
        if ((sawVideo && sawAudio) || span >= TRACK_PROBE_MICROS) {
            startWriter();
        }
    }

    private void startWriter() {
        List<Track> found = new ArrayList<>();
        for (TrackKind kind : new TrackKind[] {TrackKind.VIDEO, TrackKind.AUDIO}) {
            for (MediaFrame f : pending) {
                if (f.track().kind() == kind && indexOf(found, f.track().id()) < 0) {
                    found.add(f.track());
                }
            }
        }
        List<MediaFrame> frames = new ArrayList<>(pending);
        pending.clear();
        sawVideo = false;
        sawAudio = false;
        try {
            openWriter(found);
            for (MediaFrame f : frames) {
                if (writer == null) {
                    break;
                }
                if (!ignored.contains(f.track().id())) {
                    process(f);
                }
            }
        } finally {
            for (MediaFrame f : frames) {
                f.release();
            }
        }
    }

    /**
     * Makes the writer for {@code wanted}, leaving out each track the container cannot carry
     * (for example AV1 in MPEG-TS); with no track left the stream is not muxed.
     */
    private void openWriter(List<Track> wanted) {
        List<Track> use = new ArrayList<>(wanted);
        while (true) {
            try {
                createWriter(use);
                return;
            } catch (RuntimeException e) {
                Track bad = null;
                for (Track t : use) {
                    try {
                        newWriter(List.of(t)).close();
                    } catch (RuntimeException alone) {
                        bad = t;
                        break;
                    }
                }
                if (bad == null || use.size() == 1) {
                    log.warn("HLS {}: cannot mux {} as {}: {}", baseName, use, config.segmentFormat(), e.toString());
                    failed = true;
                    tracks.clear();
                    writer = null;
                    return;
                }
                log.warn("HLS {}: leaving out {}, which {} cannot carry: {}", baseName, bad, config.segmentFormat(),
                        e.toString());
                use.remove(bad);
                ignored.add(bad.id());
            }
        }
    }

    private SegmentWriter newWriter(List<Track> list) {
        return config.segmentFormat() == HlsSegmentFormat.FMP4
                ? new Fmp4SegmentWriter(list, alloc) : new TsSegmentWriter(list, alloc);
    }

    private void createWriter(List<Track> newTracks) {
        writer = newWriter(newTracks);
        tracks.clear();
        tracks.addAll(newTracks);
        hasVideo = false;
        for (Track t : tracks) {
            hasVideo |= t.kind() == TrackKind.VIDEO;
        }
        codecs = codecsOf(tracks);
        lastMicros.clear();
        lastBoundaryMicros = Long.MIN_VALUE;
        boundaryIntervalMicros = 0;
        if (config.segmentFormat() == HlsSegmentFormat.FMP4) {
            initGeneration++;
            initUri = baseName + "-init" + (firstSequence > 0 ? "-" + firstSequence : "")
                    + (initGeneration == 0 ? "" : "-" + initGeneration) + ".mp4";
            inits.put(initUri, new SharedBuffer(writer.takeInit()));
        } else {
            initUri = null;
        }
    }

    private void closeWriter() {
        if (writer != null) {
            writer.close();
            writer = null;
        }
        open = false;
        for (HlsPart p : openParts) {
            p.release();
        }
        openParts.clear();
        for (MediaFrame f : pending) {
            f.release();
        }
        pending.clear();
        sawVideo = false;
        sawAudio = false;
    }

    private void process(MediaFrame frame) {
        Track track = frame.track();
        int i = indexOf(tracks, track.id());
        long us = micros(frame);
        if (i < 0 || (tracks.get(i) != track && !tracks.get(i).sameConfig(track))) {
            // A new track or a new codec configuration: a new writer (and init segment).
            List<Track> next = new ArrayList<>(tracks);
            if (i < 0) {
                next.add(track.kind() == TrackKind.VIDEO ? 0 : next.size(), track);
            } else {
                next.set(i, track);
            }
            restart(next);
            if (writer == null) {
                return;
            }
        } else {
            Long last = lastMicros.get(track.id());
            if (last != null && (us < last - BACKWARD_TOLERANCE_MICROS || us > last + jumpMicros)) {
                restart(new ArrayList<>(tracks));
                anchored = false;
                if (writer == null) {
                    return;
                }
            }
        }
        if (!open) {
            if (hasVideo && !(frame.isVideo() && frame.isKeyframe())) {
                return; // a segment of a stream with video starts at a keyframe
            }
            writer.begin(frame);
            openSegment(us, frame);
        } else if (isCut(frame, us)) {
            ByteBuf done = writer.cutBefore(frame);
            completeSegment(done, us);
            openSegment(us, frame);
        } else if (isPartCut(frame, us)) {
            ByteBuf done = writer.cutPart(frame);
            completePart(done, us);
            partStartMicros = us;
            partIndependent = startsIndependent(frame);
            publish();
        } else {
            writer.write(frame);
        }
        lastMicros.put(track.id(), us);
        maxMicros = Math.max(maxMicros, us);
        if (hasVideo ? frame.isVideo() : frame.isAudio()) {
            if (lastBoundaryMicros != Long.MIN_VALUE && us > lastBoundaryMicros) {
                boundaryIntervalMicros = us - lastBoundaryMicros;
            }
            lastBoundaryMicros = us;
        }
    }

    private boolean isCut(MediaFrame frame, long us) {
        boolean boundary = hasVideo ? frame.isVideo() && frame.isKeyframe() : frame.isAudio();
        return (boundary && us - segmentStartMicros >= targetMicros) || writer.bytes() >= config.maxSegmentBytes();
    }

    /**
     * Returns whether a part ends before {@code frame}: a frame of the cutting track after which
     * the part would outlast the part target, or a video keyframe.
     */
    private boolean isPartCut(MediaFrame frame, long us) {
        if (!lowLatency || us <= partStartMicros) {
            return false;
        }
        if (hasVideo ? frame.isVideo() : frame.isAudio()) {
            return (frame.isVideo() && frame.isKeyframe())
                    || us + boundaryIntervalMicros - partStartMicros > partTargetMicros;
        }
        // Another track cuts only while the cutting track has a gap, so that parts stay within
        // the target as long as any track has frames.
        Long last = lastMicros.get(frame.track().id());
        long interval = last == null ? 0 : Math.max(0, us - last);
        boolean stalled = lastBoundaryMicros != Long.MIN_VALUE
                && us - lastBoundaryMicros > 2 * Math.max(boundaryIntervalMicros, 1);
        return stalled && us + interval - partStartMicros > partTargetMicros;
    }

    private boolean startsIndependent(MediaFrame frame) {
        return !hasVideo || (frame.isVideo() && frame.isKeyframe());
    }

    /** Adds the part that ends at {@code endMicros} to the open segment. */
    private void completePart(ByteBuf bytes, long endMicros) {
        if (bytes == null) {
            return;
        }
        if (!bytes.isReadable()) {
            bytes.release();
            return;
        }
        int index = openParts.size();
        String uri = baseName + "-" + nextSequence + "." + index + extension;
        openParts.add(new HlsPart(nextSequence, index, uri, Math.max(0, endMicros - partStartMicros) / 1e6,
                partIndependent, new SharedBuffer(bytes)));
    }

    private void restart(List<Track> newTracks) {
        finishSegment();
        closeWriter();
        openWriter(newTracks);
        nextDiscontinuity = nextSequence > firstSequence;
    }

    private void openSegment(long us, MediaFrame first) {
        open = true;
        segmentStartMicros = us;
        partStartMicros = us;
        partIndependent = startsIndependent(first);
        maxMicros = us;
        if (!anchored) {
            // A new timeline starts at the wall clock, but never before the last segment ended,
            // so that EXT-X-PROGRAM-DATE-TIME does not go back (media sent faster than real time).
            anchored = true;
            anchorWallMillis = Math.max(wallMillis.getAsLong(), lastEndWallMillis);
            anchorMicros = us;
        }
    }

    private void finishSegment() {
        if (!open || writer == null) {
            return;
        }
        open = false;
        long end = maxMicros + boundaryIntervalMicros;
        ByteBuf done = writer.finish(end);
        completeSegment(done, end);
    }

    /**
     * Completes the open segment, which ends at {@code endMicros}; {@code bytes} are its bytes
     * since the last part (all of them without low latency).
     */
    private void completeSegment(ByteBuf bytes, long endMicros) {
        long durationMicros = endMicros - segmentStartMicros;
        List<HlsPart> parts = List.of();
        if (lowLatency) {
            completePart(bytes, endMicros);
            parts = List.copyOf(openParts);
            openParts.clear();
            if (parts.isEmpty()) {
                return;
            }
            CompositeByteBuf whole = alloc.compositeBuffer(parts.size());
            for (HlsPart p : parts) {
                whole.addComponent(true, p.content().retainedDuplicate());
            }
            bytes = whole;
        }
        if (bytes == null) {
            return;
        }
        if (!bytes.isReadable()) {
            bytes.release();
            for (HlsPart p : parts) {
                p.release();
            }
            return;
        }
        long seq = nextSequence++;
        String uri = baseName + "-" + seq + extension;
        Instant pdt = Instant.ofEpochMilli(anchorWallMillis + Math.floorDiv(segmentStartMicros - anchorMicros, 1000));
        double seconds = Math.max(0, durationMicros) / 1e6;
        lastEndWallMillis = pdt.toEpochMilli() + (long) Math.ceil(seconds * 1000);
        HlsSegment s = new HlsSegment(seq, uri, seconds, pdt, nextDiscontinuity, initUri, new SharedBuffer(bytes),
                parts);
        nextDiscontinuity = false;
        if (s.discontinuity()) {
            discontinuities++;
        }
        kept.addLast(s);
        while (kept.size() > config.maxSegments()) {
            kept.removeFirst().release();
        }
        releaseUnusedInits();
        targetDuration = Math.max(targetDuration, (int) Math.ceil(seconds - 1e-6));
        publish();
        listener.accept(s);
    }

    private void releaseUnusedInits() {
        inits.entrySet().removeIf(e -> {
            if (e.getKey().equals(initUri)) {
                return false;
            }
            for (HlsSegment s : kept) {
                if (e.getKey().equals(s.mapUri())) {
                    return false;
                }
            }
            e.getValue().release();
            return true;
        });
    }

    private void publish() {
        // A low-latency playlist is there as soon as the first part is: a player can start with it.
        if (kept.isEmpty() && (!lowLatency || openParts.isEmpty())) {
            snapshot = null;
            return;
        }
        List<HlsSegment> all = new ArrayList<>(kept);
        List<HlsSegment> window = all.subList(Math.max(0, all.size() - config.playlistWindow()), all.size());
        long tagsListed = 0;
        for (int i = 1; i < window.size(); i++) {
            if (window.get(i).discontinuity()) {
                tagsListed++;
            }
        }
        Map<Long, HlsSegment> bySequence = new HashMap<>();
        for (HlsSegment s : all) {
            bySequence.put(s.sequence(), s);
        }
        int version = config.segmentFormat() == HlsSegmentFormat.FMP4 ? 7 : 3;
        HlsPlaylist.LowLatency ll = null;
        if (lowLatency) {
            boolean live = !ended;
            String hint = live ? baseName + "-" + nextSequence + "." + openParts.size() + extension : null;
            ll = new HlsPlaylist.LowLatency(partTargetMicros / 1e6, nextSequence, List.copyOf(openParts),
                    nextDiscontinuity, initUri, hint);
        }
        long mediaSequence = window.isEmpty() ? nextSequence : window.get(0).sequence();
        snapshot = new HlsPlaylist(version, targetDuration, mediaSequence, discontinuities - tagsListed,
                window, ended, bySequence, inits, multivariant(all), ll);
    }

    /** Renders the multivariant playlist from the current tracks and the bit rates of the kept segments. */
    private String multivariant(List<HlsSegment> all) {
        long peak = 0;
        double bits = 0;
        double seconds = 0;
        for (HlsSegment s : all) {
            double b = 8.0 * (s.content() == null ? 0 : s.content().length());
            if (s.durationSeconds() > 0.1) {
                peak = Math.max(peak, (long) Math.ceil(b / s.durationSeconds()));
            }
            bits += b;
            seconds += s.durationSeconds();
        }
        long average = seconds > 0 ? (long) Math.ceil(bits / seconds) : 0;
        int width = 0;
        int height = 0;
        for (Track t : tracks) {
            if (t.kind() == TrackKind.VIDEO) {
                width = t.width();
                height = t.height();
            }
        }
        return MultivariantPlaylist.render(Math.max(peak, average), average, codecs, width, height,
                "../" + baseName + ".m3u8");
    }

    /** Returns the HLS CODECS value of {@code tracks}, or null when a configuration cannot say. */
    private static String codecsOf(List<Track> tracks) {
        try {
            return IsoTrack.codecs(IsoTrack.of(tracks));
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Releases every segment, init segment and held frame. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeWriter();
        for (HlsSegment s : kept) {
            s.release();
        }
        kept.clear();
        for (SharedBuffer b : inits.values()) {
            b.release();
        }
        inits.clear();
        snapshot = null;
    }

    private static long micros(MediaFrame f) {
        return f.track().timebase().rescale(f.dts(), MICROS);
    }

    private static int indexOf(List<Track> list, int id) {
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).id() == id) {
                return i;
            }
        }
        return -1;
    }
}
