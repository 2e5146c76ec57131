package io.livehub.hls.internal;

import io.livehub.event.ClientInfo;
import io.livehub.event.HlsSegmentEvent;
import io.livehub.hls.HlsConfig;
import io.livehub.hub.LiveStream;
import io.livehub.hub.StreamSubscriber;
import io.livehub.hub.Subscription;
import io.livehub.media.MediaFrame;
import io.livehub.media.StreamKey;
import io.livehub.spi.ServerContext;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.EventExecutor;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Muxes one hub stream to HLS: subscribes to it, feeds an {@link HlsSegmenter} on the
 * subscriber's event loop, publishes each new {@link HlsPlaylist} snapshot through a volatile
 * field for the HTTP threads, and reports {@link HlsSegmentEvent}s.
 *
 * <p>Thread-safety: the subscriber callbacks run on {@link #executor()}; {@link #playlist()},
 * {@link #awaitPlaylist}, {@link #touch()}, {@link #isExpired} and {@link #close()} may be called
 * from any thread.
 */
public final class HlsStream implements StreamSubscriber {

    private static final Logger log = LoggerFactory.getLogger(HlsStream.class);

    private final StreamKey key;
    private final HlsConfig config;
    private final ServerContext server;
    private final EventExecutor executor;
    private final HlsSegmenter segmenter;
    private final String playlistPath;
    private final String directory;
    private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
    /** A request waiting for a playlist that satisfies {@code ready}. */
    private record Waiter(Predicate<HlsPlaylist> ready, Consumer<HlsPlaylist> callback) {
    }

    // Confined to the executor.
    private final List<Waiter> waiters = new ArrayList<>();
    private String publisherId = "";
    private boolean published;

    private volatile Subscription subscription;
    private volatile HlsPlaylist snapshot;
    private volatile long lastRequestNanos = System.nanoTime();
    private volatile long endedAtNanos;
    private volatile boolean ended;
    private volatile boolean closed;

    private final HlsDiskWriter disk;
    private final long firstSequence;

    public HlsStream(StreamKey key, HlsConfig config, ServerContext server, EventExecutor executor) {
        this(key, config, server, executor, null, 0);
    }

    /**
     * Makes a muxer that also writes to {@code disk} when it is not null, and whose first segment
     * has media sequence number {@code firstSequence} (see {@link HlsService} for how it is made
     * unique).
     */
    public HlsStream(StreamKey key, HlsConfig config, ServerContext server, EventExecutor executor,
                     HlsDiskWriter disk, long firstSequence) {
        this.disk = disk;
        this.firstSequence = firstSequence;
        this.key = key;
        this.config = config;
        this.server = server;
        this.executor = executor;
        this.directory = "/" + key.app() + "/";
        this.playlistPath = directory + key.name() + ".m3u8";
        this.segmenter = new HlsSegmenter(config, key.name(), firstSequence, ByteBufAllocator.DEFAULT,
                System::currentTimeMillis,
                this::segmentCompleted);
    }

    /** Subscribes to the hub stream; frames start flowing on {@link #executor()}. */
    public HlsStream start() {
        subscription = server.hub().subscribe(key, this);
        return this;
    }

    public StreamKey key() {
        return key;
    }

    /**
     * Returns the media sequence number the muxer's next segment would have; read it after
     * {@link #close()} completed (or on {@link #executor()}).
     */
    public long nextSequence() {
        return segmenter.nextSequence();
    }

    @Override
    public EventExecutor executor() {
        return executor;
    }

    /** Returns the latest playlist, or null before the first segment (or after close). */
    public HlsPlaylist playlist() {
        return snapshot;
    }

    /** Records a request, which keeps an on-demand muxer alive. */
    public void touch() {
        lastRequestNanos = System.nanoTime();
    }

    /**
     * Calls {@code callback} with the playlist as soon as there is one, or with null after
     * {@code timeout} or when the muxer closes. The callback runs on {@link #executor()} unless
     * the playlist is already there, then on the calling thread.
     */
    public void awaitPlaylist(Duration timeout, Consumer<HlsPlaylist> callback) {
        await(p -> true, timeout, callback);
    }

    /**
     * Calls {@code callback} with the first playlist for which {@code ready} holds (the current
     * one if it does), or with null after {@code timeout} or when the muxer closes; a blocking
     * playlist reload or a preload-hinted part waits here without holding a thread. The
     * callback runs on {@link #executor()} unless the current playlist is ready, then on the
     * calling thread.
     */
    public void await(Predicate<HlsPlaylist> ready, Duration timeout, Consumer<HlsPlaylist> callback) {
        HlsPlaylist p = snapshot;
        if (closed) {
            callback.accept(null);
            return;
        }
        if (p != null && ready.test(p)) {
            callback.accept(p);
            return;
        }
        try {
            executor.execute(() -> {
                HlsPlaylist now = snapshot;
                if (closed) {
                    callback.accept(null);
                    return;
                }
                if (now != null && ready.test(now)) {
                    callback.accept(now);
                    return;
                }
                Waiter w = new Waiter(ready, callback);
                waiters.add(w);
                executor.schedule(() -> {
                    if (waiters.remove(w)) {
                        callback.accept(null);
                    }
                }, timeout.toNanos(), TimeUnit.NANOSECONDS);
            });
        } catch (RejectedExecutionException e) {
            callback.accept(null);
        }
    }

    /**
     * Returns whether the muxer should be released: its stream ended more than
     * {@link HlsConfig#endedRetention()} ago, or (when {@code onDemand}) nobody asked for it for
     * {@link HlsConfig#idleTimeout()}.
     */
    public boolean isExpired(long nowNanos, boolean onDemand) {
        if (ended && nowNanos - endedAtNanos > config.endedRetention().toNanos()) {
            return true;
        }
        return onDemand && nowNanos - lastRequestNanos > config.idleTimeout().toNanos();
    }

    @Override
    public void onPublish(LiveStream stream) {
        String id = stream.publisherId();
        publisherId = id != null ? id : "";
        if (published) {
            segmenter.resume();
            snapshot = segmenter.snapshot();
        }
        published = true;
        ended = false;
    }

    @Override
    public void onFrame(MediaFrame frame) {
        if (!closed) {
            segmenter.frame(frame);
            HlsPlaylist p = segmenter.snapshot();
            if (p != snapshot) {
                // A new part (low latency) or segment.
                snapshot = p;
                wakeWaiters();
            }
        }
    }

    @Override
    public void onUnpublish(LiveStream stream) {
        if (closed) {
            return;
        }
        segmenter.end();
        snapshot = segmenter.snapshot();
        if (disk != null && snapshot != null) {
            disk.update(key.app(), key.name(), snapshot, this::segmentWritten);
        }
        endedAtNanos = System.nanoTime();
        ended = true;
        wakeWaiters();
        log.info("HLS {} ended after segment {}", key.path(), segmenter.nextSequence() - 1);
    }

    private void segmentCompleted(HlsSegment s) {
        snapshot = segmenter.snapshot();
        wakeWaiters();
        if (s.sequence() == firstSequence || s.discontinuity()) {
            log.info("HLS {}: segment {} ({} s{})", key.path(), s.sequence(),
                    String.format(java.util.Locale.ROOT, "%.3f", s.durationSeconds()),
                    s.discontinuity() ? ", after a discontinuity" : "");
        }
        if (disk != null) {
            // Reported once the file is on disk, with its path.
            disk.update(key.app(), key.name(), snapshot, this::segmentWritten);
        } else {
            report(s, directory + s.uri(), playlistPath);
        }
    }

    private void segmentWritten(HlsSegment s, java.nio.file.Path file) {
        java.nio.file.Path playlist = disk.playlistFile(key.app(), key.name());
        report(s, file.toString(), playlist == null ? playlistPath : playlist.toString());
    }

    private void report(HlsSegment s, String file, String m3u8) {
        String url = directory + s.uri();
        ClientInfo client = new ClientInfo("hls", publisherId.isEmpty() ? "hls" : publisherId, null, "", "");
        server.events().hlsSegment(new HlsSegmentEvent(client, key, Map.of(), Instant.now(), file, url,
                m3u8, playlistPath, s.sequence(), Duration.ofNanos(Math.round(s.durationSeconds() * 1e9))));
    }

    private void wakeWaiters() {
        if (waiters.isEmpty()) {
            return;
        }
        HlsPlaylist p = closed ? null : snapshot;
        List<Waiter> ready = new ArrayList<>();
        for (Waiter w : waiters) {
            if (p == null ? closed : w.ready().test(p)) {
                ready.add(w);
            }
        }
        waiters.removeAll(ready);
        for (Waiter w : ready) {
            try {
                w.callback().accept(p);
            } catch (RuntimeException e) {
                log.warn("HLS {}: a playlist waiter failed", key.path(), e);
            }
        }
    }

    /**
     * Unsubscribes and releases every segment, on {@link #executor()}. Idempotent.
     *
     * @return completed when everything is released
     */
    public CompletableFuture<Void> close() {
        if (closed) {
            return closeFuture;
        }
        closed = true;
        try {
            executor.execute(this::closeNow);
        } catch (RejectedExecutionException e) {
            closeNow();
        }
        return closeFuture;
    }

    private void closeNow() {
        try {
            Subscription s = subscription;
            if (s != null) {
                s.close();
            }
            snapshot = null;
            segmenter.close();
            if (disk != null) {
                disk.remove(key.app(), key.name());
            }
            wakeWaiters();
        } finally {
            closeFuture.complete(null);
        }
    }
}
