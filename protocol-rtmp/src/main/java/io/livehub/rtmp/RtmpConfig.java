package io.livehub.rtmp;

import io.livehub.rtmp.amf.AmfLimits;
import io.livehub.rtmp.chunk.RtmpChunkConfig;
import io.livehub.rtmp.handshake.RtmpHandshakeConfig;
import io.netty.handler.ssl.SslContext;
import java.time.Duration;
import java.util.Objects;

/**
 * Configures an {@link RtmpModule}. Immutable; build with {@link #builder()}.
 *
 * <p>Defaults, and why:
 * <ul>
 *   <li>{@code port} 1935 (the RTMP port; 443 is usual for RTMPS), {@code host}
 *       {@code 0.0.0.0}. Port 0 binds an ephemeral port, reported by
 *       {@link io.livehub.MediaServer#port(String)} as {@code "rtmp"} (or {@code "rtmps"}).</li>
 *   <li>{@code chunkSize} 4096: the chunk size sent to clients. Larger chunks mean fewer
 *       headers; every player of a server shares the same chunked bytes of a frame, so the
 *       size is one per server.</li>
 *   <li>{@code chunk} limits ({@link RtmpChunkConfig}): incoming chunk size, message length,
 *       partly assembled bytes and chunk streams, so a client cannot make the server reserve
 *       memory it did not send.</li>
 *   <li>{@code amfLimits} ({@link AmfLimits#DEFAULT}): depth 32, strings 64 KiB.</li>
 *   <li>{@code handshake} timeout 10 s ({@link RtmpHandshakeConfig}).</li>
 *   <li>{@code idleTimeout} 30 s: a connection that sends nothing for this long is closed,
 *       except a player, which sends little by design; a player's dead connection shows as
 *       a write failure or a full send buffer.</li>
 *   <li>{@code maxConnections} 10 000: further connections are closed at once.</li>
 *   <li>{@code maxConnectionsPerAddress} 128: connections one IP address may hold; further
 *       ones are closed at once, so one host (or a broken reconnect loop) cannot take the
 *       whole {@code maxConnections}. RTMP clients open one connection each; an office or
 *       carrier-grade NAT rarely has more than a hundred RTMP players behind one address.</li>
 *   <li>{@code windowAckSize} 2 500 000 bytes: the acknowledgement window told to clients
 *       (as SRS and FMS do).</li>
 *   <li>{@code maxPendingBytes} 8 MiB: what a client may send while the server waits for a
 *       connect/publish/play decision; reading pauses, and beyond it the connection is
 *       closed.</li>
 *   <li>{@code sslContext} none: set a server {@link SslContext} for RTMPS.</li>
 *   <li>{@code tcpNoDelay} true: {@code TCP_NODELAY} on every connection, so a flushed frame
 *       leaves at once. The hub already gathers frames into one write per drain (and per
 *       merged-write window), so Nagle's algorithm has little left to merge; off, it can hold
 *       a player's last partial segment back until the previous one is acknowledged.</li>
 * </ul>
 */
public final class RtmpConfig {

    private final String host;
    private final int port;
    private final int chunkSize;
    private final RtmpChunkConfig chunk;
    private final AmfLimits amfLimits;
    private final RtmpHandshakeConfig handshake;
    private final Duration idleTimeout;
    private final int maxConnections;
    private final int maxConnectionsPerAddress;
    private final boolean tcpNoDelay;
    private final long windowAckSize;
    private final int maxPendingBytes;
    private final SslContext sslContext;

    private RtmpConfig(Settings<?> b) {
        this.host = b.host;
        this.port = b.port;
        this.chunkSize = b.chunkSize;
        this.chunk = b.chunk;
        this.amfLimits = b.amfLimits;
        this.handshake = b.handshake;
        this.idleTimeout = b.idleTimeout;
        this.maxConnections = b.maxConnections;
        this.maxConnectionsPerAddress = b.maxConnectionsPerAddress;
        this.tcpNoDelay = b.tcpNoDelay;
        this.windowAckSize = b.windowAckSize;
        this.maxPendingBytes = b.maxPendingBytes;
        this.sslContext = b.sslContext;
    }

