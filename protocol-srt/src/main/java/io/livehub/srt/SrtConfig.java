package io.livehub.srt;

import java.time.Duration;
import java.util.Objects;

/**
 * Configures SRT listeners and callers. Immutable; build with {@link #builder()}.
 *
 * <p>Defaults, and why:
 * <ul>
 *   <li>{@code port} 10080 (SRS's SRT port), {@code host} {@code 0.0.0.0}; port 0 binds an
 *       ephemeral port, reported as {@code "srt"}.</li>
 *   <li>{@code latency} 120 ms: libsrt's default TSBPD delay. The receiver's delay of a
 *       connection is the larger of both sides' proposals (draft-sharabayko-srt section
 *       4.4); use about 4 × RTT on lossy links.</li>
 *   <li>{@code maxBandwidth} 0: pace at the measured input rate plus 25% for
 *       retransmissions, as libsrt does with {@code SRTO_MAXBW} 0, {@code SRTO_INPUTBW} 0 and
 *       {@code SRTO_OHEADBW} 25; a burst (a keyframe) leaves as a paced run, within a quarter
 *       of the latency at most; nothing is paced in the first 500 ms, before the input is
 *       measured. A positive value is a fixed sending rate, in bytes per second, headers and
 *       retransmissions included.</li>
 *   <li>{@code mtu} 1500 bytes: the largest datagram is {@code mtu - 28} (IP and UDP
 *       headers); longer datagrams are dropped as malformed.</li>
 *   <li>{@code payloadSize} 1316: seven 188-byte MPEG-TS packets, libsrt's live default.</li>
 *   <li>{@code flowWindow} 8192 packets: the most unacknowledged packets in flight and the
 *       receive buffer size; bounds memory per connection at about 12 MB.</li>
 *   <li>{@code maxConnections} 1000: further conclusion handshakes are rejected with
 *       {@code REJ_RESOURCE}; the limit is for the listener, whatever its sockets.</li>
 *   <li>{@code listenerSockets} 1: one UDP socket and one event loop per listener. More
 *       (epoll only) bind the port several times with SO_REUSEPORT so that many callers are
 *       served on several event loops.</li>
 *   <li>{@code handshakeTimeout} 3 s: libsrt's connect timeout; also bounds the time a
 *       caller waits for a connect/publish/play decision.</li>
 *   <li>{@code peerIdleTimeout} 5 s: libsrt's {@code SRTO_PEERIDLETIMEO}; a connection
 *       that hears nothing for this long is closed. Keep-alives go out every second.</li>
 *   <li>{@code passphrase} none. Encryption is not implemented yet: a caller that offers
 *       key material is rejected with {@code REJ_UNSECURE}, and a passphrase cannot be
 *       set.</li>
 * </ul>
 */
public final class SrtConfig {

    /** Bytes of IPv4 and UDP headers subtracted from the MTU. */
    public static final int UDP_IP_OVERHEAD = 28;

    private final String host;
    private final int port;
    private final Duration latency;
    private final long maxBandwidth;
    private final int mtu;
    private final int payloadSize;
    private final int flowWindow;
    private final int maxConnections;
    private final Duration handshakeTimeout;
    private final Duration peerIdleTimeout;
    private final int listenerSockets;

