package io.livehub.mp4;

import io.livehub.media.StreamKey;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Configures an {@link Mp4RecordModule}: where files go, which streams are recorded, how files
 * are cut, and how they are written.
 *
 * <p>Which streams: {@link Builder#all()} records every stream; {@link Builder#app} and
 * {@link Builder#stream} add apps and single streams; with none of them, nothing is recorded
 * until {@link Mp4RecordModule#start(StreamKey)} is called. The module's {@code start} and
 * {@code stop} change the choice at run time.
 *
 * <p>Thread-safety: immutable.
 */
public final class RecordConfig {

    /** The default path template: SRS's {@code [app]/[stream].[timestamp]} layout. */
    public static final String DEFAULT_PATH_TEMPLATE = "{app}/{stream}-{timestamp}.mp4";

    private final Path root;
    private final RecordFormat format;
    private final String pathTemplate;
    private final ZoneId zone;
    private final RecordPlan plan;
    private final Duration segmentDuration;
    private final boolean all;
    private final Set<String> apps;
    private final Set<StreamKey> streams;
    private final Mp4WriterConfig writer;
    private final int threads;
    private final Duration maxTimestampJump;
    private final boolean recoverAtStart;
    private final String urlPrefix;
    private final FileChannelFactory channels;
    private final String httpPath;
    private final RecordHttpAccess httpAccess;
    private final Duration retention;
    private final long minFreeBytes;

    private RecordConfig(Builder b) {
        this.root = b.root;
        this.format = b.format;
        this.pathTemplate = b.pathTemplate != null ? b.pathTemplate
                : DEFAULT_PATH_TEMPLATE.replace(".mp4", "." + b.format.extension());
        this.zone = b.zone;
        this.plan = b.plan;
        this.segmentDuration = b.segmentDuration;
        this.all = b.all;
        this.apps = Set.copyOf(b.apps);
        this.streams = Set.copyOf(b.streams);
        this.writer = b.writer;
        this.threads = b.threads;
        this.maxTimestampJump = b.maxTimestampJump;
        this.recoverAtStart = b.recoverAtStart;
        this.urlPrefix = b.urlPrefix;
        this.channels = b.channels;
        this.httpPath = b.httpPath;
        this.httpAccess = b.httpAccess;
        this.retention = b.retention;
        this.minFreeBytes = b.minFreeBytes;
    }

    /** Returns a builder whose files go under {@code root}. */
    public static Builder builder(Path root) {
        return new Builder(root);
    }

    /** Returns the record root; no file is written outside it, whatever a stream is called. */
    public Path root() {
        return root;
    }

    /** Returns the container files are written in; default {@link RecordFormat#MP4}. */
    public RecordFormat format() {
        return format;
    }

    /**
     * Returns the template of a file's path under the root; default
     * {@value #DEFAULT_PATH_TEMPLATE} (with {@code .flv} for {@link RecordFormat#FLV}). Placeholders: {@code {vhost}}, {@code {app}},
     * {@code {stream}}, {@code {timestamp}} (milliseconds since the epoch), {@code {yyyy}},
     * {@code {MM}}, {@code {dd}}, {@code {HH}}, {@code {mm}}, {@code {ss}} (the start time in
     * {@link #zone()}). Names are made safe for a path first: separators, NUL, control
     * characters and leading dots become {@code _}, and each is cut to 64 characters.
     */
    public String pathTemplate() {
        return pathTemplate;
    }

    /** Returns the time zone of the date placeholders; default the system's, as SRS uses local time. */
    public ZoneId zone() {
        return zone;
    }

    /** Returns when a new file starts; default {@link RecordPlan#SESSION}. */
    public RecordPlan plan() {
        return plan;
    }

    /** Returns the length of a file with {@link RecordPlan#SEGMENT}; default 30 s, SRS's {@code dvr_duration}. */
    public Duration segmentDuration() {
        return segmentDuration;
    }

    /** Returns whether every stream is recorded; default false. */
    public boolean all() {
        return all;
    }

    /** Returns the apps whose every stream is recorded. */
    public Set<String> apps() {
        return apps;
    }

    /** Returns the single streams recorded. */
    public Set<StreamKey> streams() {
        return streams;
    }

    /** Returns whether {@code key} is chosen by this configuration (before run-time changes). */
    public boolean selects(StreamKey key) {
        return all || apps.contains(key.app()) || streams.contains(key);
    }

    /**
     * Returns how each file is written; default {@link Mp4WriterConfig#defaults()}. FLV files
     * use its fragment duration, size and sync settings for how often they are written.
     */
    public Mp4WriterConfig writer() {
        return writer;
    }

    /**
     * Returns the threads that write files, shared by every recording; default 2. File writes
     * never run on the event loops; a recording that falls behind drops frames to its next
     * keyframe (the hub's subscriber queue bound) and counts them.
     */
    public int threads() {
        return threads;
    }

    /**
     * Returns the largest jump between two timestamps of a track that stays in one file;
     * default 10 s. A larger jump (a publisher that restarted its clock) starts a new file, so
     * no file holds a long gap.
     */
    public Duration maxTimestampJump() {
        return maxTimestampJump;
    }

    /** Returns whether unfinished files under the root are finished when the module starts ({@link Mp4Recovery}); default true. */
    public boolean recoverAtStart() {
        return recoverAtStart;
    }

    /**
     * Returns the prefix of a finished file's URL in record events ({@code artifact_url}): the
     * prefix plus the file's path under the root, with {@code /} separators; default empty,
     * which reports no URL.
     */
    public String urlPrefix() {
        return urlPrefix;
    }

    /** Returns how files are opened; default {@link FileChannelFactory#DEFAULT}. */
    public FileChannelFactory channels() {
        return channels;
    }

    /**
     * Returns the URL path under which finished files are served on the shared HTTP endpoint
     * (for example {@code /record/}: {@code /record/live/cam1-1700000000000.mp4}), with
     * {@code Range} requests answered {@code 206}; default null, not served. Only finished
     * files ({@code .mp4}, {@code .flv}) under the root are served, never a file in progress.
     */
    public String httpPath() {
        return httpPath;
    }

    /** Returns who may download recordings; default {@link RecordHttpAccess#LOOPBACK}. */
    public RecordHttpAccess httpAccess() {
        return httpAccess;
    }

    /**
     * Returns how long finished files are kept: older ones (by modification time) are deleted,
     * checked at start and every minute; default null, kept for ever. See also
     * {@link #minFreeBytes()}.
     */
    public Duration retention() {
        return retention;
    }

    /**
     * Returns the free space to keep on the record root's file system: while less is usable,
     * the oldest finished recordings are deleted, checked with {@link #retention()}'s sweep
     * (at start and every minute); default 0, off.
     */
    public long minFreeBytes() {
        return minFreeBytes;
    }

    /** Builds a {@link RecordConfig}; every setter has the default its getter documents. */
    public static final class Builder {
        private final Path root;
        private RecordFormat format = RecordFormat.MP4;
        private String pathTemplate;
        private ZoneId zone = ZoneId.systemDefault();
        private RecordPlan plan = RecordPlan.SESSION;
        private Duration segmentDuration = Duration.ofSeconds(30);
        private boolean all;
        private final Set<String> apps = new LinkedHashSet<>();
        private final Set<StreamKey> streams = new LinkedHashSet<>();
        private Mp4WriterConfig writer = Mp4WriterConfig.defaults();
        private int threads = 2;
        private Duration maxTimestampJump = Duration.ofSeconds(10);
        private boolean recoverAtStart = true;
        private String urlPrefix = "";
        private FileChannelFactory channels = FileChannelFactory.DEFAULT;
        private String httpPath;
        private RecordHttpAccess httpAccess = RecordHttpAccess.LOOPBACK;
        private Duration retention;
        private long minFreeBytes;

        private Builder(Path root) {
            this.root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
        }

        /** Records every stream. */
        public Builder all() {
            this.all = true;
            return this;
        }

        /** Records every stream of {@code app}. */
        public Builder app(String app) {
            apps.add(Objects.requireNonNull(app, "app"));
            return this;
        }

        /** Records {@code key}. */
        public Builder stream(StreamKey key) {
            streams.add(Objects.requireNonNull(key, "key"));
            return this;
        }

        /** @throws IllegalArgumentException when the template has no {@code {stream}} or {@code {timestamp}} placeholder, whose absence would make streams or publishes overwrite each other's files */
        public Builder pathTemplate(String template) {
            Objects.requireNonNull(template, "template");
            if (!template.contains("{stream}") || !template.contains("{timestamp}") && !template.contains("{ss}")) {
                throw new IllegalArgumentException("path template needs {stream} and {timestamp} (or the date down to {ss}): "
                        + template);
            }
            if (template.startsWith("/") || template.contains("..")) {
                throw new IllegalArgumentException("path template must stay under the root: " + template);
            }
            this.pathTemplate = template;
            return this;
        }

        public Builder format(RecordFormat format) {
            this.format = Objects.requireNonNull(format, "format");
            return this;
        }

        public Builder zone(ZoneId zone) {
            this.zone = Objects.requireNonNull(zone, "zone");
            return this;
        }

        public Builder plan(RecordPlan plan) {
            this.plan = Objects.requireNonNull(plan, "plan");
            return this;
        }

        public Builder segmentDuration(Duration d) {
            Objects.requireNonNull(d, "segmentDuration");
            if (d.toMillis() < 1000) {
                throw new IllegalArgumentException("segmentDuration must be at least 1 s: " + d);
            }
            this.segmentDuration = d;
            return this;
        }

        public Builder writer(Mp4WriterConfig writer) {
            this.writer = Objects.requireNonNull(writer, "writer");
            return this;
        }

        public Builder threads(int threads) {
            if (threads < 1 || threads > 64) {
                throw new IllegalArgumentException("threads must be 1 to 64: " + threads);
            }
            this.threads = threads;
            return this;
        }

        public Builder maxTimestampJump(Duration d) {
            Objects.requireNonNull(d, "maxTimestampJump");
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("maxTimestampJump must be positive: " + d);
            }
            this.maxTimestampJump = d;
            return this;
        }

        public Builder recoverAtStart(boolean recover) {
            this.recoverAtStart = recover;
            return this;
        }

        public Builder urlPrefix(String prefix) {
            this.urlPrefix = Objects.requireNonNull(prefix, "prefix");
            return this;
        }

        public Builder channels(FileChannelFactory channels) {
            this.channels = Objects.requireNonNull(channels, "channels");
            return this;
        }

        /** @throws IllegalArgumentException unless {@code path} starts and ends with {@code /} and is not {@code /} alone */
        public Builder httpPath(String path) {
            Objects.requireNonNull(path, "path");
            if (!path.startsWith("/") || !path.endsWith("/") || path.length() < 3) {
                throw new IllegalArgumentException("httpPath must look like /record/: " + path);
            }
            this.httpPath = path;
            return this;
        }

        public Builder httpAccess(RecordHttpAccess access) {
            this.httpAccess = Objects.requireNonNull(access, "access");
            return this;
        }

        public Builder retention(Duration retention) {
            if (retention != null && (retention.isNegative() || retention.isZero())) {
                throw new IllegalArgumentException("retention must be positive: " + retention);
            }
            this.retention = retention;
            return this;
        }

        public Builder minFreeBytes(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("minFreeBytes must not be negative: " + bytes);
            }
            this.minFreeBytes = bytes;
            return this;
        }

        public RecordConfig build() {
            return new RecordConfig(this);
        }
    }
}
