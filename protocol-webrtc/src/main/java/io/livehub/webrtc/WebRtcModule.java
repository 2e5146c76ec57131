package io.livehub.webrtc;

import io.livehub.spi.ServerContext;
import io.livehub.spi.ServerModule;
import io.livehub.webrtc.internal.WebRtcServer;
import io.livehub.webrtc.internal.WebRtcSignalling;
import io.livehub.webrtc.sdp.SdpLimits;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Serves WebRTC playback over WHEP and ingest over WHIP: signalling on the server's shared
 * HTTP endpoint, media on one UDP port (ICE-lite, DTLS-SRTP) for every session.
 *
 * <pre>{@code
 * MediaServer.builder()
 *     .module(RtmpModule.builder().port(1935).build())
 *     .module(WebRtcModule.builder().rtcPort(8000).build())
 *     .start();
 * // a player POSTs its offer to http://host:8080/rtc/v1/whep/?app=live&stream=livestream,
 * // a publisher to http://host:8080/rtc/v1/whip/?app=live&stream=livestream
 * }</pre>
 *
 * <p>The bound UDP port is reported as {@code "webrtc"}. A start that fails undoes itself.
 */
public final class WebRtcModule implements ServerModule {

    private final WebRtcConfig config;
    private volatile WebRtcServer server;
    private volatile WebRtcSignalling signalling;
    private volatile ServerContext context;

    public WebRtcModule(WebRtcConfig config) {
        this.config = config;
    }

    /** Returns a builder of the module's {@link WebRtcConfig}, ending in {@link Builder#build()}. */
    public static Builder builder() {
        return new Builder();
    }

    public WebRtcConfig config() {
        return config;
    }

    @Override
    public String name() {
        return "webrtc";
    }

    /** Returns the number of open WebRTC sessions. */
    public int sessionCount() {
        WebRtcServer s = server;
        return s == null ? 0 : s.sessionCount();
    }

    @Override
    public void start(ServerContext ctx) throws Exception {
        WebRtcServer s = new WebRtcServer(config, ctx);
        int port = s.start();
        WebRtcSignalling service = new WebRtcSignalling(s, ctx);
        ctx.http().add(service);
        this.context = ctx;
        this.signalling = service;
        this.server = s;
        ctx.reportPort(name(), port);
    }

    @Override
    public CompletionStage<Void> stop() {
        WebRtcServer s = server;
        server = null;
        if (signalling != null && context != null) {
            context.http().remove(signalling);
        }
        if (s != null) {
            s.stop();
        }
        return CompletableFuture.completedFuture(null);
    }

    /** Builds a {@link WebRtcModule}; each setter is that of {@link WebRtcConfig.Builder}. */
    public static final class Builder {
        private final WebRtcConfig.Builder config = WebRtcConfig.builder();

        private Builder() {
        }

        public Builder host(String host) {
            config.host(host);
            return this;
        }

        public Builder rtcPort(int port) {
            config.rtcPort(port);
            return this;
        }

        public Builder candidates(List<InetAddress> candidates) {
            config.candidates(candidates);
            return this;
        }

        public Builder maxSessions(int max) {
            config.maxSessions(max);
            return this;
        }

        public Builder maxPendingPerAddress(int max) {
            config.maxPendingPerAddress(max);
            return this;
        }

        public Builder sdpLimits(SdpLimits limits) {
            config.sdpLimits(limits);
            return this;
        }

        public Builder handshakeThreads(int threads) {
            config.handshakeThreads(threads);
            return this;
        }

        public Builder handshakeQueue(int max) {
            config.handshakeQueue(max);
            return this;
        }

        public Builder handshakeTimeout(Duration timeout) {
            config.handshakeTimeout(timeout);
            return this;
        }

        public Builder mtu(int mtu) {
            config.mtu(mtu);
            return this;
        }

        public Builder nackBufferPackets(int packets) {
            config.nackBufferPackets(packets);
            return this;
        }

        public Builder consentTimeout(Duration timeout) {
            config.consentTimeout(timeout);
            return this;
        }

        public Builder rtcpInterval(Duration interval) {
            config.rtcpInterval(interval);
            return this;
        }

        public Builder publisherKeyframeInterval(Duration interval) {
            config.publisherKeyframeInterval(interval);
            return this;
        }

        public Builder publisherReorderDelay(Duration delay) {
            config.publisherReorderDelay(delay);
            return this;
        }

        public Builder maxAccessUnitBytes(int bytes) {
            config.maxAccessUnitBytes(bytes);
            return this;
        }

        /** Builds the module from the settings so far. */
        public WebRtcModule build() {
            return new WebRtcModule(config.build());
        }
    }
}
