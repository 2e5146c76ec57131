package io.livehub.hooks;

import io.livehub.event.RecordEndEvent;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import javax.net.ssl.SSLContext;

/**
 * Configures {@link HttpHooks}: where each callback goes, the body style, timeouts, failure
 * handling, retries, the notification queue's bound and request signing.
 *
 * <p>Defaults:
 * <ul>
 *   <li>no URLs: every callback is skipped and every decision allowed;</li>
 *   <li>{@link HookStyle#SRS} bodies;</li>
 *   <li>{@code timeout} 3 s per HTTP call (SRS waits 30 s, which keeps a publisher waiting far
 *       longer than a player or encoder tolerates); it covers connecting, sending and the answer;</li>
 *   <li>fail closed: a decision whose hook cannot be reached, times out or answers with a 5xx
 *       status is denied;</li>
 *   <li>{@link RetryPolicy#defaults()} for notifications;</li>
 *   <li>{@code queueCapacity} 1000 notifications waiting or in flight; when full the oldest one
 *       not on the wire is dropped and logged;</li>
 *   <li>no signing; when a key is set each body is signed with HMAC-SHA256 in the
 *       {@code X-Livehub-Signature} header as {@code sha256=<hex>};</li>
 *   <li>{@code server_id} {@code vid-} and 7 random characters, {@code service_id} 8 random
 *       characters, both fixed for this configuration; {@code opaque} empty;</li>
 *   <li>the JVM's default TLS context (system trust store) for {@code https} URLs;</li>
 *   <li>{@code maxResponseBytes} 16 KiB: an answer is {@code 0} or {@code {"code":0}}, so a
 *       longer body is cut off and counts as a refusal;</li>
 *   <li>{@code cwd} the working directory ({@code on_dvr}/{@code on_hls} {@code cwd});</li>
 *   <li>{@code artifact_url} empty unless a function is given.</li>
 * </ul>
 *
 * <p>Thread-safety: immutable; the builder is not thread-safe.
 */
public final class HttpHooksConfig {

    /** The header carrying the body's HMAC when a signing key is set. */
    public static final String DEFAULT_SIGNATURE_HEADER = "X-Livehub-Signature";

    private final Map<HookAction, List<URI>> urls;
    private final HookStyle style;
    private final Duration timeout;
    private final boolean failOpen;
    private final RetryPolicy retry;
    private final int queueCapacity;
    private final byte[] signingKey;
    private final String signatureHeader;
    private final String serverId;
    private final String serviceId;
    private final String opaque;
    private final SSLContext sslContext;
    private final int maxResponseBytes;
    private final String cwd;
    private final Function<RecordEndEvent, String> artifactUrl;

    private HttpHooksConfig(Builder b) {
        EnumMap<HookAction, List<URI>> m = new EnumMap<>(HookAction.class);
        b.expandUrls().forEach((k, v) -> m.put(k, List.copyOf(v)));
        this.urls = Collections.unmodifiableMap(m);
        this.style = b.style;
        this.timeout = b.timeout;
        this.failOpen = b.failOpen;
        this.retry = b.retry;
        this.queueCapacity = b.queueCapacity;
        this.signingKey = b.signingKey == null ? null : b.signingKey.clone();
        this.signatureHeader = b.signatureHeader;
        this.serverId = b.serverId != null ? b.serverId : "vid-" + randomId(7);
        this.serviceId = b.serviceId != null ? b.serviceId : randomId(8);
        this.opaque = b.opaque;
        this.sslContext = b.sslContext;
        this.maxResponseBytes = b.maxResponseBytes;
        this.cwd = b.cwd;
        this.artifactUrl = b.artifactUrl;
    }

