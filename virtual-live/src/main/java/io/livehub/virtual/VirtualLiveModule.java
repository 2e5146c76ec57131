package io.livehub.virtual;

import io.livehub.hub.StreamBusyException;
import io.livehub.media.StreamKey;
import io.livehub.spi.ServerContext;
import io.livehub.spi.ServerModule;
import io.livehub.virtual.api.VirtualLiveHttpService;
import io.livehub.virtual.internal.FilePublisherSession;
import io.livehub.virtual.internal.MediaFiles;
import io.livehub.virtual.internal.MediaRoot;
import io.livehub.virtual.internal.VirtualLiveSource;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.concurrent.EventExecutor;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Virtual live: plays a file of the media root as a live stream, in real time and looped, as
 * one more kind of publisher (protocol {@code file}). The file's own H.264, H.265 or AV1 video
 * and AAC or Opus audio go into the hub as they are, without transcoding, from MP4
 * (progressive or fragmented) or FLV (legacy or enhanced). Players of any protocol watch it
 * like any live stream.
 *
 * <pre>{@code
 * VirtualLiveModule virtual = VirtualLiveModule.builder().mediaRoot(Path.of("/data/media")).build();
 * MediaServer server = MediaServer.builder().module(RtmpModule.builder().build()).module(virtual).start();
 * virtual.start(StreamKey.of("live", "talk"), "talk.mp4", VirtualLiveModule.FOREVER);
 * }</pre>
 *
 * <p>A start asks the listeners as any publisher does: {@code onConnect}, then {@code onPublish}
 * with the file in the parameters ({@code file=talk.mp4}); stopping fires {@code onUnpublish}
 * and {@code onClose}. While it plays the source is listed with the server's clients and can be
 * kicked from there.
 *
 * <p>Files are named relative to the media root and never leave it: {@code ..}, absolute paths
 * and symbolic links out of the root are refused.
 *
 * <p>Thread-safety: every method may be called from any thread once the server has started.
 */
public final class VirtualLiveModule implements ServerModule {

    private static final Logger log = LoggerFactory.getLogger(VirtualLiveModule.class);

    /** A loop count that plays the file forever. */
    public static final long FOREVER = 0;
    /** The largest start offset, far beyond any file, so that it converts to microseconds safely. */
    private static final Duration MAX_START_OFFSET = Duration.ofDays(365);

    private final VirtualLiveConfig config;
    private final boolean httpApi;
    private final String apiToken;
    private volatile VirtualLiveHttpService http;
    private final ConcurrentHashMap<StreamKey, Entry> sources = new ConcurrentHashMap<>();
    private volatile ServerContext ctx;
    private volatile MediaRoot root;
    private volatile ExecutorService readers;

    /** A stream from the start request on; {@code source} is set once the file is open. */
    private static final class Entry {
        final String file;
        volatile VirtualLiveSource source;
        volatile boolean cancelled;
        final java.time.Instant requestedAt = java.time.Instant.now();

        Entry(String file) {
            this.file = file;
        }
    }

