package io.livehub.mp4.internal;

import io.livehub.hub.LiveStream;
import io.livehub.media.StreamKey;
import io.livehub.mp4.ArtifactCode;
import io.livehub.mp4.Mp4Recovery;
import io.livehub.mp4.RecordConfig;
import io.livehub.mp4.RecordingInfo;
import io.livehub.spi.ServerContext;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutorGroup;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.io.UncheckedIOException;
import java.util.stream.Stream;
import java.util.HashMap;
import java.util.Comparator;
import java.time.Instant;
import java.nio.file.LinkOption;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the recordings of one module: which streams are recorded (the configuration plus
 * run-time starts and stops), one {@link StreamRecorder} per recorded live stream, the
 * recording threads, and the counters.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class Recorders {

    private static final Logger log = LoggerFactory.getLogger(Recorders.class);
    /** How often old recordings are looked for; retention is counted in days, a minute is plenty. */
    private static final long RETENTION_SWEEP_SECONDS = 60;

    private final RecordConfig config;
    private final ServerContext context;
    private final EventExecutorGroup threads;
    private final Map<StreamKey, StreamRecorder> active = new ConcurrentHashMap<>();
    private final Set<StreamKey> started = ConcurrentHashMap.newKeySet();
    private final Set<StreamKey> stopped = ConcurrentHashMap.newKeySet();
    private final Set<CompletableFuture<Void>> finishing = ConcurrentHashMap.newKeySet();
    private final AtomicLong writeErrors = new AtomicLong();
    private final AtomicLong filesFinished = new AtomicLong();
    private volatile boolean closed;

    public Recorders(RecordConfig config, ServerContext context) {
        this.config = config;
        this.context = context;
        this.threads = new DefaultEventExecutorGroup(config.threads(), new DefaultThreadFactory("livehub-record", true));
    }

    RecordConfig config() {
        return config;
    }

    ServerContext context() {
        return context;
    }

    ByteBufAllocator alloc() {
        return ByteBufAllocator.DEFAULT;
    }

    /**
     * Finds the files a previous process left unfinished under the root and finishes them in
     * the background on the recording threads, firing each one's record end with
     * {@link ArtifactCode#RECOVERED}. Called once, before any recording starts, so the list
     * holds none of this process's files; new files never take a name whose {@code .part}
     * exists, so recordings can start at once.
     */
    public void recover() throws IOException {
        for (Path part : Mp4Recovery.find(config.root())) {
            finish(() -> recovered(Mp4Recovery.recoverFile(part, config.writer().keepFragmented(), config.channels(),
                    alloc())));
        }
    }

    private void recovered(Mp4Recovery.Recovered r) {
        Map<String, String> m = r.metadata();
        StreamKey key = null;
        try {
            if (m.containsKey("stream")) {
                key = StreamKey.of(m.getOrDefault("vhost", StreamKey.DEFAULT_VHOST), m.get("app"), m.get("stream"));
            }
        } catch (IllegalArgumentException e) {
            log.warn("recovered recording {} names an invalid stream: {}", r.part(), e.getMessage());
        }
        String id = m.getOrDefault("recordId", "");
        if (r.result() != null) {
            RecordSession.recovered(context, key, id, r.result().path(), r.result().duration(), r.result().size(),
                    ArtifactCode.RECOVERED, url(r.result().path()));
        } else {
            RecordSession.recovered(context, key, id, r.part(), java.time.Duration.ZERO, 0,
                    ArtifactCode.FINISH_FAILED, "");
        }
    }

    /** Returns the HTTP service of finished files, or null when {@link RecordConfig#httpPath()} is not set. */
    public io.livehub.http.HttpService httpService() {
        return config.httpPath() == null ? null
                : new RecordHttpService(config.httpPath(), config.root(), config.httpAccess());
    }

    /**
     * Deletes finished recordings older than {@link RecordConfig#retention()}, then the oldest
     * while less than {@link RecordConfig#minFreeBytes()} is usable, on a recording thread at
     * once and every minute after; does nothing when neither is set.
     */
    public void scheduleRetention() {
        if (config.retention() == null && config.minFreeBytes() == 0) {
            return;
        }
        threads.scheduleAtFixedRate(this::retain, 0, RETENTION_SWEEP_SECONDS, TimeUnit.SECONDS);
    }

    /**
     * Deletes finished recordings ({@code .mp4}, {@code .flv}; never a file in progress) that the
     * retention or the free-space floor says to; returns how many.
     */
    public int retain() {
        if (!Files.isDirectory(config.root())) {
            return 0;
        }
        List<Path> finished = new ArrayList<>();
        try (Stream<Path> files = Files.walk(config.root(), Mp4Recovery.MAX_DEPTH)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String name = p.getFileName().toString();
                if ((name.endsWith(".mp4") || name.endsWith(".flv")) && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    finished.add(p);
                }
            }
        } catch (IOException | UncheckedIOException e) {
            log.warn("retention sweep of {} stopped: {}", config.root(), e.toString());
            return 0;
        }
        Map<Path, Instant> modified = new HashMap<>();
        for (Path p : finished) {
            try {
                modified.put(p, Files.getLastModifiedTime(p).toInstant());
            } catch (IOException e) {
                // gone meanwhile
            }
        }
        List<Path> oldestFirst = new ArrayList<>(modified.keySet());
        oldestFirst.sort(Comparator.comparing(modified::get));
        Instant cutoff = config.retention() == null ? null : Instant.now().minus(config.retention());
        int deleted = 0;
        for (Path p : oldestFirst) {
            boolean old = cutoff != null && modified.get(p).isBefore(cutoff);
            if (!old && !lowOnSpace()) {
                break; // sorted by age: nothing younger is old, and there is room
            }
            try {
                Files.deleteIfExists(p);
                deleted++;
                log.info("deleted recording {} ({})", p, old ? "older than " + config.retention()
                        : "less than " + config.minFreeBytes() + " bytes free");
            } catch (IOException e) {
                log.warn("cannot delete recording {}: {}", p, e.toString());
            }
        }
        if (lowOnSpace()) {
            log.warn("less than {} bytes free under {} with no finished recording left to delete",
                    config.minFreeBytes(), config.root());
        }
        return deleted;
    }

    private boolean lowOnSpace() {
        if (config.minFreeBytes() == 0) {
            return false;
        }
        try {
            return Files.getFileStore(config.root()).getUsableSpace() < config.minFreeBytes();
        } catch (IOException e) {
            return false;
        }
    }

    /** Starts recorders for the live streams that should be recorded and have none. */
    public void sweep() {
        if (closed) {
            return;
        }
        for (LiveStream s : context.hub().streams()) {
            StreamKey key = s.key();
            if (s.isPublishing() && selected(key) && !active.containsKey(key)) {
                StreamRecorder r = new StreamRecorder(this, key, threads.next());
                if (active.putIfAbsent(key, r) == null) {
                    r.start();
                }
            }
        }
    }

    private boolean selected(StreamKey key) {
        return started.contains(key) || !stopped.contains(key) && config.selects(key);
    }

    /** Records {@code key} from its next keyframe (now, when it is live). */
    public void start(StreamKey key) {
        stopped.remove(key);
        started.add(key);
        sweep();
    }

    /** Stops recording {@code key}: its file is finished. Returns when it is. */
    public CompletableFuture<Void> stop(StreamKey key) {
        started.remove(key);
        stopped.add(key);
        StreamRecorder r = active.get(key);
        return r == null ? CompletableFuture.completedFuture(null) : r.stop();
    }

    /** Returns the recordings in progress. */
    public List<RecordingInfo> recordings() {
        List<RecordingInfo> out = new ArrayList<>();
        for (StreamRecorder r : active.values()) {
            RecordingInfo i = r.info();
            if (i != null) {
                out.add(i);
            }
        }
        return out;
    }

    public long writeErrors() {
        return writeErrors.get();
    }

    public long filesFinished() {
        return filesFinished.get();
    }

    void writeFailed() {
        writeErrors.incrementAndGet();
    }

    void finished() {
        filesFinished.incrementAndGet();
    }

    void removed(StreamRecorder r) {
        active.remove(r.key(), r);
    }

    /** Returns the URL of a finished file, or empty when no prefix is configured. */
    String url(Path file) {
        return config.urlPrefix().isEmpty() ? "" : config.urlPrefix() + RecordPaths.urlPath(config.root(), file);
    }

    /** Runs {@code task} (finishing a file) on a recording thread; the future completes after it. */
    CompletableFuture<Void> finish(Runnable task) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        finishing.add(f);
        f.whenComplete((v, e) -> finishing.remove(f));
        try {
            threads.next().execute(() -> {
                try {
                    task.run();
                } finally {
                    f.complete(null);
                }
            });
        } catch (RuntimeException e) {
            // The threads are gone (the module stopped): finish here rather than lose the file.
            try {
                task.run();
            } finally {
                f.complete(null);
            }
        }
        return f;
    }

    /** Stops every recording, finishes their files, then ends the recording threads. */
    public CompletableFuture<Void> close() {
        closed = true;
        List<CompletableFuture<Void>> stops = new ArrayList<>();
        for (StreamRecorder r : active.values()) {
            stops.add(r.stop());
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        CompletableFuture.allOf(stops.toArray(new CompletableFuture[0]))
                .thenCompose(v -> CompletableFuture.allOf(finishing.toArray(new CompletableFuture[0])))
                .whenComplete((v, e) -> threads.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS)
                        .addListener(x -> done.complete(null)));
        return done;
    }
}
