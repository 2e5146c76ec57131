package io.livehub.push;

import io.livehub.media.StreamKey;
import io.livehub.rtmp.client.RtmpClientConfig;
import io.livehub.srt.SrtConfig;
import io.netty.channel.WriteBufferWaterMark;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Holds the options of a {@link PushModule}.
 *
 * <p>Defaults ({@link #defaults()}), and why:
 * <ul>
 *   <li>{@code reconnect} {@link ReconnectPolicy#DEFAULT}: 1 s doubling to 30 s, ±20% jitter,
 *       unlimited attempts.</li>
 *   <li>{@code stallTimeout} 10 s: a destination that takes no bytes for this long (the
 *       connection stays above its write buffer high mark) is given up and reconnected. Long
 *       enough for a congested uplink to recover, short enough that no task stays
 *       {@code pushing} to a dead destination.</li>
 *   <li>{@code maxDrops} 5: when the destination falls behind and the task's queue (the hub's
 *       bounded subscriber queue) overflows, it drops to the next keyframe and counts one
 *       drop; past this many drops on one connection (about five GOPs lost) the destination
 *       is too slow for the stream and the task reconnects, which restarts it at a keyframe
 *       on a clean connection.</li>
 *   <li>{@code rtmpClient}: {@link RtmpClientConfig#DEFAULT} with write buffer marks 128 KiB /
 *       512 KiB instead of 256 KiB / 1 MiB and a fixed 512 KiB socket send buffer instead of
 *       the kernel's, which grows to 4 MiB: a destination that stops reading then holds about
 *       1 MiB before the task sees the socket full (2 s of a 4 Mbit/s stream) rather than 5.
 *       512 KiB still carries 20 Mbit/s over a 200 ms round trip.</li>
 *   <li>{@code srt} {@link SrtConfig#defaults()}: latency 120 ms and 5 s peer idle timeout (a
 *       peer that stops answering, acknowledgements included, ends the connection). A URL's
 *       {@code latency}, {@code passphrase} and {@code pbkeylen} override it per task.</li>
 *   <li>{@code udpMaxQueuedBytes} 4 MiB: MPEG-TS datagrams waiting for their media time. A
 *       keyframe replayed at connect is paced over its GOP, so the queue holds about one GOP;
 *       above the bound the task's queue drops to the next keyframe.</li>
 *   <li>{@code maxTasks} 1000: the API cannot make tasks without bound; each holds a queue
 *       and a connection.</li>
 *   <li>{@code forwardRules} none; {@code forwardScanInterval} 1 s: how often live streams
 *       are matched against the rules.</li>
 *   <li>{@code httpApi} true: {@code /v1/vhosts/{vhost}/apps/{app}:startPush}, {@code :stopPush}
 *       and {@code :pushes} on the shared HTTP endpoint.</li>
 *   <li>{@code apiToken} none: then only loopback clients may call the API, as the management
 *       API; with a token, Basic credentials with the token as password (or a Bearer token).</li>
 *   <li>{@code vhosts} none besides the default: the API answers 404 for other vhosts.
 *       {@code default} and {@code __defaultVhost__} both name the default one.</li>
 * </ul>
 *
 * <p>Thread-safety: immutable.
 */
public final class PushConfig {

    private final ReconnectPolicy reconnect;
    private final Duration stallTimeout;
    private final int maxDrops;
    private final RtmpClientConfig rtmpClient;
    private final SrtConfig srt;
    private final int udpMaxQueuedBytes;
    private final int maxTasks;
    private final List<ForwardRule> forwardRules;
    private final Duration forwardScanInterval;
    private final boolean httpApi;
    private final String apiToken;
    private final Set<String> vhosts;

    private PushConfig(Builder b) {
        this.reconnect = b.reconnect;
        this.stallTimeout = b.stallTimeout;
        this.maxDrops = b.maxDrops;
        this.rtmpClient = b.rtmpClient;
        this.srt = b.srt;
        this.udpMaxQueuedBytes = b.udpMaxQueuedBytes;
        this.maxTasks = b.maxTasks;
        this.forwardRules = List.copyOf(b.forwardRules);
        this.forwardScanInterval = b.forwardScanInterval;
        this.httpApi = b.httpApi;
        this.apiToken = b.apiToken;
        this.vhosts = Set.copyOf(b.vhosts);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Returns the configuration with every default. */
    public static PushConfig defaults() {
        return builder().build();
    }

    public ReconnectPolicy reconnect() {
        return reconnect;
    }

    public Duration stallTimeout() {
        return stallTimeout;
    }

    public int maxDrops() {
        return maxDrops;
    }

    public RtmpClientConfig rtmpClient() {
        return rtmpClient;
    }

    public SrtConfig srt() {
        return srt;
    }

    public int udpMaxQueuedBytes() {
        return udpMaxQueuedBytes;
    }

    public int maxTasks() {
        return maxTasks;
    }

    public List<ForwardRule> forwardRules() {
        return forwardRules;
    }

    public Duration forwardScanInterval() {
        return forwardScanInterval;
    }

    public boolean httpApi() {
        return httpApi;
    }

    /** Returns the API token, or null when only loopback may call the API. */
    public String apiToken() {
        return apiToken;
    }

    /** Returns the vhosts the API knows besides the default one. */
    public Set<String> vhosts() {
        return vhosts;
    }

    /**
     * Returns the vhost that an API path names: the default one for {@code default} and
     * {@code __defaultVhost__}, a configured one, or null when there is no such vhost.
     */
    public String resolveVhost(String name) {
        if (name == null || name.equals("default") || name.equals(StreamKey.DEFAULT_VHOST)) {
            return StreamKey.DEFAULT_VHOST;
        }
        return vhosts.contains(name) ? name : null;
    }

    /**
     * Builds a {@link PushConfig}; every setter checks its value.
     *
     * <p>Thread-safety: not thread-safe.
     */
    public static final class Builder {
        private ReconnectPolicy reconnect = ReconnectPolicy.DEFAULT;
        private Duration stallTimeout = Duration.ofSeconds(10);
        private int maxDrops = 5;
        private RtmpClientConfig rtmpClient = RtmpClientConfig.builder()
                .writeBufferWaterMark(new WriteBufferWaterMark(128 * 1024, 512 * 1024)).sendBufferSize(512 * 1024).build();
        private SrtConfig srt = SrtConfig.defaults();
        private int udpMaxQueuedBytes = 4 * 1024 * 1024;
        private int maxTasks = 1000;
        private final List<ForwardRule> forwardRules = new ArrayList<>();
        private Duration forwardScanInterval = Duration.ofSeconds(1);
        private boolean httpApi = true;
        private String apiToken;
        private final Set<String> vhosts = new LinkedHashSet<>();

        private Builder() {
        }

        public Builder reconnect(ReconnectPolicy v) {
            this.reconnect = Objects.requireNonNull(v, "reconnect");
            return this;
        }

        /** Sets how long a destination may take no bytes before it is reconnected, 100 ms..10 min; default 10 s. */
        public Builder stallTimeout(Duration v) {
            Objects.requireNonNull(v, "stallTimeout");
            if (v.toMillis() < 100 || v.compareTo(Duration.ofMinutes(10)) > 0) {
                throw new IllegalArgumentException("stallTimeout must be in [100 ms, 10 min]: " + v);
            }
            this.stallTimeout = v;
            return this;
        }

        /** Sets the queue overflows one connection may have before it is reconnected, 1..1,000,000; default 5. */
        public Builder maxDrops(int v) {
            if (v < 1 || v > 1_000_000) {
                throw new IllegalArgumentException("maxDrops must be 1..1000000: " + v);
            }
            this.maxDrops = v;
            return this;
        }

        public Builder rtmpClient(RtmpClientConfig v) {
            this.rtmpClient = Objects.requireNonNull(v, "rtmpClient");
            return this;
        }

        public Builder srt(SrtConfig v) {
            this.srt = Objects.requireNonNull(v, "srt");
            return this;
        }

        /** Sets the bytes of MPEG-TS datagrams a UDP task may hold for pacing, 64 KiB..256 MiB; default 4 MiB. */
        public Builder udpMaxQueuedBytes(int v) {
            if (v < 64 * 1024 || v > 256 * 1024 * 1024) {
                throw new IllegalArgumentException("udpMaxQueuedBytes must be 64 KiB..256 MiB: " + v);
            }
            this.udpMaxQueuedBytes = v;
            return this;
        }

        /** Sets the most tasks at once, 1..100,000; default 1000. */
        public Builder maxTasks(int v) {
            if (v < 1 || v > 100_000) {
                throw new IllegalArgumentException("maxTasks must be 1..100000: " + v);
            }
            this.maxTasks = v;
            return this;
        }

        /** Adds a forward rule. */
        public Builder forward(ForwardRule rule) {
            forwardRules.add(Objects.requireNonNull(rule, "rule"));
            return this;
        }

        /** Sets how often live streams are matched against the forward rules, 50 ms..1 min; default 1 s. */
        public Builder forwardScanInterval(Duration v) {
            Objects.requireNonNull(v, "forwardScanInterval");
            if (v.toMillis() < 50 || v.compareTo(Duration.ofMinutes(1)) > 0) {
                throw new IllegalArgumentException("forwardScanInterval must be in [50 ms, 1 min]: " + v);
            }
            this.forwardScanInterval = v;
            return this;
        }

        /** Sets whether the HTTP API is served; default true. */
        public Builder httpApi(boolean v) {
            this.httpApi = v;
            return this;
        }

        /** Sets the API token; null or empty (the default) serves loopback clients only. */
        public Builder apiToken(String v) {
            this.apiToken = v == null || v.isEmpty() ? null : v;
            return this;
        }

        /** Adds a vhost the API knows. */
        public Builder vhost(String v) {
            StreamKey.of(v, "app", "x");
            vhosts.add(v);
            return this;
        }

        public PushConfig build() {
            return new PushConfig(this);
        }
    }
}