    private VirtualLiveModule(VirtualLiveConfig config, boolean httpApi, String apiToken) {
        this.config = Objects.requireNonNull(config, "config");
        this.httpApi = httpApi;
        this.apiToken = apiToken;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Returns a module with {@code config}. */
    public static VirtualLiveModule of(VirtualLiveConfig config) {
        return new VirtualLiveModule(config, false, null);
    }

    public VirtualLiveConfig config() {
        return config;
    }

    @Override
    public String name() {
        return "virtual-live";
    }

    @Override
    public void start(ServerContext context) throws IOException {
        MediaRoot r = new MediaRoot(config.mediaRoot());
        AtomicInteger n = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(config.readerThreads(), task -> {
            Thread t = new Thread(task, "livehub-virtual-reader-" + n.getAndIncrement());
            t.setDaemon(true);
            return t;
        });
        this.root = r;
        this.readers = pool;
        this.ctx = context;
        if (httpApi) {
            VirtualLiveHttpService service = new VirtualLiveHttpService(this, apiToken);
            context.http().add(service);
            this.http = service;
        }
        log.info("virtual live serves files from {}{}", r.path(), httpApi ? ", with its HTTP API" : "");
    }

    @Override
    public CompletionStage<Void> stop() {
        ServerContext c = ctx;
        ctx = null;
        VirtualLiveHttpService service = http;
        if (c != null && service != null) {
            c.http().remove(service);
        }
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (Entry e : sources.values()) {
            e.cancelled = true;
            VirtualLiveSource s = e.source;
            if (s != null) {
                s.stop();
                all.add(s.ended());
            }
        }
        ExecutorService pool = readers;
        return CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0]))
                .orTimeout(5, TimeUnit.SECONDS)
                .handle((v, t) -> {
                    if (pool != null) {
                        pool.shutdown(); // queued closes of the files still run
                    }
                    return null;
                });
    }

    /**
     * Starts playing {@code file} as {@code key}, {@code loops} times ({@link #FOREVER} for ever).
     *
     * @see #start(StreamKey, String, long, Duration)
     */
    public CompletionStage<VirtualLiveStatus> start(StreamKey key, String file, long loops) {
        return start(key, file, loops, Duration.ZERO);
    }

    /**
     * Starts playing {@code file} (relative to the media root) as the live stream {@code key}.
     * The stage completes once the stream is published (on its event loop); it fails
     * with {@link IllegalArgumentException} for a path outside the media root or a missing file,
     * {@link UnsupportedMediaException} for a format or codec the hub does not carry,
     * {@link io.livehub.media.MalformedMediaException} for a malformed file,
     * {@link VirtualLiveException} when a listener denies it or the module is not running or full,
     * and {@link StreamBusyException} when the stream already has a publisher.
     *
     * @param loops       passes through the file, at least 1, or {@link #FOREVER}
     * @param startOffset where the first pass starts (at the first video keyframe at or after it);
     *                    later passes start at the beginning
     */
    public CompletionStage<VirtualLiveStatus> start(StreamKey key, String file, long loops, Duration startOffset) {
        return start(key, file, loops, startOffset, Map.of());
    }

    /**
     * Starts playing {@code file} as {@code key}, as {@link #start(StreamKey, String, long, Duration)},
     * with {@code params} added to the parameters the listeners see after {@code file} (for
     * example the publish {@code secret} a secret authorizer asks for).
     */
    public CompletionStage<VirtualLiveStatus> start(StreamKey key, String file, long loops, Duration startOffset,
                                                    Map<String, String> params) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(params, "params");
        Objects.requireNonNull(startOffset, "startOffset");
        ServerContext c = ctx;
        if (c == null) {
            return CompletableFuture.failedFuture(new VirtualLiveException("virtual live module is not running"));
        }
        if (loops < 0 || startOffset.isNegative() || startOffset.compareTo(MAX_START_OFFSET) > 0) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(
                    "loops must be 0 (forever) or more and the start offset from 0 to " + MAX_START_OFFSET));
        }
        long offsetMicros = startOffset.toNanos() / 1000;
        Path path;
        try {
            path = root.resolve(file);
        } catch (IllegalArgumentException e) {
            log.warn("virtual live {}: refused file '{}': {}", key.path(), printable(file), e.getMessage());
            return CompletableFuture.failedFuture(e);
        }
        Entry entry = new Entry(file);
        if (sources.size() >= config.maxStreams()) {
            return CompletableFuture.failedFuture(new VirtualLiveException(
                    "too many virtual live streams (limit " + config.maxStreams() + ")"));
        }
        if (sources.putIfAbsent(key, entry) != null) {
            return CompletableFuture.failedFuture(new StreamBusyException(key));
        }
        EventExecutor executor = c.transport().workerGroup().next();
        CompletableFuture<VirtualLiveStatus> result = new CompletableFuture<>();
        CompletableFuture<MediaFileReader> opened;
        try {
            opened = CompletableFuture.supplyAsync(() -> {
                try {
                    return MediaFiles.open(path, config, PooledByteBufAllocator.DEFAULT);
                } catch (IOException e) {
                    throw new CompletionException(e);
                }
            }, readers);
        } catch (RejectedExecutionException e) {
            sources.remove(key, entry);
            return CompletableFuture.failedFuture(new VirtualLiveException("virtual live module is not running"));
        }
        opened.thenCompose(reader -> FilePublisherSession.open(c, key, file, params, executor, () -> stop(key))
                .handle((session, t) -> {
                    if (t != null) {
                        closeQuietly(reader);
                        throw t instanceof CompletionException ? (CompletionException) t : new CompletionException(t);
                    }
                    VirtualLiveSource s = new VirtualLiveSource(key, file, session.clientId(), loops,
                            offsetMicros, reader, readers, executor, config.readAheadFrames(),
                            config.readAheadBytes(), ended -> sources.remove(key, entry));
                    entry.source = s;
                    if (entry.cancelled) {
                        s.stop();
                    }
                    s.start(session);
                    return s.status();
                }))
                .whenComplete((status, t) -> {
                    if (t != null) {
                        Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
                        sources.remove(key, entry);
                        log.warn("virtual live {} from {} not started: {}", key.path(), file, cause.getMessage());
                        result.completeExceptionally(cause);
                    } else {
                        result.complete(status);
                    }
                });
        return result;
    }

    /**
     * Stops the stream {@code key}; the stage completes once it is unpublished ({@code onUnpublish}
     * fired). Completes with false when no virtual live stream has this key.
     */
    public CompletionStage<Boolean> stop(StreamKey key) {
        Entry e = sources.get(key);
        if (e == null) {
            return CompletableFuture.completedFuture(false);
        }
        e.cancelled = true;
        VirtualLiveSource s = e.source;
        if (s == null) {
            return CompletableFuture.completedFuture(true); // still starting: it stops as it starts
        }
        s.stop();
        return s.ended().thenApply(v -> true);
    }

    /** Returns the virtual live streams being played, with their state, position and loop. */
    public List<VirtualLiveStatus> list() {
        List<VirtualLiveStatus> out = new ArrayList<>();
        sources.forEach((k, e) -> out.add(status(k, e)));
        return out;
    }

    /** Returns the status of the stream {@code key}, if it is a virtual live stream. */
    public Optional<VirtualLiveStatus> status(StreamKey key) {
        Entry e = sources.get(key);
        return e == null ? Optional.empty() : Optional.of(status(key, e));
    }

    private static VirtualLiveStatus status(StreamKey k, Entry e) {
        VirtualLiveSource s = e.source;
        if (s != null) {
            return s.status();
        }
        return new VirtualLiveStatus(k, e.file, "", VirtualLiveState.STARTING, 1, 0, Duration.ZERO, Duration.ZERO, 0,
                e.requestedAt);
    }

    private static void closeQuietly(MediaFileReader r) {
        try {
            r.close();
        } catch (IOException | RuntimeException e) {
            log.debug("closing {}: {}", r.name(), e.toString());
        }
    }

    private static String printable(String s) {
        return s == null ? "null" : s.replaceAll("\\p{Cntrl}", "?");
    }

    /** Builds a {@link VirtualLiveModule} from a {@link VirtualLiveConfig}. */
    public static final class Builder {
        private final VirtualLiveConfig.Builder config = VirtualLiveConfig.builder();
        private boolean httpApi;
        private String apiToken;

        private Builder() {
        }

        /** Sets the folder files are played from (required). */
        public Builder mediaRoot(Path mediaRoot) {
            config.mediaRoot(mediaRoot);
            return this;
        }

        public Builder readAheadFrames(int frames) {
            config.readAheadFrames(frames);
            return this;
        }

        public Builder readAheadBytes(int bytes) {
            config.readAheadBytes(bytes);
            return this;
        }

        public Builder readerThreads(int threads) {
            config.readerThreads(threads);
            return this;
        }

        public Builder maxStreams(int streams) {
            config.maxStreams(streams);
            return this;
        }

        public Builder mp4Limits(io.livehub.virtual.mp4.Mp4Limits limits) {
            config.mp4Limits(limits);
            return this;
        }

        /**
         * Serves the HTTP API ({@link VirtualLiveHttpService}) on the server's shared HTTP
         * endpoint; {@code token} null or empty serves loopback clients only.
         */
        public Builder httpApi(String token) {
            this.httpApi = true;
            this.apiToken = token;
            return this;
        }

        public VirtualLiveModule build() {
            return new VirtualLiveModule(config.build(), httpApi, apiToken);
        }
    }
}
