package io.livehub.mp4.internal;

import io.livehub.hub.LiveStream;
import io.livehub.hub.StreamSubscriber;
import io.livehub.isobmff.IsoTrack;
import io.livehub.media.MediaFrame;
import io.livehub.media.StreamKey;
import io.livehub.media.Timebase;
import io.livehub.media.Track;
import io.livehub.media.TrackKind;
import io.livehub.mp4.ArtifactCode;
import io.livehub.mp4.FlvRecordingWriter;
import io.livehub.mp4.Mp4RecordingWriter;
import io.livehub.mp4.RecordFormat;
import io.livehub.mp4.RecordingWriter;
import io.livehub.mp4.RecordConfig;
import io.livehub.mp4.RecordPlan;
import io.livehub.mp4.RecordingInfo;
import io.livehub.mp4.RecordingResult;
import io.netty.util.concurrent.EventExecutor;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records one stream: a hub subscriber, drained on a recording thread (never an event loop),
 * that writes the stream's frames to a file per publish or per segment
 * ({@link RecordPlan}) and hands each ended file to be finished.
 *
 * <p>A file starts at a video keyframe once an audio frame was seen too (see {@link #collect});
 * an audio-only stream at its first frame kept. A new file starts when the plan says, when a track changes its codec
 * configuration, and when a track's timestamps jump more than
 * {@link RecordConfig#maxTimestampJump()}. A write error ends the recording of this publish
 * with {@link ArtifactCode#WRITE_FAILED}; the stream and its players are not affected, and the
 * next publish records again.
 *
 * <p>Thread-safety: every method but {@link #info} runs on {@link #executor()}.
 * Ownership: frames are borrowed from the hub.
 */
final class StreamRecorder implements StreamSubscriber {

    private static final Logger log = LoggerFactory.getLogger(StreamRecorder.class);
    private static final Timebase MICROS = new Timebase(1, 1_000_000);

    /**
     * How long audio waits for a first video keyframe before an audio-only file starts: an
     * encoder's lookahead and B-frames hold video back about a second; an audio-only stream
     * waits this long once.
     */
    private static final long VIDEO_WAIT_MICROS = 3_000_000;
    /** How long video waits for a first audio frame before a video-only file starts; see {@link #collect}. */
    private static final long AUDIO_WAIT_MICROS = 1_000_000;
    /**
     * Most frames kept while waiting for the tracks: 3 s of 48 kHz AAC is 141 frames, of 20 ms
     * Opus 150; 1 s of 60 fps video with its audio is about 110.
     */
    private static final int MAX_PENDING_FRAMES = 256;

    private enum State { WAITING, RECORDING, FAILED, CLOSED }

    private final Recorders owner;
    private final RecordConfig config;
    private final StreamKey key;
    private final EventExecutor executor;
    private final RecordSession session;
    private final Map<Integer, Long> lastMicros = new HashMap<>();
    private final long maxJumpMicros;
    private final long segmentMicros;
    private State state = State.WAITING;
    private RecordingWriter writer;
    private String recordId;
    private Instant startedAt;
    private long fileStartMicros;
    private volatile RecordingInfo info;
    /** Frames kept, retained, until a file starts ({@link #collect}); released on every path. */
    private final List<MediaFrame> pending = new ArrayList<>();
    private long pendingStartMicros;
    /** The video keyframe a file will start at, one of {@link #pending}, or null. */
    private MediaFrame keyframe;
    private long keyframeMicros;
    /** The audio track seen while collecting, or null. */
    private Track audio;

    StreamRecorder(Recorders owner, StreamKey key, EventExecutor executor) {
        this.owner = owner;
        this.config = owner.config();
        this.key = key;
        this.executor = executor;
        this.session = new RecordSession(owner.context(), key, executor, () -> owner.stop(key));
        this.maxJumpMicros = config.maxTimestampJump().toNanos() / 1000;
        this.segmentMicros = config.segmentDuration().toNanos() / 1000;
    }

    StreamKey key() {
        return key;
    }

    /** Subscribes to the stream; called once, on any thread. */
    void start() {
        session.subscribe(this);
    }

    @Override
    public EventExecutor executor() {
        return executor;
    }

    /** Returns the recording in progress, or null; any thread. */
    RecordingInfo info() {
        return info;
    }

    @Override
    public void onPublish(LiveStream liveStream) {
        releasePending();
        if (state != State.CLOSED) {
            state = State.WAITING;
        }
        lastMicros.clear();
    }

    @Override
    public void onFrame(MediaFrame frame) {
        if (state == State.FAILED || state == State.CLOSED) {
            return;
        }
        Track track = frame.track();
        long micros = track.timebase().rescale(frame.dts(), MICROS);
        Long last = lastMicros.put(track.id(), micros);
        if (writer != null) {
            if (last != null && Math.abs(micros - last) > maxJumpMicros) {
                log.info("recording of {}: timestamps jumped {} ms; starting a new file", key, (micros - last) / 1000);
                endFile(ArtifactCode.OK);
            } else if (writer.hasTrack(track) && !writer.accepts(track)) {
                log.info("recording of {}: {} changed its codec configuration; starting a new file", key, track);
                endFile(ArtifactCode.OK);
            } else if (config.plan() == RecordPlan.SEGMENT && startsSegment(frame)
                    && micros - fileStartMicros >= segmentMicros) {
                Track audioTrack = null;
                for (Track t : writer.tracks()) {
                    if (t.kind() == TrackKind.AUDIO) {
                        audioTrack = t;
                    }
                }
                endFile(ArtifactCode.OK);
                // The next file has the same tracks: it starts at this keyframe without waiting for audio.
                audio = audioTrack;
            }
        }
        if (writer == null) {
            collect(frame, micros);
            return;
        }
        write(frame);
    }

    private void write(MediaFrame frame) {
        if (writer == null) {
            return;
        }
        try {
            writer.write(frame);
            updateInfo();
        } catch (IOException | RuntimeException e) {
            fail(e);
        }
    }

    /**
     * Keeps frames until a file can start with both tracks: a video keyframe and an audio
     * frame. An encoder's lookahead and B-frames hold video back while audio flows, and a GOP
     * replayed to a new subscriber can come before the first audio frame, so neither track
     * can be assumed present at the first frame. A file starts once both are seen, or with
     * what there is after {@link #AUDIO_WAIT_MICROS} of video or {@link #VIDEO_WAIT_MICROS}
     * of audio.
     */
    private void collect(MediaFrame frame, long micros) {
        if (frame.isVideo() && keyframe == null) {
            if (!frame.isKeyframe()) {
                return; // a file cannot start before a keyframe
            }
            keyframe = frame;
            keyframeMicros = micros;
        }
        if (pending.isEmpty()) {
            pendingStartMicros = micros;
        }
        pending.add(frame.retain());
        if (frame.isAudio() && audio == null) {
            audio = frame.track();
        }
        boolean start = keyframe != null && audio != null
                || keyframe != null && micros - keyframeMicros >= AUDIO_WAIT_MICROS
                || keyframe == null && micros - pendingStartMicros >= VIDEO_WAIT_MICROS
                || pending.size() >= MAX_PENDING_FRAMES;
        if (!start) {
            return;
        }
        MediaFrame first = keyframe != null ? keyframe : pending.get(0);
        long firstMicros = keyframe != null ? keyframeMicros : pendingStartMicros;
        if (openFile(first, keyframe != null ? keyframe.track() : null, audio, firstMicros)) {
            // The first frame sets the file's origin; audio kept from before it is left out by the writer.
            write(first);
            for (MediaFrame f : pending) {
                if (f != first && !(f.isVideo() && f.dts() < first.dts())) {
                    write(f);
                }
            }
        }
        releasePending();
    }

    private void releasePending() {
        for (MediaFrame f : pending) {
            f.release();
        }
        pending.clear();
        keyframe = null;
        audio = null;
    }

    @Override
    public void onUnpublish(LiveStream liveStream) {
        releasePending();
        endFile(ArtifactCode.OK);
        close();
    }

    /** Ends the file in progress and the subscription; returns when the file is finished. */
    CompletableFuture<Void> stop() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        executor.execute(() -> {
            CompletableFuture<Void> finished = endFile(ArtifactCode.OK);
            close();
            finished.whenComplete((v, e) -> done.complete(null));
        });
        return done;
    }

    private void close() {
        releasePending();
        state = State.CLOSED;
        session.close();
        owner.removed(this);
    }

    /** Returns whether the next segment may start at {@code frame}: a video keyframe, or any frame of an audio-only file. */
    private boolean startsSegment(MediaFrame frame) {
        boolean hasVideo = false;
        for (Track t : writer.tracks()) {
            hasVideo |= t.kind() == TrackKind.VIDEO;
        }
        return hasVideo ? frame.isVideo() && frame.isKeyframe() : frame.isAudio();
    }

    private boolean openFile(MediaFrame first, Track video, Track audio, long micros) {
        List<Track> tracks = new ArrayList<>(2);
        for (Track t : new Track[] {video, audio}) {
            if (t == null) {
                continue;
            }
            try {
                if (config.format() == RecordFormat.MP4) {
                    IsoTrack.of(t, 1);
                }
                tracks.add(t);
            } catch (IllegalArgumentException e) {
                log.warn("recording of {}: {} cannot be recorded and is left out: {}", key, t, e.getMessage());
            }
        }
        if (tracks.isEmpty()) {
            return false;
        }
        Instant now = Instant.now();
        Path target;
        try {
            target = RecordPaths.resolve(config.root(), RecordPaths.expand(config.pathTemplate(), key.vhost(), key.app(),
                    key.name(), now, config.zone()));
        } catch (IllegalArgumentException e) {
            log.warn("recording of {} not started: {}", key, e.getMessage());
            state = State.FAILED;
            return false;
        }
        String id = UUID.randomUUID().toString();
        try {
            writer = config.format() == RecordFormat.FLV
                    ? FlvRecordingWriter.open(target, tracks, config.writer(), config.channels(), owner.alloc())
                    : Mp4RecordingWriter.open(target, tracks, config.writer(), config.channels(), owner.alloc());
            writeMetadata(writer.partPath(), id, now);
        } catch (IOException | RuntimeException e) {
            log.warn("recording of {} to {} could not start: {}; the stream goes on unrecorded until it publishes again",
                    key, target, e.toString());
            owner.writeFailed();
            if (writer != null) {
                writer.close();
                // Nothing was recorded yet: leave nothing for recovery either.
                deleteQuietly(writer.partPath());
                deleteQuietly(writer.partPath().resolveSibling(writer.partPath().getFileName()
                        + io.livehub.mp4.Mp4Recovery.METADATA_SUFFIX));
                writer = null;
            }
            state = State.FAILED;
            return false;
        }
        recordId = id;
        startedAt = now;
        fileStartMicros = micros;
        state = State.RECORDING;
        log.info("recording {} to {}", key, target);
        session.recordBegin(id, target);
        return true;
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // recovery sets it aside at the next start
        }
    }

    private void writeMetadata(Path part, String id, Instant start) throws IOException {
        Properties p = new Properties();
        p.setProperty("recordId", id);
        p.setProperty("vhost", key.vhost());
        p.setProperty("app", key.app());
        p.setProperty("stream", key.name());
        p.setProperty("startedAt", start.toString());
        try (OutputStream out = Files.newOutputStream(part.resolveSibling(part.getFileName()
                + io.livehub.mp4.Mp4Recovery.METADATA_SUFFIX))) {
            p.store(out, "livehub recording in progress");
        }
    }

    private void updateInfo() {
        info = new RecordingInfo(recordId, key, writer.target(), startedAt, writer.duration(), writer.bytesWritten(),
                session.droppedFrames());
    }

    /** Ends the file in progress (if any) and finishes it on another task; returns when it is finished. */
    private CompletableFuture<Void> endFile(int code) {
        RecordingWriter w = writer;
        if (w == null) {
            return CompletableFuture.completedFuture(null);
        }
        writer = null;
        info = null;
        state = State.WAITING;
        String id = recordId;
        Duration duration = w.duration();
        try {
            w.end();
        } catch (IOException | RuntimeException e) {
            log.warn("recording of {} to {} failed at its end: {}", key, w.target(), e.toString());
            owner.writeFailed();
            code = ArtifactCode.WRITE_FAILED;
        }
        return finish(w, id, duration, code);
    }

    private CompletableFuture<Void> finish(RecordingWriter w, String id, Duration written, int code) {
        return owner.finish(() -> {
            Path sidecar = w.partPath().resolveSibling(w.partPath().getFileName() + io.livehub.mp4.Mp4Recovery.METADATA_SUFFIX);
            try {
                RecordingResult r = w.finishEnded();
                Files.deleteIfExists(sidecar);
                owner.finished();
                log.info("recorded {} to {}: {} s, {} bytes{}", key, r.path(), r.duration().toMillis() / 1000.0, r.size(),
                        code == ArtifactCode.OK ? "" : " (artifact_code " + code + ")");
                session.recordEnd(id, r.path(), r.duration(), r.size(), code, owner.url(r.path()));
            } catch (IOException | RuntimeException e) {
                int c = code == ArtifactCode.OK ? ArtifactCode.FINISH_FAILED : code;
                log.warn("recording of {}: cannot finish {}: {}; the fragmented file stays for recovery at the next start",
                        key, w.partPath(), e.toString());
                long size = 0;
                try {
                    size = Files.size(w.partPath());
                } catch (IOException ignored) {
                    // reported as 0 bytes
                }
                session.recordEnd(id, w.partPath(), written, size, c, "");
            }
        });
    }

    private void fail(Exception e) {
        RecordingWriter w = writer;
        writer = null;
        info = null;
        state = State.FAILED;
        owner.writeFailed();
        log.warn("recording of {} to {} failed: {}; recording stops until the stream publishes again, the live stream goes on",
                key, w.target(), e.toString());
        Duration duration = w.duration();
        w.close();
        finish(w, recordId, duration, ArtifactCode.WRITE_FAILED);
    }
}
