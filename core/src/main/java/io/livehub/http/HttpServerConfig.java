package io.livehub.http;

import java.time.Duration;

/**
 * Configures the shared HTTP endpoint. Immutable; build with {@link #builder()}.
 *
 * <p>Defaults, and why:
 * <ul>
 *   <li>{@code port} 8080, SRS's HTTP port; 0 binds an ephemeral port; -1 disables the
 *       endpoint.</li>
 *   <li>{@code host} {@code 0.0.0.0}: reachable by players on other machines.</li>
 *   <li>{@code maxRequestBytes} 64 KiB: the largest request body accepted (API calls and
 *       SDP offers are far smaller); larger requests get 413 and are closed.</li>
 *   <li>{@code maxHeaderBytes} 16 KiB and {@code maxInitialLineBytes} 8 KiB: generous for
 *       long playback URLs with tokens, small enough to bound memory per connection.</li>
 *   <li>{@code idleTimeout} 60 s: a connection that sends no request for this long is
 *       closed; streaming responses are exempt.</li>
 *   <li>{@code corsAllowOrigin} {@code *}: browser players on other origins can play, as
 *       with SRS.</li>
 * </ul>
 */
public final class HttpServerConfig {

    private final String host;
    private final int port;
    private final int maxRequestBytes;
    private final int maxHeaderBytes;
    private final int maxInitialLineBytes;
    private final Duration idleTimeout;
    private final String corsAllowOrigin;

    private HttpServerConfig(Builder b) {
        this.host = b.host;
        this.port = b.port;
        this.maxRequestBytes = b.maxRequestBytes;
        this.maxHeaderBytes = b.maxHeaderBytes;
        this.maxInitialLineBytes = b.maxInitialLineBytes;
        this.idleTimeout = b.idleTimeout;
        this.corsAllowOrigin = b.corsAllowOrigin;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Returns a builder holding every setting of this config, to change some of them. */
    public Builder toBuilder() {
        return builder().host(host).port(port).maxRequestBytes(maxRequestBytes).maxHeaderBytes(maxHeaderBytes)
                .maxInitialLineBytes(maxInitialLineBytes).idleTimeout(idleTimeout).corsAllowOrigin(corsAllowOrigin);
    }

    /** Returns a config with the endpoint turned off. */
    public static HttpServerConfig disabled() {
        return builder().port(-1).build();
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public boolean enabled() {
        return port >= 0;
    }

    public int maxRequestBytes() {
        return maxRequestBytes;
    }

    public int maxHeaderBytes() {
        return maxHeaderBytes;
    }

    public int maxInitialLineBytes() {
        return maxInitialLineBytes;
    }

    public Duration idleTimeout() {
        return idleTimeout;
    }

    public String corsAllowOrigin() {
        return corsAllowOrigin;
    }

    /** Builds an {@link HttpServerConfig}; see the class notes for the defaults. */
    public static final class Builder {
        private String host = "0.0.0.0";
        private int port = 8080;
        private int maxRequestBytes = 64 * 1024;
        private int maxHeaderBytes = 16 * 1024;
        private int maxInitialLineBytes = 8 * 1024;
        private Duration idleTimeout = Duration.ofSeconds(60);
        private String corsAllowOrigin = "*";

        private Builder() {
        }

        public Builder host(String host) {
            this.host = host;
            return this;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder maxRequestBytes(int bytes) {
            this.maxRequestBytes = bytes;
            return this;
        }

        public Builder maxHeaderBytes(int bytes) {
            this.maxHeaderBytes = bytes;
            return this;
        }

        public Builder maxInitialLineBytes(int bytes) {
            this.maxInitialLineBytes = bytes;
            return this;
        }

        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = timeout;
            return this;
        }

        /** Sets the {@code Access-Control-Allow-Origin} value; null or empty sends none. */
        public Builder corsAllowOrigin(String origin) {
            this.corsAllowOrigin = origin;
            return this;
        }

        public HttpServerConfig build() {
            if (port < -1 || port > 65535) {
                throw new IllegalArgumentException("port must be -1..65535: " + port);
            }
            if (maxRequestBytes < 0 || maxHeaderBytes < 1024 || maxInitialLineBytes < 256) {
                throw new IllegalArgumentException("HTTP limits too small");
            }
            return new HttpServerConfig(this);
        }
    }
}