    private static String randomId(int length) {
        String alphabet = "0123456789abcdefghijklmnopqrstuvwxyz";
        SecureRandom r = new SecureRandom();
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            s.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return s.toString();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Returns the URLs called for {@code action}, in order; empty when none. */
    public List<URI> urls(HookAction action) {
        return urls.getOrDefault(action, List.of());
    }

    /** Returns every action that has at least one URL, with its URLs. */
    public Map<HookAction, List<URI>> urls() {
        return urls;
    }

    public HookStyle style() {
        return style;
    }

    /** Returns the limit of one HTTP call: connecting, sending and reading the answer. */
    public Duration timeout() {
        return timeout;
    }

    /**
     * Returns whether a decision is allowed when its hook cannot answer (connection error,
     * timeout, 5xx status); a hook that answers with anything but success always denies.
     */
    public boolean failOpen() {
        return failOpen;
    }

    public RetryPolicy retry() {
        return retry;
    }

    /** Returns how many notifications may wait or be in flight before the oldest is dropped. */
    public int queueCapacity() {
        return queueCapacity;
    }

    /** Returns whether bodies are signed. The key itself is not exposed. */
    public boolean signing() {
        return signingKey != null;
    }

    /** Returns a copy of the signing key, or null; for {@link HttpHooks} only. */
    byte[] signingKey() {
        return signingKey == null ? null : signingKey.clone();
    }

    public String signatureHeader() {
        return signatureHeader;
    }

    /** Returns SRS's {@code server_id}. */
    public String serverId() {
        return serverId;
    }

    /** Returns SRS's {@code service_id}. */
    public String serviceId() {
        return serviceId;
    }

    /** Returns SRS Stack's {@code opaque}. */
    public String opaque() {
        return opaque;
    }

    /** Returns the TLS context for {@code https} URLs, or null for the JVM's default. */
    public SSLContext sslContext() {
        return sslContext;
    }

    public int maxResponseBytes() {
        return maxResponseBytes;
    }

    /** Returns SRS's {@code cwd} field. */
    public String cwd() {
        return cwd;
    }

    /** Returns the function that gives a finished recording's {@code artifact_url}. */
    public Function<RecordEndEvent, String> artifactUrl() {
        return artifactUrl;
    }

    /**
     * Returns the longest a decision can take with these settings: the timeout times the most
     * URLs of any decision action. A server's decision timeout should be at least this.
     */
    public Duration decisionBudget() {
        int most = 0;
        for (HookAction a : HookAction.values()) {
            if (a.isDecision()) {
                most = Math.max(most, urls(a).size());
            }
        }
        return timeout.multipliedBy(most);
    }

    @Override
    public String toString() {
        return "HttpHooksConfig{style=" + style + ", urls=" + urls.keySet() + ", timeout=" + timeout
                + ", failOpen=" + failOpen + ", retry=" + retry + ", queueCapacity=" + queueCapacity
                + ", signing=" + signing() + "}";
    }

    /**
     * Builds an {@link HttpHooksConfig}; see the class comment for the defaults.
     *
     * <p>Thread-safety: not thread-safe.
     */
    public static final class Builder {
        /** URLs in the order added; a null action stands for every action of the style. */
        private final List<Map.Entry<HookAction, URI>> entries = new ArrayList<>();
        private HookStyle style = HookStyle.SRS;
        private Duration timeout = Duration.ofSeconds(3);
        private boolean failOpen;
        private RetryPolicy retry = RetryPolicy.defaults();
        private int queueCapacity = 1000;
        private byte[] signingKey;
        private String signatureHeader = DEFAULT_SIGNATURE_HEADER;
        private String serverId;
        private String serviceId;
        private String opaque = "";
        private SSLContext sslContext;
        private int maxResponseBytes = 16 * 1024;
        private String cwd = System.getProperty("user.dir", "");
        private Function<RecordEndEvent, String> artifactUrl = e -> "";

        private Builder() {
        }

        /**
         * Adds URLs called for {@code action}, after those added before (SRS's several URLs per
         * hook, called one by one).
         *
         * @throws IllegalArgumentException when a URL is not absolute {@code http} or {@code https}
         */
        public Builder url(HookAction action, String... urls) {
            Objects.requireNonNull(action, "action");
            for (String u : urls) {
                url(action, URI.create(u.trim()));
            }
            return this;
        }

        /** Adds a URL called for {@code action}; see {@link #url(HookAction, String...)}. */
        public Builder url(HookAction action, URI url) {
            Objects.requireNonNull(action, "action");
            entries.add(new AbstractMap.SimpleImmutableEntry<>(action, checkUrl(url)));
            return this;
        }

        /**
         * Adds {@code url} to every action of the style in force when {@link #build()} runs
         * ({@link HookStyle#actions()}), in the order of the calls that add URLs.
         *
         * @throws IllegalArgumentException when the URL is not absolute {@code http} or {@code https}
         */
        public Builder allEvents(String url) {
            entries.add(new AbstractMap.SimpleImmutableEntry<>(null, checkUrl(URI.create(url.trim()))));
            return this;
        }

        private static URI checkUrl(URI url) {
            Objects.requireNonNull(url, "url");
            String scheme = url.getScheme();
            if (!url.isAbsolute() || url.getHost() == null
                    || !("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))) {
                throw new IllegalArgumentException("hook URL must be an absolute http or https URL: '"
                        + HttpHooks.redact(url) + "'");
            }
            return url;
        }

        public Builder style(HookStyle style) {
            this.style = Objects.requireNonNull(style, "style");
            return this;
        }

        /** Sets the limit of one HTTP call (default 3 s). */
        public Builder timeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive");
            }
            this.timeout = timeout;
            return this;
        }

        /** Allows decisions whose hook cannot answer (default false: fail closed). */
        public Builder failOpen(boolean failOpen) {
            this.failOpen = failOpen;
            return this;
        }

        public Builder retry(RetryPolicy retry) {
            this.retry = Objects.requireNonNull(retry, "retry");
            return this;
        }

        /** Sets the notification queue's bound (default 1000). */
        public Builder queueCapacity(int capacity) {
            if (capacity < 1) {
                throw new IllegalArgumentException("queueCapacity must be >= 1");
            }
            this.queueCapacity = capacity;
            return this;
        }

        /** Signs every body with HMAC-SHA256 under {@code key}; null or empty turns signing off. */
        public Builder signingKey(byte[] key) {
            this.signingKey = key == null || key.length == 0 ? null : key.clone();
            return this;
        }

        /** Signs with the UTF-8 bytes of {@code key}; see {@link #signingKey(byte[])}. */
        public Builder signingKey(String key) {
            return signingKey(key == null ? null : key.getBytes(StandardCharsets.UTF_8));
        }

        /** Sets the signature header's name (default {@value HttpHooksConfig#DEFAULT_SIGNATURE_HEADER}). */
        public Builder signatureHeader(String name) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("signature header name must not be empty");
            }
            this.signatureHeader = name;
            return this;
        }

        public Builder serverId(String serverId) {
            this.serverId = Objects.requireNonNull(serverId, "serverId");
            return this;
        }

        public Builder serviceId(String serviceId) {
            this.serviceId = Objects.requireNonNull(serviceId, "serviceId");
            return this;
        }

        /** Sets SRS Stack's {@code opaque} value, a token the receiver can check (default empty). */
        public Builder opaque(String opaque) {
            this.opaque = Objects.requireNonNull(opaque, "opaque");
            return this;
        }

        /** Uses {@code context} for {@code https} URLs, for example to trust a private CA. */
        public Builder sslContext(SSLContext context) {
            this.sslContext = context;
            return this;
        }

        public Builder maxResponseBytes(int bytes) {
            if (bytes < 16) {
                throw new IllegalArgumentException("maxResponseBytes must be >= 16");
            }
            this.maxResponseBytes = bytes;
            return this;
        }

        public Builder cwd(String cwd) {
            this.cwd = Objects.requireNonNull(cwd, "cwd");
            return this;
        }

        /** Sets how a finished recording's {@code artifact_url} is made (default: empty). */
        public Builder artifactUrl(Function<RecordEndEvent, String> artifactUrl) {
            this.artifactUrl = Objects.requireNonNull(artifactUrl, "artifactUrl");
            return this;
        }

        public HttpHooksConfig build() {
            return new HttpHooksConfig(this);
        }

        private Map<HookAction, List<URI>> expandUrls() {
            Map<HookAction, List<URI>> m = new EnumMap<>(HookAction.class);
            for (Map.Entry<HookAction, URI> e : entries) {
                if (e.getKey() == null) {
                    for (HookAction a : style.actions()) {
                        m.computeIfAbsent(a, k -> new ArrayList<>()).add(e.getValue());
                    }
                } else {
                    m.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue());
                }
            }
            return m;
        }
    }
}
