package io.livehub.rtmp.client;

import io.livehub.rtmp.amf.AmfLimits;
import io.livehub.rtmp.chunk.RtmpChunkConfig;
import io.livehub.rtmp.handshake.RtmpHandshakeConfig;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.ssl.SslContext;
import java.time.Duration;
import java.util.Objects;

/**
 * Holds the options of an {@link RtmpClient}.
 *
 * <p>Defaults ({@link #DEFAULT}), and why:
 * <ul>
 *   <li>{@code connectTimeout} 10 s: TCP connect, the time a slow or lossy network needs;
 *       beyond it the server is unreachable.</li>
 *   <li>{@code handshake} ({@link RtmpHandshakeConfig#DEFAULT}): timeout 10 s, digest handshake
 *       as FFmpeg and Flash Player send it (RTMP spec §5.2).</li>
 *   <li>{@code commandTimeout} 10 s: how long each step of the command flow (RTMP spec §7.2:
 *       {@code connect}, {@code createStream}, {@code publish} or {@code play}) may wait for the
 *       server's answer. A server that asks an HTTP hook before it answers needs a few seconds.</li>
 *   <li>{@code chunk} ({@link RtmpChunkConfig#DEFAULT}): limits on what the server may make the
 *       client buffer: incoming chunk size, message length, partial messages, chunk streams.</li>
 *   <li>{@code chunkSize} 4096: the outgoing chunk size, announced with Set Chunk Size
 *       (RTMP spec §5.4.1) right after the handshake, as FFmpeg and OBS use; 128..65536.</li>
 *   <li>{@code amfLimits} ({@link AmfLimits#DEFAULT}): depth 32, strings 64 KiB, for the server's
 *       commands and metadata.</li>
 *   <li>{@code writeBufferWaterMark} 256 KiB / 1 MiB: the channel stops being writable when more
 *       than the high mark is queued for the socket; see {@link RtmpPublishSession#send}.</li>
 *   <li>{@code sendBufferSize} 0: the kernel sizes the socket's send buffer itself (Linux grows
 *       it up to {@code net.ipv4.tcp_wmem}'s maximum, 4 MiB by default). A positive value fixes
 *       {@code SO_SNDBUF}, which bounds how much a peer that stopped reading can hold before the
 *       channel stops being writable, so a stalled server is seen sooner; it also caps the
 *       throughput at about the buffer per round trip.</li>
 *   <li>{@code sslContext} none: {@code rtmps} URLs then use a client context that trusts the
 *       JDK's default trust store ({@code cacerts}), so a server certificate is verified against
 *       the usual public CAs. Set a client context to trust other certificates.</li>
 *   <li>{@code hostnameVerification} true: over {@code rtmps}, the server certificate must name
 *       the URL's host (HTTPS rules, RFC 2818), whichever context is used.</li>
 *   <li>{@code flashVersion} none: {@code connect} then sends {@code FMLE/3.0 (compatible;
 *       Livehub)} when publishing, as encoders do, and {@code LNX 9,0,124,2} when playing, as
 *       FFmpeg does; some servers pick behaviour from it.</li>
 * </ul>
 *
 * <p>Thread-safety: immutable.
 */
public final class RtmpClientConfig {

    /** The defaults listed in the class notes. */
    public static final RtmpClientConfig DEFAULT = builder().build();

    /** The flashVer sent when publishing with no {@code flashVersion} set. */
    public static final String PUBLISH_FLASH_VERSION = "FMLE/3.0 (compatible; Livehub)";
    /** The flashVer sent when playing with no {@code flashVersion} set. */
    public static final String PLAY_FLASH_VERSION = "LNX 9,0,124,2";

    private final Duration connectTimeout;
    private final Duration commandTimeout;
    private final RtmpHandshakeConfig handshake;
    private final RtmpChunkConfig chunk;
    private final int chunkSize;
    private final AmfLimits amfLimits;
    private final WriteBufferWaterMark writeBufferWaterMark;
    private final int sendBufferSize;
    private final SslContext sslContext;
    private final boolean hostnameVerification;
    private final String flashVersion;

