package io.livehub.virtual.internal;

import io.livehub.hub.Publication;
import io.livehub.media.MalformedMediaException;
import io.livehub.media.MediaFrame;
import io.livehub.media.StreamKey;
import io.livehub.media.Timebase;
import io.livehub.virtual.MediaFileReader;
import io.livehub.virtual.VirtualLiveState;
import io.livehub.virtual.VirtualLiveStatus;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays one file as a live stream: reads frames ahead on a reader thread, re-times them onto
 * one continuous timeline across loops, and publishes each at its time on the publication's
 * event loop.
 *
 * <p>Pacing follows the media clock: a frame whose output time is {@code t} is published at
 * {@code anchor + t}, {@code anchor} being the wall clock (nanoTime) when the first frame went
 * out. Each deadline is computed from the anchor, never by adding sleeps, so the stream does not
 * drift over hours; a late frame (a slow read, a busy loop) goes out at once and the next ones
 * are on time again. Only a stall of more than {@link #MAX_LATE_NANOS} (the process was
 * stopped) moves the anchor, so players are not flooded with the frames of the stall.
 *
 * <p>Timeline: pass {@code p} of the file is shifted by the media time of the passes before it
 * (each pass lasts from its first frame to the end of its longest track, the last frame's
 * duration included), so timestamps keep increasing across the loop seam; frames keep the
 * reader's track objects, so no sequence header is re-sent at the seam unless the file changes
 * it. The first pass may start at an offset: it starts at the first video keyframe at or after
 * it (the first frame, for audio-only files).
 *
 * <p>Memory: the read-ahead is bounded in frames and bytes; the reader thread stops when a
 * bound is reached and the event loop asks for more as frames go out.
 *
 * <p>Thread-safety: {@link #stop()} and {@link #status()} may be called from any thread.
 */
public final class VirtualLiveSource {

    private static final Logger log = LoggerFactory.getLogger(VirtualLiveSource.class);
    private static final Timebase MICROS = new Timebase(1, 1_000_000);
    /** How early a frame may go out: deadlines closer than this are not worth a timer. */
    private static final long EARLY_NANOS = TimeUnit.MICROSECONDS.toNanos(500);
    /**
     * How late the stream may fall before the clock is re-anchored, 2 s: beyond a slow read or
     * a busy loop, the process was stopped (suspend, debugger, long GC); catching up would
     * send players seconds of frames at once.
     */
    private static final long MAX_LATE_NANOS = TimeUnit.SECONDS.toNanos(2);

    /** A frame read ahead, with its output time and its time in the file. */
    private record Scheduled(MediaFrame frame, long outMicros, long fileMicros, long pass) {
    }

    private final StreamKey key;
    private final String file;
    private final String clientId;
    private final long loops;
    private final long startOffsetMicros;
    private final MediaFileReader reader;
    private final Executor readers;
    private final EventExecutor executor;
    private final int maxFrames;
    private final int maxBytes;
    private final Instant startedAt = Instant.now();
    private final Consumer<VirtualLiveSource> onEnd;

    private final ConcurrentLinkedQueue<Scheduled> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queuedFrames = new AtomicInteger();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicBoolean readRunning = new AtomicBoolean();
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private volatile boolean stopped;
    private volatile boolean readerDone;
    private volatile String failure;
    private volatile VirtualLiveState state = VirtualLiveState.STARTING;

    // Reader thread (one at a time, handed over through readRunning).
    private long pass;
    private boolean started;
    private boolean sawVideo;
    private boolean seekTried;
    private long passFirstMicros = Long.MIN_VALUE;
    private long passBaseMicros;
    private long timelineMicros;
    // Per track id (mod 4): the last two frame times of this pass, for its end.
    private final long[] last = {Long.MIN_VALUE, Long.MIN_VALUE, Long.MIN_VALUE, Long.MIN_VALUE};
    private final long[] previous = {Long.MIN_VALUE, Long.MIN_VALUE, Long.MIN_VALUE, Long.MIN_VALUE};

    // Event loop.
    private FilePublisherSession session;
    private Publication publication;
    private long anchorNanos = -1;
    private ScheduledFuture<?> timer;
    private final Runnable pumpTask = this::pump;
    private final Runnable timerTask = () -> {
        timer = null;
        pump();
    };

    // Status, written on the event loop.
    private volatile long frames;
    private volatile long positionMicros;
    private volatile long publishedMicros;
    private volatile long currentPass;

    /**
     * @param loops             passes through the file; 0 plays it forever
     * @param startOffsetMicros where the first pass starts in the file
     * @param onEnd             called once on the event loop when the source has ended
     */
    public VirtualLiveSource(StreamKey key, String file, String clientId, long loops, long startOffsetMicros,
                             MediaFileReader reader, Executor readers, EventExecutor executor, int maxFrames,
                             int maxBytes, Consumer<VirtualLiveSource> onEnd) {
        this.key = key;
        this.file = file;
        this.clientId = clientId;
        this.loops = loops;
        this.startOffsetMicros = startOffsetMicros;
        this.reader = reader;
        this.readers = readers;
        this.executor = executor;
        this.maxFrames = maxFrames;
        this.maxBytes = maxBytes;
        this.onEnd = onEnd;
    }

    public StreamKey key() {
        return key;
    }

    /** Returns a stage completed once the source has ended and its publication is closed. */
    public CompletableFuture<Void> ended() {
        return ended;
    }

    /** Starts publishing through {@code session}'s publication; call on the event loop. */
    public void start(FilePublisherSession s) {
        this.session = s;
        this.publication = s.publication();
        if (stopped) {
            end("stopped before it started");
            return;
        }
        state = VirtualLiveState.PLAYING;
        log.info("virtual live {} started from {} ({}), client {}", key.path(), file,
                loops == 0 ? "looping forever" : loops + (loops == 1 ? " pass" : " passes"), s.clientId());
        requestRead();
        pump();
    }

    /** Stops the source; it ends on its event loop. Idempotent. */
    public void stop() {
        stopped = true;
        executor.execute(() -> end("stopped"));
    }

    public VirtualLiveStatus status() {
        return new VirtualLiveStatus(key, file, clientId, state, Math.max(1, currentPass + 1), loops,
                Duration.ofNanos(positionMicros * 1000), Duration.ofNanos(publishedMicros * 1000), frames, startedAt);
    }

    // ---- reader thread ----

    private boolean full() {
        return queuedFrames.get() >= maxFrames || queuedBytes.get() >= maxBytes;
    }

    private void requestRead() {
        if (readRunning.compareAndSet(false, true)) {
            try {
                readers.execute(this::readLoop);
            } catch (RejectedExecutionException e) {
                // The module is stopping. No read runs (this thread holds readRunning), so the
                // file is closed here; readRunning stays set so none starts.
                stopped = true;
                closeReader();
                executor.execute(() -> end("the module stopped"));
            }
        }
    }

    private void readLoop() {
        try {
            while (true) {
                if (stopped) {
                    closeReader(); // readRunning stays set: no read runs again
                    return;
                }
                if (readerDone || full()) {
                    readRunning.set(false);
                    if ((stopped || (!readerDone && !full())) && readRunning.compareAndSet(false, true)) {
                        continue;
                    }
                    return;
                }
                readOne();
            }
        } catch (IOException | MalformedMediaException e) {
            fail(e.getMessage() == null ? e.toString() : e.getMessage());
        } catch (Throwable t) {
            log.warn("virtual live {}: reading {} failed", key.path(), file, t);
            fail(t.toString());
            if (t instanceof Error) {
                throw (Error) t;
            }
        }
    }

    /**
     * Ends reading after a bad frame or a read error: the file is closed at once, the frames
     * read before it still play, then the stream ends (as a broken connection ends a publisher).
     */
    private void fail(String reason) {
        closeFile();
        failure = reason;
        readerDone = true; // readRunning stays set: no read runs again
        executor.execute(pumpTask);
    }

    private void readOne() throws IOException {
        if (pass == 0 && !started && !seekTried && startOffsetMicros > 0) {
            seekTried = true;
            OptionalLong origin = reader.seekNear(startOffsetMicros);
            if (origin.isPresent()) {
                passFirstMicros = origin.getAsLong();
            }
        }
        MediaFrame f = reader.next();
        if (f == null) {
            endOfPass();
            return;
        }
        long t = f.track().timebase().rescale(f.dts(), MICROS);
        if (passFirstMicros == Long.MIN_VALUE) {
            passFirstMicros = t;
        }
        if (!started) {
            boolean at = t - passFirstMicros >= (pass == 0 ? startOffsetMicros : 0);
            if (f.isVideo()) {
                sawVideo = true;
            }
            if (!(at && (f.isVideo() ? f.isKeyframe() : !sawVideo))) {
                f.release();
                return;
            }
            started = true;
            passBaseMicros = t;
        } else if (t < passBaseMicros) {
            // Interleaving puts some audio from before the start keyframe after it: it would
            // play before the picture exists, with a timestamp before the pass began.
            f.release();
            return;
        }
        int slot = Math.floorMod(f.track().id(), last.length);
        if (t > last[slot]) {
            previous[slot] = last[slot];
            last[slot] = t;
        }
        long out = timelineMicros + (t - passBaseMicros);
        Timebase tb = f.track().timebase();
        long shift = MICROS.rescale(timelineMicros, tb) - MICROS.rescale(passBaseMicros, tb);
        MediaFrame retimed = f.withTimestamps(f.dts() + shift, f.pts() + shift);
        int size = retimed.content().readableBytes();
        queuedFrames.incrementAndGet();
        queuedBytes.addAndGet(size);
        boolean wasEmpty = queue.isEmpty();
        queue.add(new Scheduled(retimed, out, t - passFirstMicros, pass));
        if (stopped) {
            drain();
        } else if (wasEmpty) {
            executor.execute(pumpTask);
        }
    }

    private void endOfPass() throws IOException {
        if (!started) {
            throw new MalformedMediaException(startOffsetMicros > 0
                    ? "start offset " + startOffsetMicros / 1000 + " ms is beyond the last keyframe of " + file
                    : "no frames in " + file);
        }
        // The pass lasts until the end of the track that ends last: its last frame plus that
        // frame's duration, taken as the spacing before it (bounded, so that a gap in the file
        // cannot stall the loop and a single frame still takes some time).
        long passEnd = passBaseMicros;
        for (int i = 0; i < last.length; i++) {
            if (last[i] != Long.MIN_VALUE) {
                long duration = previous[i] == Long.MIN_VALUE ? 1_000 : last[i] - previous[i];
                passEnd = Math.max(passEnd, last[i] + Math.min(Math.max(duration, 1_000), 100_000));
            }
        }
        timelineMicros += passEnd - passBaseMicros;
        pass++;
        if (loops != 0 && pass >= loops) {
            readerDone = true;
            executor.execute(pumpTask);
            return;
        }
        reader.rewind();
        started = false;
        sawVideo = false;
        passFirstMicros = Long.MIN_VALUE;
        Arrays.fill(last, Long.MIN_VALUE);
        Arrays.fill(previous, Long.MIN_VALUE);
    }

    private void closeReader() {
        closeFile();
        drain();
    }

    private void closeFile() {
        try {
            reader.close();
        } catch (IOException | RuntimeException e) {
            log.debug("virtual live {}: closing {}: {}", key.path(), file, e.toString());
        }
    }

    private void drain() {
        Scheduled s;
        while ((s = queue.poll()) != null) {
            s.frame.release();
        }
    }

    // ---- event loop ----

    /** Publishes the frames that are due; runs on the event loop, from the timer or a wake-up. */
    private void pump() {
        if (publication == null || state == VirtualLiveState.ENDING) {
            return;
        }
        while (true) {
            Scheduled s = queue.peek();
            if (s == null) {
                if (readerDone && queue.isEmpty()) {
                    String f = failure;
                    end(f == null ? "finished" : "failed: " + f);
                } else {
                    requestRead();
                }
                return;
            }
            long now = System.nanoTime();
            if (anchorNanos < 0) {
                anchorNanos = now - s.outMicros * 1000;
            }
            long due = anchorNanos + s.outMicros * 1000;
            if (now - due > MAX_LATE_NANOS) {
                log.info("virtual live {}: {} ms late, the media clock restarts from now", key.path(),
                        (now - due) / 1_000_000);
                anchorNanos = now - s.outMicros * 1000;
                due = now;
            }
            if (due - now > EARLY_NANOS) {
                if (timer == null) {
                    timer = executor.schedule(timerTask, due - now, TimeUnit.NANOSECONDS);
                }
                return;
            }
            queue.poll();
            int size = s.frame.content().readableBytes();
            queuedFrames.decrementAndGet();
            queuedBytes.addAndGet(-size);
            session.addBytesIn(size);
            positionMicros = s.fileMicros;
            publishedMicros = s.outMicros;
            currentPass = s.pass;
            frames++;
            publication.publish(s.frame);
            if (!full()) {
                requestRead();
            }
        }
    }

    private void end(String reason) {
        if (state == VirtualLiveState.ENDING) {
            return;
        }
        if (session == null) {
            // Not started yet; start() ends it when the session arrives.
            stopped = true;
            return;
        }
        state = VirtualLiveState.ENDING;
        stopped = true;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        requestRead(); // closes the reader, unless a read running now does it
        drain();
        session.close();
        if (reason.startsWith("failed")) {
            log.warn("virtual live {} from {} ended: {} ({} frames, {} passes)", key.path(), file, reason, frames,
                    currentPass + 1);
        } else {
            log.info("virtual live {} from {} ended: {} ({} frames, {} passes)", key.path(), file, reason, frames,
                    currentPass + 1);
        }
        try {
            onEnd.accept(this);
        } finally {
            ended.complete(null);
        }
    }
}
