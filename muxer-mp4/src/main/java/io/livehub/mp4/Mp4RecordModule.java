package io.livehub.mp4;

import io.livehub.media.StreamKey;
import io.livehub.mp4.internal.Recorders;
import io.livehub.http.HttpService;
import io.livehub.spi.ServerContext;
import io.livehub.spi.ServerModule;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Records live streams to MP4 files under a record root, whatever protocol they came in on:
 * every stream, the streams of some apps, or single streams, chosen in {@link RecordConfig}
 * and changed at run time with {@link #start(StreamKey)} and {@link #stop(StreamKey)}.
 *
 * <p>Each recording is a hub subscriber drained on the module's recording threads, never on an
 * event loop. Files are fragmented MP4 while written, so a crash loses at most about a second
 * ({@link Mp4RecordingWriter}); a cleanly ended file is rewritten as a fast-start progressive
 * MP4 ({@link Mp4Finisher}); at start the module finishes what a previous process left
 * unfinished ({@link Mp4Recovery}). Every file is reported with
 * {@link io.livehub.event.MediaServerListener#onRecordBegin} and {@code onRecordEnd} (SRS Stack
 * {@code on_record_begin}/{@code on_record_end}, SRS {@code on_dvr} through the hooks module),
 * whose {@code artifactCode} says how it ended ({@link ArtifactCode}).
 *
 * <pre>{@code
 * MediaServer.builder()
 *     .module(RtmpModule.builder().port(1935).build())
 *     .module(Mp4RecordModule.builder(Path.of("/data/record")).all()
 *             .pathTemplate("{app}/{stream}/{yyyy}/{MM}/{dd}/{stream}-{timestamp}.mp4").build())
 *     .start();
 * }</pre>
 *
 * <p>Thread-safety: {@link #start(StreamKey)}, {@link #stop(StreamKey)} and
 * {@link #recordings()} may be called from any thread once the server started.
 */
public final class Mp4RecordModule implements ServerModule {

    /** How often live streams are looked at for recordings to start. */
    private static final long SWEEP_MILLIS = 200;

    private final RecordConfig config;
    private volatile Recorders recorders;
    private ServerContext context;
    private HttpService http;
    private ScheduledFuture<?> sweep;

    public Mp4RecordModule(RecordConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /** Returns a builder of a module whose files go under {@code root}. */
    public static Builder builder(Path root) {
        return new Builder(RecordConfig.builder(root));
    }

    public RecordConfig config() {
        return config;
    }

    @Override
    public String name() {
        return "record";
    }

    @Override
    public void start(ServerContext context) throws Exception {
        Recorders r = new Recorders(config, context);
        try {
            if (config.recoverAtStart()) {
                r.recover();
            }
        } catch (Exception e) {
            r.close();
            throw e;
        }
        recorders = r;
        http = r.httpService();
        if (http != null) {
            context.http().add(http);
        }
        this.context = context;
        r.scheduleRetention();
        sweep = context.transport().workerGroup().next()
                .scheduleAtFixedRate(r::sweep, 0, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Starts recording {@code key} (from its next keyframe when it is live, else when it publishes). */
    public void start(StreamKey key) {
        running().start(key);
    }

    /** Stops recording {@code key}; the stage completes when its file is finished. */
    public CompletionStage<Void> stop(StreamKey key) {
        return running().stop(key);
    }

    /** Returns the recordings in progress. */
    public List<RecordingInfo> recordings() {
        return running().recordings();
    }

    /** Returns how many recordings ended with a write error (a full disk, an I/O error). */
    public long writeErrors() {
        Recorders r = recorders;
        return r == null ? 0 : r.writeErrors();
    }

    /** Returns how many files were finished. */
    public long filesFinished() {
        Recorders r = recorders;
        return r == null ? 0 : r.filesFinished();
    }

    private Recorders running() {
        Recorders r = recorders;
        if (r == null) {
            throw new IllegalStateException("the record module is not started");
        }
        return r;
    }

    /** Stops every recording and finishes its file; completes when all are finished. */
    @Override
    public CompletionStage<Void> stop() {
        Recorders r = recorders;
        if (r == null) {
            return CompletableFuture.completedFuture(null);
        }
        sweep.cancel(false);
        if (http != null) {
            context.http().remove(http);
        }
        recorders = null;
        return r.close();
    }

    /** Builds an {@link Mp4RecordModule}: the {@link RecordConfig.Builder} settings, then {@link #build()}. */
    public static final class Builder {
        private final RecordConfig.Builder config;

        private Builder(RecordConfig.Builder config) {
            this.config = config;
        }

        /** Records every stream. */
        public Builder all() {
            config.all();
            return this;
        }

        public Builder app(String app) {
            config.app(app);
            return this;
        }

        public Builder stream(StreamKey key) {
            config.stream(key);
            return this;
        }

        public Builder format(RecordFormat format) {
            config.format(format);
            return this;
        }

        public Builder pathTemplate(String template) {
            config.pathTemplate(template);
            return this;
        }

        public Builder plan(RecordPlan plan) {
            config.plan(plan);
            return this;
        }

        public Builder segmentDuration(java.time.Duration d) {
            config.segmentDuration(d);
            return this;
        }

        public Builder writer(Mp4WriterConfig writer) {
            config.writer(writer);
            return this;
        }

        public Builder urlPrefix(String prefix) {
            config.urlPrefix(prefix);
            return this;
        }

        /** Serves finished files under {@code path} (e.g. {@code /record/}), see {@link RecordConfig#httpPath()}. */
        public Builder httpPath(String path) {
            config.httpPath(path);
            return this;
        }

        public Builder httpAccess(RecordHttpAccess access) {
            config.httpAccess(access);
            return this;
        }

        public Builder retention(java.time.Duration retention) {
            config.retention(retention);
            return this;
        }

        public Builder minFreeBytes(long bytes) {
            config.minFreeBytes(bytes);
            return this;
        }

        public Builder channels(FileChannelFactory channels) {
            config.channels(channels);
            return this;
        }

        /** Applies any other {@link RecordConfig.Builder} setting. */
        public Builder config(Consumer<RecordConfig.Builder> settings) {
            settings.accept(config);
            return this;
        }

        public Mp4RecordModule build() {
            return new Mp4RecordModule(config.build());
        }
    }
}