    private RtmpClientConfig(Builder b) {
        this.connectTimeout = b.connectTimeout;
        this.commandTimeout = b.commandTimeout;
        this.handshake = b.handshake;
        this.chunk = b.chunk;
        this.chunkSize = b.chunkSize;
        this.amfLimits = b.amfLimits;
        this.writeBufferWaterMark = b.writeBufferWaterMark;
        this.sendBufferSize = b.sendBufferSize;
        this.sslContext = b.sslContext;
        this.hostnameVerification = b.hostnameVerification;
        this.flashVersion = b.flashVersion;
    }

    /** Returns a builder that starts from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns a builder that starts from this configuration. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.connectTimeout = connectTimeout;
        b.commandTimeout = commandTimeout;
        b.handshake = handshake;
        b.chunk = chunk;
        b.chunkSize = chunkSize;
        b.amfLimits = amfLimits;
        b.writeBufferWaterMark = writeBufferWaterMark;
        b.sendBufferSize = sendBufferSize;
        b.sslContext = sslContext;
        b.hostnameVerification = hostnameVerification;
        b.flashVersion = flashVersion;
        return b;
    }

    /** Returns the TCP connect timeout; default 10 s. */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** Returns how long each command waits for the server's answer; default 10 s. */
    public Duration commandTimeout() {
        return commandTimeout;
    }

    /** Returns the handshake options; default {@link RtmpHandshakeConfig#DEFAULT}. */
    public RtmpHandshakeConfig handshake() {
        return handshake;
    }

    /** Returns the chunk stream limits; default {@link RtmpChunkConfig#DEFAULT}. */
    public RtmpChunkConfig chunk() {
        return chunk;
    }

    /** Returns the outgoing chunk size; default 4096. */
    public int chunkSize() {
        return chunkSize;
    }

    /** Returns the AMF decoding limits; default {@link AmfLimits#DEFAULT}. */
    public AmfLimits amfLimits() {
        return amfLimits;
    }

    /** Returns the channel's write buffer water marks; default 256 KiB / 1 MiB. */
    public WriteBufferWaterMark writeBufferWaterMark() {
        return writeBufferWaterMark;
    }

    /** Returns the socket send buffer size ({@code SO_SNDBUF}), or 0 to let the kernel size it; default 0. */
    public int sendBufferSize() {
        return sendBufferSize;
    }

    /** Returns the client TLS context for {@code rtmps}, or null for one that trusts the JDK's CAs. */
    public SslContext sslContext() {
        return sslContext;
    }

    /** Returns whether the server certificate must name the host; default true. */
    public boolean hostnameVerification() {
        return hostnameVerification;
    }

    /** Returns the flashVer sent in {@code connect}, or null for the per-mode default. */
    public String flashVersion() {
        return flashVersion;
    }

    @Override
    public String toString() {
        return "RtmpClientConfig[connectTimeout=" + connectTimeout + ", commandTimeout=" + commandTimeout
                + ", handshake=" + handshake + ", chunk=" + chunk + ", chunkSize=" + chunkSize
                + ", amfLimits=" + amfLimits + ", writeBufferWaterMark=" + writeBufferWaterMark
                + ", sendBufferSize=" + sendBufferSize
                + ", sslContext=" + (sslContext == null ? "default" : "custom")
                + ", hostnameVerification=" + hostnameVerification + ", flashVersion=" + flashVersion + "]";
    }