    public static Builder builder() {
        return new Builder();
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public int chunkSize() {
        return chunkSize;
    }

    public RtmpChunkConfig chunk() {
        return chunk;
    }

    public AmfLimits amfLimits() {
        return amfLimits;
    }

    public RtmpHandshakeConfig handshake() {
        return handshake;
    }

    public Duration idleTimeout() {
        return idleTimeout;
    }

    public int maxConnections() {
        return maxConnections;
    }

    /** Returns the connections one remote IP address may hold open. */
    public int maxConnectionsPerAddress() {
        return maxConnectionsPerAddress;
    }

    /** Returns whether connections set {@code TCP_NODELAY}. */
    public boolean tcpNoDelay() {
        return tcpNoDelay;
    }

    public long windowAckSize() {
        return windowAckSize;
    }

    public int maxPendingBytes() {
        return maxPendingBytes;
    }

    /** Returns the server TLS context for RTMPS, or null for plain RTMP. */
    public SslContext sslContext() {
        return sslContext;
    }

    /**
     * The settings of an {@link RtmpConfig}, shared by {@link Builder} and
     * {@link RtmpModule.Builder} so that each option is written once; see the class notes for
     * the defaults.
     *
     * @param <B> the concrete builder, returned by every setter
     */
    public abstract static class Settings<B extends Settings<B>> {
        String host = "0.0.0.0";
        int port = 1935;
        int chunkSize = 4096;
        RtmpChunkConfig chunk = RtmpChunkConfig.DEFAULT;
        AmfLimits amfLimits = AmfLimits.DEFAULT;
        RtmpHandshakeConfig handshake = RtmpHandshakeConfig.DEFAULT;
        Duration idleTimeout = Duration.ofSeconds(30);
        int maxConnections = 10_000;
        int maxConnectionsPerAddress = 128;
        long windowAckSize = 2_500_000;
        int maxPendingBytes = 8 << 20;
        SslContext sslContext;
        boolean tcpNoDelay = true;

        Settings() {
        }

        @SuppressWarnings("unchecked")
        private B self() {
            return (B) this;
        }

        /** Sets {@code TCP_NODELAY} on connections (default true). */
        public B tcpNoDelay(boolean on) {
            this.tcpNoDelay = on;
            return self();
        }

        public B host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return self();
        }

        public B port(int port) {
            this.port = port;
            return self();
        }

        /** Sets the outgoing chunk size, 128..65536. */
        public B chunkSize(int size) {
            this.chunkSize = size;
            return self();
        }

        public B chunk(RtmpChunkConfig config) {
            this.chunk = Objects.requireNonNull(config, "config");
            return self();
        }

        public B amfLimits(AmfLimits limits) {
            this.amfLimits = Objects.requireNonNull(limits, "limits");
            return self();
        }

        public B handshake(RtmpHandshakeConfig config) {
            this.handshake = Objects.requireNonNull(config, "config");
            return self();
        }

        /** Sets the idle timeout; zero turns it off. */
        public B idleTimeout(Duration timeout) {
            this.idleTimeout = Objects.requireNonNull(timeout, "timeout");
            return self();
        }

        public B maxConnections(int max) {
            this.maxConnections = max;
            return self();
        }

        /** Sets the connections one remote IP address may hold open (default 128). */
        public B maxConnectionsPerAddress(int max) {
            this.maxConnectionsPerAddress = max;
            return self();
        }

        public B windowAckSize(long bytes) {
            this.windowAckSize = bytes;
            return self();
        }

        public B maxPendingBytes(int bytes) {
            this.maxPendingBytes = bytes;
            return self();
        }

        /** Enables RTMPS with this server context. */
        public B sslContext(SslContext context) {
            this.sslContext = context;
            return self();
        }

        /** Returns the config these settings describe; throws IllegalArgumentException when a value is out of range. */
        RtmpConfig toConfig() {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0..65535: " + port);
            }
            if (chunkSize < 128 || chunkSize > 65536) {
                throw new IllegalArgumentException("chunkSize must be 128..65536: " + chunkSize);
            }
            if (maxConnections < 1 || maxConnectionsPerAddress < 1) {
                throw new IllegalArgumentException("maxConnections and maxConnectionsPerAddress must be positive");
            }
            if (windowAckSize < 1 || windowAckSize > 0x7FFF_FFFFL) {
                throw new IllegalArgumentException("windowAckSize must be 1..2^31-1");
            }
            if (maxPendingBytes < 64 * 1024) {
                throw new IllegalArgumentException("maxPendingBytes must be at least 64 KiB");
            }
            if (sslContext != null && !sslContext.isServer()) {
                throw new IllegalArgumentException("sslContext must be a server context");
            }
            return new RtmpConfig(this);
        }
    }

    /** Builds an {@link RtmpConfig}; see the class notes for the defaults. */
    public static final class Builder extends Settings<Builder> {
        private Builder() {
        }

        /** @throws IllegalArgumentException when a value is out of range */
        public RtmpConfig build() {
            return toConfig();
        }
    }
}
