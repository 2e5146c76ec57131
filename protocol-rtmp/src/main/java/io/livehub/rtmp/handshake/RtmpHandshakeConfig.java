package io.livehub.rtmp.handshake;

import java.time.Duration;

/**
 * Holds the options of the handshake handlers (RTMP spec §5.2).
 *
 * <p>Defaults ({@link #DEFAULT}):
 * <ul>
 *   <li>{@code timeout} 10 s: a client on a working network finishes in a few round trips; a
 *       connection that has not finished by then is stalled or hostile and holds a socket.
 *       At most {@link #MAX_TIMEOUT}.</li>
 *   <li>{@code digest} true: the server answers a C1 that carries a valid digest with a digest
 *       S1 and S2, which Flash-era players and FFmpeg in play mode check; the client sends a
 *       digest C1 as FFmpeg and Flash Player do. A server still answers a simple C1 simply.</li>
 * </ul>
 *
 * <p>Thread-safety: immutable.
 */
public final class RtmpHandshakeConfig {

    /** The longest timeout accepted, so that a misconfiguration cannot keep sockets forever. */
    public static final Duration MAX_TIMEOUT = Duration.ofMinutes(5);

    /** The defaults listed in the class notes. */
    public static final RtmpHandshakeConfig DEFAULT = builder().build();

    private final Duration timeout;
    private final boolean digest;

    private RtmpHandshakeConfig(Builder b) {
        this.timeout = b.timeout;
        this.digest = b.digest;
    }

    /** Returns a builder that starts from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns how long the handshake may take; default 10 s. */
    public Duration timeout() {
        return timeout;
    }

    /** Returns whether the digest handshake is used; default true. */
    public boolean digest() {
        return digest;
    }

    @Override
    public String toString() {
        return "RtmpHandshakeConfig[timeout=" + timeout + ", digest=" + digest + "]";
    }

    /**
     * Builds {@link RtmpHandshakeConfig}.
     *
     * <p>Thread-safety: not thread-safe.
     */
    public static final class Builder {
        private Duration timeout = Duration.ofSeconds(10);
        private boolean digest = true;

        private Builder() {
        }

        /** Sets how long the handshake may take, positive and at most {@link #MAX_TIMEOUT}; default 10 s. */
        public Builder timeout(Duration v) {
            if (v == null || v.isNegative() || v.isZero() || v.compareTo(MAX_TIMEOUT) > 0) {
                throw new IllegalArgumentException("timeout must be in (0, " + MAX_TIMEOUT + "]: " + v);
            }
            this.timeout = v;
            return this;
        }

        /** Sets whether the digest handshake is used; default true. */
        public Builder digest(boolean v) {
            this.digest = v;
            return this;
        }

        /** Returns the configuration. */
        public RtmpHandshakeConfig build() {
            return new RtmpHandshakeConfig(this);
        }
    }
}