    /**
     * Builds {@link RtmpClientConfig}; every setter checks its value.
     *
     * <p>Thread-safety: not thread-safe.
     */
    public static final class Builder {
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration commandTimeout = Duration.ofSeconds(10);
        private RtmpHandshakeConfig handshake = RtmpHandshakeConfig.DEFAULT;
        private RtmpChunkConfig chunk = RtmpChunkConfig.DEFAULT;
        private int chunkSize = 4096;
        private AmfLimits amfLimits = AmfLimits.DEFAULT;
        private WriteBufferWaterMark writeBufferWaterMark = new WriteBufferWaterMark(256 * 1024, 1024 * 1024);
        private int sendBufferSize;
        private SslContext sslContext;
        private boolean hostnameVerification = true;
        private String flashVersion;

        private Builder() {
        }

        /** Sets the TCP connect timeout, 1 ms..5 min; default 10 s. */
        public Builder connectTimeout(Duration v) {
            this.connectTimeout = checkDuration("connectTimeout", v);
            return this;
        }

        /** Sets how long each command waits for its answer, 1 ms..5 min; default 10 s. */
        public Builder commandTimeout(Duration v) {
            this.commandTimeout = checkDuration("commandTimeout", v);
            return this;
        }

        /** Sets the handshake options; default {@link RtmpHandshakeConfig#DEFAULT}. */
        public Builder handshake(RtmpHandshakeConfig v) {
            this.handshake = Objects.requireNonNull(v, "handshake");
            return this;
        }

        /** Sets the chunk stream limits; default {@link RtmpChunkConfig#DEFAULT}. */
        public Builder chunk(RtmpChunkConfig v) {
            this.chunk = Objects.requireNonNull(v, "chunk");
            return this;
        }

        /** Sets the outgoing chunk size, 128..65536; default 4096. */
        public Builder chunkSize(int v) {
            if (v < 128 || v > 65536) {
                throw new IllegalArgumentException("chunkSize must be 128..65536: " + v);
            }
            this.chunkSize = v;
            return this;
        }

        /** Sets the AMF decoding limits; default {@link AmfLimits#DEFAULT}. */
        public Builder amfLimits(AmfLimits v) {
            this.amfLimits = Objects.requireNonNull(v, "amfLimits");
            return this;
        }

        /** Sets the channel's write buffer water marks; default 256 KiB / 1 MiB. */
        public Builder writeBufferWaterMark(WriteBufferWaterMark v) {
            this.writeBufferWaterMark = Objects.requireNonNull(v, "writeBufferWaterMark");
            return this;
        }

        /** Sets the socket send buffer size, 0 (the default: the kernel's) or 4 KiB..64 MiB. */
        public Builder sendBufferSize(int v) {
            if (v != 0 && (v < 4096 || v > 64 * 1024 * 1024)) {
                throw new IllegalArgumentException("sendBufferSize must be 0 or 4 KiB..64 MiB: " + v);
            }
            this.sendBufferSize = v;
            return this;
        }

        /**
         * Sets the client TLS context for {@code rtmps}; null (the default) uses one that trusts
         * the JDK's default trust store.
         *
         * @throws IllegalArgumentException when {@code v} is a server context
         */
        public Builder sslContext(SslContext v) {
            if (v != null && !v.isClient()) {
                throw new IllegalArgumentException("sslContext must be a client context");
            }
            this.sslContext = v;
            return this;
        }

        /** Sets whether the server certificate must name the host; default true. */
        public Builder hostnameVerification(boolean v) {
            this.hostnameVerification = v;
            return this;
        }

        /** Sets the flashVer sent in {@code connect}; null (the default) picks one per mode. */
        public Builder flashVersion(String v) {
            this.flashVersion = v;
            return this;
        }

        /** Returns the configuration. */
        public RtmpClientConfig build() {
            return new RtmpClientConfig(this);
        }

        private static Duration checkDuration(String name, Duration v) {
            if (v == null || v.toMillis() < 1 || v.compareTo(Duration.ofMinutes(5)) > 0) {
                throw new IllegalArgumentException(name + " must be in [1 ms, 5 min]: " + v);
            }
            return v;
        }
    }
}