    private SrtConfig(Builder b) {
        this.host = b.host;
        this.port = b.port;
        this.latency = b.latency;
        this.maxBandwidth = b.maxBandwidth;
        this.mtu = b.mtu;
        this.payloadSize = b.payloadSize;
        this.flowWindow = b.flowWindow;
        this.maxConnections = b.maxConnections;
        this.handshakeTimeout = b.handshakeTimeout;
        this.peerIdleTimeout = b.peerIdleTimeout;
        this.listenerSockets = b.listenerSockets;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Returns the configuration with every default. */
    public static SrtConfig defaults() {
        return builder().build();
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    /** Returns the TSBPD delay this side proposes, for both directions. */
    public Duration latency() {
        return latency;
    }

    /** Returns the fixed sending rate in bytes per second, or 0 to pace at the input rate plus 25%. */
    public long maxBandwidth() {
        return maxBandwidth;
    }

    public int mtu() {
        return mtu;
    }

    /** Returns the longest datagram accepted or sent: {@code mtu - 28}. */
    public int maxPacketSize() {
        return mtu - UDP_IP_OVERHEAD;
    }

    public int payloadSize() {
        return payloadSize;
    }

    public int flowWindow() {
        return flowWindow;
    }

    public int maxConnections() {
        return maxConnections;
    }

    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    public Duration peerIdleTimeout() {
        return peerIdleTimeout;
    }

    /** Returns how many UDP sockets a listener binds to its port with SO_REUSEPORT; 1 for one. */
    public int listenerSockets() {
        return listenerSockets;
    }

    /** Builds an {@link SrtConfig}; see the class notes for the defaults. */
    public static final class Builder {
        private String host = "0.0.0.0";
        private int port = 10080;
        private Duration latency = Duration.ofMillis(120);
        private long maxBandwidth;
        private int mtu = 1500;
        private int payloadSize = 1316;
        private int flowWindow = 8192;
        private int maxConnections = 1000;
        private Duration handshakeTimeout = Duration.ofSeconds(3);
        private Duration peerIdleTimeout = Duration.ofSeconds(5);
        private int listenerSockets = 1;

        private Builder() {
        }

        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Sets the proposed TSBPD delay, 0..65535 ms. */
        public Builder latency(Duration latency) {
            this.latency = Objects.requireNonNull(latency, "latency");
            return this;
        }

        /** Sets a fixed sending rate, bytes per second; 0 (the default) paces at the input rate + 25%. */
        public Builder maxBandwidth(long bytesPerSecond) {
            this.maxBandwidth = bytesPerSecond;
            return this;
        }

        /** Sets the MTU, 576..9000 bytes. */
        public Builder mtu(int mtu) {
            this.mtu = mtu;
            return this;
        }

        /** Sets the payload size of sent packets; at most {@code mtu - 44}. */
        public Builder payloadSize(int size) {
            this.payloadSize = size;
            return this;
        }

        /** Sets the flow window and receive buffer, 32..65536 packets. */
        public Builder flowWindow(int packets) {
            this.flowWindow = packets;
            return this;
        }

        public Builder maxConnections(int max) {
            this.maxConnections = max;
            return this;
        }

        public Builder handshakeTimeout(Duration timeout) {
            this.handshakeTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        public Builder peerIdleTimeout(Duration timeout) {
            this.peerIdleTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * Binds the listener's port with {@code n} UDP sockets (SO_REUSEPORT, epoll only), each
         * on its own event loop of the group; the kernel spreads callers over them by address
         * and keeps each caller on one socket. 1..64.
         */
        public Builder listenerSockets(int n) {
            this.listenerSockets = n;
            return this;
        }

        /** @throws IllegalArgumentException when a value is out of range */
        public SrtConfig build() {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0..65535: " + port);
            }
            if (latency.isNegative() || latency.toMillis() > 0xFFFF) {
                throw new IllegalArgumentException("latency must be 0..65535 ms: " + latency);
            }
            if (maxBandwidth < 0) {
                throw new IllegalArgumentException("maxBandwidth must not be negative");
            }
            if (mtu < 576 || mtu > 9000) {
                throw new IllegalArgumentException("mtu must be 576..9000: " + mtu);
            }
            if (payloadSize < 1 || payloadSize > mtu - UDP_IP_OVERHEAD - 16) {
                throw new IllegalArgumentException("payloadSize must be 1.." + (mtu - UDP_IP_OVERHEAD - 16));
            }
            if (flowWindow < 32 || flowWindow > 65536) {
                throw new IllegalArgumentException("flowWindow must be 32..65536: " + flowWindow);
            }
            if (listenerSockets < 1 || listenerSockets > 64) {
                throw new IllegalArgumentException("listenerSockets must be 1..64: " + listenerSockets);
            }
            if (maxConnections < 1) {
                throw new IllegalArgumentException("maxConnections must be positive");
            }
            if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()
                    || peerIdleTimeout.isNegative() || peerIdleTimeout.isZero()) {
                throw new IllegalArgumentException("timeouts must be positive");
            }
            return new SrtConfig(this);
        }
    }
}
