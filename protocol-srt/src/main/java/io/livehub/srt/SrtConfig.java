package io.livehub.srt;

import java.nio.charset.StandardCharsets;
import io.livehub.media.StreamKey;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

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
 *   <li>{@code maxConnectionsPerAddress} 128: connections one IP address may hold; further
 *       callers from it are rejected with {@code REJ_RESOURCE}, so one host cannot take every
 *       slot, while many viewers behind one NAT still fit (as RTMP's default).</li>
 *   <li>{@code listenerSockets} 1: one UDP socket and one event loop per listener. More
 *       (epoll only) bind the port several times with SO_REUSEPORT so that many callers are
 *       served on several event loops.</li>
 *   <li>{@code handshakeTimeout} 3 s: libsrt's connect timeout; also bounds the time a
 *       caller waits for a connect/publish/play decision.</li>
 *   <li>{@code peerIdleTimeout} 5 s: libsrt's {@code SRTO_PEERIDLETIMEO}; a connection
 *       that hears nothing for this long is closed. Keep-alives go out every second.</li>
 *   <li>{@code passphrase} none: no encryption. When set (10 to 79 UTF-8 bytes, libsrt's
 *       {@code SRTO_PASSPHRASE} limits), payloads are encrypted with AES-CTR under keys
 *       exchanged in the handshake (draft-sharabayko-srt sections 3.2.2 and 6). Like libsrt
 *       with its default {@code SRTO_ENFORCEDENCRYPTION}, a listener rejects a caller with a
 *       wrong passphrase ({@code REJ_BADSECRET}) and a caller that has none, or one that
 *       offers keys when the listener has none ({@code REJ_UNSECURE}).</li>
 *   <li>{@code keyLength} 16 bytes (AES-128), libsrt's {@code SRTO_PBKEYLEN} default; 24 or
 *       32 choose AES-192 or AES-256. The side that makes the keys chooses: a caller always
 *       uses its own length, a listener adopts the length of the caller's key material and
 *       advertises its own in the induction response (which libsrt callers without a
 *       {@code pbkeylen} of their own adopt).</li>
 *   <li>{@code kmRefreshRate} 2^24 packets, libsrt's {@code SRTO_KMREFRESHRATE} default: a
 *       sending key encrypts about this many packets before the sender switches to a new
 *       one (even and odd keys alternate).</li>
 *   <li>{@code kmPreAnnounce} 2^12 packets ({@code SRTO_KMPREANNOUNCE}): the new key is
 *       sent this many packets before the switch, and the old one is retired this many
 *       packets after it, so that late and retransmitted packets still decrypt. At most
 *       {@code (kmRefreshRate - 1) / 2}.</li>
 *   <li>{@code streamPassphrase} none: every stream uses {@code passphrase}. A resolver names a
 *       passphrase per stream id (a listener only).</li>
 *   <li>{@code defaultApp} {@code live}: the app of a stream id that names only a stream, as
 *       SRS's {@code live/livestream} default (a listener only).</li>
 *   <li>{@code payloadFormat} MPEG-TS ({@link TsPayloadFormat}), what every SRT encoder and
 *       player carries; null makes a listener reject every caller with 1501
 *       ({@code REJX_UNIMPLEMENTED}).</li>
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
    private final int maxConnectionsPerAddress;
    private final Duration handshakeTimeout;
    private final Duration peerIdleTimeout;
    private final int listenerSockets;
    private final String passphrase;
    private final int keyLength;
    private final int kmRefreshRate;
    private final int kmPreAnnounce;
    private final Function<SrtStreamId, String> streamPassphrase;
    private final String defaultApp;
    private final SrtPayloadFormat payloadFormat;

    private SrtConfig(Settings<?> b) {
        this.host = b.host;
        this.port = b.port;
        this.latency = b.latency;
        this.maxBandwidth = b.maxBandwidth;
        this.mtu = b.mtu;
        this.payloadSize = b.payloadSize;
        this.flowWindow = b.flowWindow;
        this.maxConnections = b.maxConnections;
        this.maxConnectionsPerAddress = b.maxConnectionsPerAddress;
        this.handshakeTimeout = b.handshakeTimeout;
        this.peerIdleTimeout = b.peerIdleTimeout;
        this.listenerSockets = b.listenerSockets;
        this.passphrase = b.passphrase;
        this.keyLength = b.keyLength;
        this.kmRefreshRate = b.kmRefreshRate;
        this.kmPreAnnounce = b.kmPreAnnounce;
        this.streamPassphrase = b.streamPassphrase;
        this.defaultApp = b.defaultApp;
        this.payloadFormat = b.payloadFormat;
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

    /** Returns the connections one remote IP address may hold. */
    public int maxConnectionsPerAddress() {
        return maxConnectionsPerAddress;
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

    /** Returns the passphrase that encrypts the connections, or null for none. */
    public String passphrase() {
        return passphrase;
    }

    /** Returns whether connections are encrypted (a passphrase is set). */
    public boolean encrypted() {
        return passphrase != null;
    }

    /** Returns the length of the keys this side makes: 16, 24 or 32 bytes. */
    public int keyLength() {
        return keyLength;
    }

    /** Returns how many packets a sending key encrypts before the sender switches keys. */
    public int kmRefreshRate() {
        return kmRefreshRate;
    }

    /** Returns how many packets before the switch a new key is announced and after it the old one is retired. */
    public int kmPreAnnounce() {
        return kmPreAnnounce;
    }

    /** Returns the resolver of a passphrase per stream id, or null when every stream uses {@link #passphrase()}. */
    public Function<SrtStreamId, String> streamPassphrase() {
        return streamPassphrase;
    }

    /** Returns the app of stream ids that name only a stream. */
    public String defaultApp() {
        return defaultApp;
    }

    /** Returns the format of the payloads a listener's connections carry, or null when it serves none. */
    public SrtPayloadFormat payloadFormat() {
        return payloadFormat;
    }

    /**
     * Checks libsrt's {@code SRTO_PASSPHRASE} length rule: 10 to 79 UTF-8 bytes.
     *
     * @throws IllegalArgumentException when {@code passphrase} breaks it
     */
    static void checkPassphrase(String passphrase) {
        int bytes = passphrase.getBytes(StandardCharsets.UTF_8).length;
        if (bytes < 10 || bytes > 79) {
            throw new IllegalArgumentException("SRT passphrase must be 10 to 79 characters (UTF-8 bytes), as"
                    + " libsrt requires; this one has " + bytes);
        }
    }

    /** Returns a builder that starts from this configuration. */
    public Builder toBuilder() {
        return new Builder().config(this);
    }

    /**
     * The settings of an {@link SrtConfig}, shared by {@link Builder} and
     * {@link SrtModule.Builder} so that each option is written once; see the class notes for the
     * defaults.
     *
     * @param <B> the concrete builder, returned by every setter
     */
    public abstract static class Settings<B extends Settings<B>> {
        String host = "0.0.0.0";
        int port = 10080;
        Duration latency = Duration.ofMillis(120);
        long maxBandwidth;
        int mtu = 1500;
        int payloadSize = 1316;
        int flowWindow = 8192;
        int maxConnections = 1000;
        int maxConnectionsPerAddress = 128;
        Duration handshakeTimeout = Duration.ofSeconds(3);
        Duration peerIdleTimeout = Duration.ofSeconds(5);
        int listenerSockets = 1;
        String passphrase;
        int keyLength = 16;
        int kmRefreshRate = 1 << 24;
        int kmPreAnnounce = 1 << 12;
        Function<SrtStreamId, String> streamPassphrase;
        String defaultApp = "live";
        SrtPayloadFormat payloadFormat = TsPayloadFormat.INSTANCE;

        Settings() {
        }

        @SuppressWarnings("unchecked")
        private B self() {
            return (B) this;
        }

        /** Starts from every setting of {@code config}; setters called afterwards change them. */
        public B config(SrtConfig config) {
            this.host = config.host;
            this.port = config.port;
            this.latency = config.latency;
            this.maxBandwidth = config.maxBandwidth;
            this.mtu = config.mtu;
            this.payloadSize = config.payloadSize;
            this.flowWindow = config.flowWindow;
            this.maxConnections = config.maxConnections;
            this.maxConnectionsPerAddress = config.maxConnectionsPerAddress;
            this.handshakeTimeout = config.handshakeTimeout;
            this.peerIdleTimeout = config.peerIdleTimeout;
            this.listenerSockets = config.listenerSockets;
            this.passphrase = config.passphrase;
            this.keyLength = config.keyLength;
            this.kmRefreshRate = config.kmRefreshRate;
            this.kmPreAnnounce = config.kmPreAnnounce;
            this.streamPassphrase = config.streamPassphrase;
            this.defaultApp = config.defaultApp;
            this.payloadFormat = config.payloadFormat;
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

        /** Sets the proposed TSBPD delay, 0..65535 ms. */
        public B latency(Duration latency) {
            this.latency = Objects.requireNonNull(latency, "latency");
            return self();
        }

        /** Sets a fixed sending rate, bytes per second; 0 (the default) paces at the input rate + 25%. */
        public B maxBandwidth(long bytesPerSecond) {
            this.maxBandwidth = bytesPerSecond;
            return self();
        }

        /** Sets the MTU, 576..9000 bytes. */
        public B mtu(int mtu) {
            this.mtu = mtu;
            return self();
        }

        /** Sets the payload size of sent packets; at most {@code mtu - 44}. */
        public B payloadSize(int size) {
            this.payloadSize = size;
            return self();
        }

        /** Sets the flow window and receive buffer, 32..65536 packets. */
        public B flowWindow(int packets) {
            this.flowWindow = packets;
            return self();
        }

        /** Sets the connections one remote IP address may hold (default 128). */
        public B maxConnectionsPerAddress(int max) {
            this.maxConnectionsPerAddress = max;
            return self();
        }

        public B maxConnections(int max) {
            this.maxConnections = max;
            return self();
        }

        public B handshakeTimeout(Duration timeout) {
            this.handshakeTimeout = Objects.requireNonNull(timeout, "timeout");
            return self();
        }

        public B peerIdleTimeout(Duration timeout) {
            this.peerIdleTimeout = Objects.requireNonNull(timeout, "timeout");
            return self();
        }

        /**
         * Binds the listener's port with {@code n} UDP sockets (SO_REUSEPORT, epoll only), each
         * on its own event loop of the group; the kernel spreads callers over them by address
         * and keeps each caller on one socket. 1..64.
         */
        public B listenerSockets(int n) {
            this.listenerSockets = n;
            return self();
        }

        /** Sets the passphrase, 10 to 79 UTF-8 bytes as libsrt allows; null or empty for no encryption. */
        public B passphrase(String passphrase) {
            this.passphrase = passphrase == null || passphrase.isEmpty() ? null : passphrase;
            return self();
        }

        /** Sets the length of the keys this side makes: 16 (AES-128), 24 or 32 (AES-256) bytes. */
        public B keyLength(int bytes) {
            this.keyLength = bytes;
            return self();
        }

        /** Sets how many packets a sending key encrypts before the switch to a new key. */
        public B kmRefreshRate(int packets) {
            this.kmRefreshRate = packets;
            return self();
        }

        /** Sets how many packets before and after a key switch both keys are valid. */
        public B kmPreAnnounce(int packets) {
            this.kmPreAnnounce = packets;
            return self();
        }

        /**
         * Names a passphrase per stream: {@code resolver} gets the caller's parsed stream id
         * (before any listener or hook is asked) and returns the stream's passphrase, which
         * replaces {@link #passphrase}, or null for that one (or none). It runs on an event
         * loop and must not block. Null (the default) resolves nothing.
         */
        public B streamPassphrase(Function<SrtStreamId, String> resolver) {
            this.streamPassphrase = resolver;
            return self();
        }

        /** Sets the app of stream ids that name only a stream; default {@code live}. */
        public B defaultApp(String app) {
            this.defaultApp = Objects.requireNonNull(app, "app");
            return self();
        }

        /** Sets the payload format; the default is MPEG-TS ({@link TsPayloadFormat}); null rejects every caller with 1501. */
        public B payloadFormat(SrtPayloadFormat format) {
            this.payloadFormat = format;
            return self();
        }

        /** Returns the config these settings describe; throws IllegalArgumentException when a value is out of range. */
        SrtConfig toConfig() {
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
            if (maxConnections < 1 || maxConnectionsPerAddress < 1) {
                throw new IllegalArgumentException("maxConnections and maxConnectionsPerAddress must be positive");
            }
            if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()
                    || peerIdleTimeout.isNegative() || peerIdleTimeout.isZero()) {
                throw new IllegalArgumentException("timeouts must be positive");
            }
            if (passphrase != null) {
                checkPassphrase(passphrase);
            }
            if (keyLength != 16 && keyLength != 24 && keyLength != 32) {
                throw new IllegalArgumentException("keyLength must be 16, 24 or 32 bytes: " + keyLength);
            }
            if (kmRefreshRate < 3) {
                throw new IllegalArgumentException("kmRefreshRate must be at least 3 packets: " + kmRefreshRate);
            }
            if (kmPreAnnounce < 1 || kmPreAnnounce > (kmRefreshRate - 1) / 2) {
                throw new IllegalArgumentException("kmPreAnnounce must be 1.." + (kmRefreshRate - 1) / 2
                        + " packets (at most (kmRefreshRate - 1) / 2): " + kmPreAnnounce);
            }
            if (!StreamKey.isValidApp(defaultApp)) {
                throw new IllegalArgumentException("defaultApp is not a valid app name: " + defaultApp);
            }
            return new SrtConfig(this);
        }
    }

    /** Builds an {@link SrtConfig}; see the class notes for the defaults. */
    public static final class Builder extends Settings<Builder> {
        Builder() {
        }

        /** @throws IllegalArgumentException when a value is out of range */
        public SrtConfig build() {
            return toConfig();
        }
    }
}
