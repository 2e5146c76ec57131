package io.livehub.http;

import io.livehub.net.ConnectionLimits;
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
 *   <li>{@code requestHeadTimeout} 10 s: from a request's first byte, its whole head (request
 *       line and headers) must arrive within this, or the connection is closed. The idle
 *       timeout alone restarts with every byte, so a client sending one header byte a second
 *       (slowloris) would hold a connection forever; a real client sends a head in one
 *       round trip.</li>
 *   <li>{@code maxConnectionsPerAddress} 256: concurrent connections from one IP address;
 *       further ones are closed at accept. A browser opens up to 6 per server, and offices
 *       or carrier-grade NAT put many viewers behind one address, so this leaves room for
 *       about a hundred viewers there while one host can take at most 1/40 of the total.</li>
 *   <li>{@code maxConnections} 10 000: concurrent HTTP connections in all; further ones are
 *       closed at accept. Bounds descriptors and per-connection memory (the codec's buffers,
 *       up to {@code maxRequestBytes} each) well below a typical 65 536 descriptor limit, with
 *       room left for RTMP and SRT.</li>
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
    private final Duration requestHeadTimeout;
    private final ConnectionLimits connectionLimits;

    private HttpServerConfig(Builder b) {
        this.host = b.host;
        this.port = b.port;
        this.maxRequestBytes = b.maxRequestBytes;
        this.maxHeaderBytes = b.maxHeaderBytes;
        this.maxInitialLineBytes = b.maxInitialLineBytes;
        this.idleTimeout = b.idleTimeout;
        this.corsAllowOrigin = b.corsAllowOrigin;
        this.requestHeadTimeout = b.requestHeadTimeout;
        this.connectionLimits = ConnectionLimits.of(b.maxConnectionsPerAddress, b.maxConnections);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Returns a builder holding every setting of this config, to change some of them. */
    public Builder toBuilder() {
        return builder().host(host).port(port).maxRequestBytes(maxRequestBytes).maxHeaderBytes(maxHeaderBytes)
                .maxInitialLineBytes(maxInitialLineBytes).idleTimeout(idleTimeout).corsAllowOrigin(corsAllowOrigin)
                .requestHeadTimeout(requestHeadTimeout).maxConnectionsPerAddress(connectionLimits.perAddress())
                .maxConnections(connectionLimits.total());
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

    /** Returns how long a request head may take from its first byte; zero: no deadline. */
    public Duration requestHeadTimeout() {
        return requestHeadTimeout;
    }

    /** Returns the per-address and total caps on concurrent connections. */
    public ConnectionLimits connectionLimits() {
        return connectionLimits;
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
        private Duration requestHeadTimeout = Duration.ofSeconds(10);
        private int maxConnectionsPerAddress = 256;
        private int maxConnections = 10_000;

        private Builder() {
        }

        /** Sets the deadline for a complete request head (default 10 s); {@link Duration#ZERO} turns it off. */
        public Builder requestHeadTimeout(Duration timeout) {
            this.requestHeadTimeout = java.util.Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** Sets the concurrent connections one IP address may hold (default 256). */
        public Builder maxConnectionsPerAddress(int max) {
            this.maxConnectionsPerAddress = max;
            return this;
        }

        /** Sets the concurrent connections in all (default 10 000). */
        public Builder maxConnections(int max) {
            this.maxConnections = max;
            return this;
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
            if (requestHeadTimeout.isNegative()) {
                throw new IllegalArgumentException("requestHeadTimeout must not be negative");
            }
            if (maxConnectionsPerAddress < 1 || maxConnections < 1) {
                throw new IllegalArgumentException("connection limits must be >= 1");
            }
            return new HttpServerConfig(this);
        }
    }
}
