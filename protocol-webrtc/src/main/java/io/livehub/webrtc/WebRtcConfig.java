package io.livehub.webrtc;

import io.livehub.webrtc.sdp.SdpLimits;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Configures WebRTC playback (WHEP). Immutable; build with {@link #builder()}.
 *
 * <p>Defaults, and why:
 * <ul>
 *   <li>{@code host} {@code 0.0.0.0} and {@code rtcPort} 8000 (SRS's WebRTC UDP port): one UDP
 *       port for every session (ICE-lite, RFC 8445 section 2.5); 0 binds an ephemeral port,
 *       reported as {@code "webrtc"}.</li>
 *   <li>{@code candidates} none given: the host's interface addresses, loopback included
 *       (IPv6 link-local left out), each with {@code rtcPort}. Give the public IP behind NAT
 *       here; only IPs, no names.</li>
 *   <li>{@code maxSessions} 1,000: further WHEP requests get 503; bounds memory (about
 *       {@code nackBufferPackets} × 1.2 KB per session) and handshake work.</li>
 *   <li>{@code maxPendingPerAddress} 16: sessions answered but not yet connected (ICE and
 *       DTLS) from one HTTP client address; more get 503. Each such session holds a few KB
 *       and a place in the handshake queue for up to {@code handshakeTimeout}, so one
 *       address cannot fill {@code maxSessions} with offers it never connects.</li>
 *   <li>{@code sdpLimits} {@link SdpLimits#DEFAULT}: offers are 6-10 KB.</li>
 *   <li>{@code maxStunBytes} 1,500 and {@code maxStunAttributes} 32: a browser's check is
 *       about 100 bytes with 6 attributes; bigger ones are refused before copying.</li>
 *   <li>{@code handshakeThreads} 2 and {@code handshakeQueue} 64: DTLS handshakes block a
 *       thread (BouncyCastle's API) and never run on an event loop; handshakes past the
 *       queue are refused and their session closed, so a flood of offers cannot pile up
 *       threads.</li>
 *   <li>{@code handshakeTimeout} 10 s: ICE and DTLS must complete this soon after the answer
 *       (browsers give up after about 30 s; 10 s covers a slow network).</li>
 *   <li>{@code dtlsQueueDatagrams} 32: DTLS records waiting for the handshake thread; a
 *       handshake flight is under 10.</li>
 *   <li>{@code maxHandshakeMessageBytes} 16 KiB: a browser's certificate chain is one
 *       self-signed certificate of under 1 KB.</li>
 *   <li>{@code mtu} 1,200 bytes: the largest datagram sent, as browsers use; RTP payloads get
 *       what is left after the RTP header and the SRTP tag.</li>
 *   <li>{@code nackBufferPackets} 512 (a power of two): sent packets kept per track to answer
 *       NACKs; about 2 s of a 2 Mbit/s stream.</li>
 *   <li>{@code maxNackSequences} 256: retransmissions one RTCP datagram can ask for.</li>
 *   <li>{@code consentTimeout} 30 s: a session that gets no STUN check for this long is
 *       closed (RFC 7675 consent freshness; browsers check every 5 s or so).</li>
 *   <li>{@code rtcpInterval} 1 s: how often RTCP reports go out (RFC 3550 section 6.2): to a
 *       viewer a sender report per track, which it needs for audio/video sync; to a WHIP
 *       publisher a receiver report, by whose loss figures it adapts its bitrate.</li>
 *   <li>{@code certificateValidity} 30 days: the self-signed certificate made at start.</li>
 *   <li>{@code publisherKeyframeInterval} 2 s: a WHIP publisher is asked for a keyframe (PLI)
 *       this often. Browsers send keyframes only when asked, but viewers join at the hub's
 *       cached keyframe, a viewer that fell behind resumes at the next one, and HLS cuts
 *       segments at them (SRS's {@code pli_for_rtmp} does the same, every 6 s).</li>
 *   <li>{@code publisherReorderDelay} 150 ms: how long a missing video packet from a WHIP
 *       publisher is waited for (it is NACKed at once) before its frame is given up on and a
 *       keyframe asked for; a retransmission takes one round trip.</li>
 *   <li>{@code maxAccessUnitBytes} 4 MiB: the largest H.264 access unit a WHIP publisher's
 *       packets are reassembled into; a 4K keyframe at a high bitrate is about 1 MB.</li>
 * </ul>
 */
public final class WebRtcConfig {

    private final String host;
    private final int rtcPort;
    private final List<InetAddress> candidates;
    private final int maxSessions;
    private final int maxPendingPerAddress;
    private final SdpLimits sdpLimits;
    private final int maxStunBytes;
    private final int maxStunAttributes;
    private final int handshakeThreads;
    private final int handshakeQueue;
    private final Duration handshakeTimeout;
    private final int dtlsQueueDatagrams;
    private final int maxHandshakeMessageBytes;
    private final int mtu;
    private final int nackBufferPackets;
    private final int maxNackSequences;
    private final Duration consentTimeout;
    private final Duration rtcpInterval;
    private final Duration certificateValidity;
    private final int maxAccessUnitBytes;
    private final Duration publisherKeyframeInterval;
    private final Duration publisherReorderDelay;

    private WebRtcConfig(Builder b) {
        this.host = b.host;
        this.rtcPort = b.rtcPort;
        this.candidates = List.copyOf(b.candidates);
        this.maxSessions = b.maxSessions;
        this.maxPendingPerAddress = b.maxPendingPerAddress;
        this.sdpLimits = b.sdpLimits;
        this.maxStunBytes = b.maxStunBytes;
        this.maxStunAttributes = b.maxStunAttributes;
        this.handshakeThreads = b.handshakeThreads;
        this.handshakeQueue = b.handshakeQueue;
        this.handshakeTimeout = b.handshakeTimeout;
        this.dtlsQueueDatagrams = b.dtlsQueueDatagrams;
        this.maxHandshakeMessageBytes = b.maxHandshakeMessageBytes;
        this.mtu = b.mtu;
        this.nackBufferPackets = b.nackBufferPackets;
        this.maxNackSequences = b.maxNackSequences;
        this.consentTimeout = b.consentTimeout;
        this.rtcpInterval = b.rtcpInterval;
        this.certificateValidity = b.certificateValidity;
        this.maxAccessUnitBytes = b.maxAccessUnitBytes;
        this.publisherKeyframeInterval = b.publisherKeyframeInterval;
        this.publisherReorderDelay = b.publisherReorderDelay;
    }

    public static Builder builder() {
        return new Builder();
    }

    public String host() {
        return host;
    }

    public int rtcPort() {
        return rtcPort;
    }

    /** Returns the candidate IPs given; empty means the host's interface addresses. */
    public List<InetAddress> candidates() {
        return candidates;
    }

    public int maxSessions() {
        return maxSessions;
    }

    public int maxPendingPerAddress() {
        return maxPendingPerAddress;
    }

    public SdpLimits sdpLimits() {
        return sdpLimits;
    }

    public int maxStunBytes() {
        return maxStunBytes;
    }

    public int maxStunAttributes() {
        return maxStunAttributes;
    }

    public int handshakeThreads() {
        return handshakeThreads;
    }

    public int handshakeQueue() {
        return handshakeQueue;
    }

    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    public int dtlsQueueDatagrams() {
        return dtlsQueueDatagrams;
    }

    public int maxHandshakeMessageBytes() {
        return maxHandshakeMessageBytes;
    }

    public int mtu() {
        return mtu;
    }

    public int nackBufferPackets() {
        return nackBufferPackets;
    }

    public int maxNackSequences() {
        return maxNackSequences;
    }

    public Duration consentTimeout() {
        return consentTimeout;
    }

    public Duration rtcpInterval() {
        return rtcpInterval;
    }

    public Duration certificateValidity() {
        return certificateValidity;
    }

    public int maxAccessUnitBytes() {
        return maxAccessUnitBytes;
    }

    public Duration publisherKeyframeInterval() {
        return publisherKeyframeInterval;
    }

    public Duration publisherReorderDelay() {
        return publisherReorderDelay;
    }

    /** Builds a {@link WebRtcConfig}; see the class notes for the defaults. */
    public static final class Builder {
        private String host = "0.0.0.0";
        private int rtcPort = 8000;
        private List<InetAddress> candidates = List.of();
        private int maxSessions = 1_000;
        private int maxPendingPerAddress = 16;
        private SdpLimits sdpLimits = SdpLimits.DEFAULT;
        private int maxStunBytes = 1_500;
        private int maxStunAttributes = 32;
        private int handshakeThreads = 2;
        private int handshakeQueue = 64;
        private Duration handshakeTimeout = Duration.ofSeconds(10);
        private int dtlsQueueDatagrams = 32;
        private int maxHandshakeMessageBytes = 16 * 1024;
        private int mtu = 1_200;
        private int nackBufferPackets = 512;
        private int maxNackSequences = 256;
        private Duration consentTimeout = Duration.ofSeconds(30);
        private Duration rtcpInterval = Duration.ofSeconds(1);
        private Duration certificateValidity = Duration.ofDays(30);
        private int maxAccessUnitBytes = 4 * 1024 * 1024;
        private Duration publisherKeyframeInterval = Duration.ofSeconds(2);
        private Duration publisherReorderDelay = Duration.ofMillis(150);

        private Builder() {
        }

        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        public Builder rtcPort(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("rtcPort " + port);
            }
            this.rtcPort = port;
            return this;
        }

        /** Sets the candidate IPs announced in answers (no host names). */
        public Builder candidates(List<InetAddress> candidates) {
            this.candidates = List.copyOf(candidates);
            return this;
        }

        public Builder maxSessions(int max) {
            this.maxSessions = positive(max, "maxSessions");
            return this;
        }

        public Builder maxPendingPerAddress(int max) {
            this.maxPendingPerAddress = positive(max, "maxPendingPerAddress");
            return this;
        }

        public Builder sdpLimits(SdpLimits limits) {
            this.sdpLimits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        public Builder maxStunBytes(int bytes) {
            this.maxStunBytes = Math.max(20, positive(bytes, "maxStunBytes"));
            return this;
        }

        public Builder maxStunAttributes(int max) {
            this.maxStunAttributes = positive(max, "maxStunAttributes");
            return this;
        }

        public Builder handshakeThreads(int threads) {
            this.handshakeThreads = positive(threads, "handshakeThreads");
            return this;
        }

        public Builder handshakeQueue(int max) {
            this.handshakeQueue = positive(max, "handshakeQueue");
            return this;
        }

        public Builder handshakeTimeout(Duration timeout) {
            this.handshakeTimeout = positive(timeout, "handshakeTimeout");
            return this;
        }

        public Builder dtlsQueueDatagrams(int max) {
            this.dtlsQueueDatagrams = positive(max, "dtlsQueueDatagrams");
            return this;
        }

        public Builder maxHandshakeMessageBytes(int bytes) {
            this.maxHandshakeMessageBytes = positive(bytes, "maxHandshakeMessageBytes");
            return this;
        }

        /** Sets the largest datagram sent; 600 to 1,500 bytes. */
        public Builder mtu(int mtu) {
            if (mtu < 600 || mtu > 1_500) {
                throw new IllegalArgumentException("mtu " + mtu + " is outside 600..1500");
            }
            this.mtu = mtu;
            return this;
        }

        /** Sets the packets kept per track for retransmission; a power of two. */
        public Builder nackBufferPackets(int packets) {
            if (packets < 1 || Integer.bitCount(packets) != 1) {
                throw new IllegalArgumentException("nackBufferPackets must be a power of two: " + packets);
            }
            this.nackBufferPackets = packets;
            return this;
        }

        public Builder maxNackSequences(int max) {
            this.maxNackSequences = positive(max, "maxNackSequences");
            return this;
        }

        public Builder consentTimeout(Duration timeout) {
            this.consentTimeout = positive(timeout, "consentTimeout");
            return this;
        }

        public Builder rtcpInterval(Duration interval) {
            this.rtcpInterval = positive(interval, "rtcpInterval");
            return this;
        }

        public Builder certificateValidity(Duration validity) {
            this.certificateValidity = positive(validity, "certificateValidity");
            return this;
        }

        public Builder maxAccessUnitBytes(int bytes) {
            this.maxAccessUnitBytes = positive(bytes, "maxAccessUnitBytes");
            return this;
        }

        public Builder publisherKeyframeInterval(Duration interval) {
            this.publisherKeyframeInterval = positive(interval, "publisherKeyframeInterval");
            return this;
        }

        public Builder publisherReorderDelay(Duration delay) {
            this.publisherReorderDelay = positive(delay, "publisherReorderDelay");
            return this;
        }

        public WebRtcConfig build() {
            return new WebRtcConfig(this);
        }

        private static int positive(int v, String name) {
            if (v < 1) {
                throw new IllegalArgumentException(name + " must be positive: " + v);
            }
            return v;
        }

        private static Duration positive(Duration d, String name) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive: " + d);
            }
            return d;
        }
    }
}
