package io.livehub.webrtc.internal;

import io.livehub.codec.h264.AvcDecoderConfigurationRecord;
import io.livehub.hub.LiveStream;
import io.livehub.media.CodecId;
import io.livehub.media.MalformedMediaException;
import io.livehub.media.Track;
import io.livehub.spi.ServerContext;
import io.livehub.webrtc.WebRtcConfig;
import io.livehub.webrtc.dtls.DtlsCertificate;
import io.livehub.webrtc.rtp.RtpHeader;
import io.livehub.webrtc.sdp.H264ProfileLevelId;
import io.livehub.webrtc.sdp.SdpAnswer;
import io.livehub.webrtc.sdp.SdpAnswerer;
import io.livehub.webrtc.sdp.SessionDescription;
import io.livehub.webrtc.stun.StunDecoder;
import io.livehub.webrtc.stun.StunEncoder;
import io.livehub.webrtc.stun.StunMessage;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebRTC transport of a server: one UDP socket for every session (ICE-lite), demultiplexed
 * by the first byte (RFC 7983: STUN 0-3, DTLS 20-63, RTP/RTCP 128-191), sessions found by the
 * STUN USERNAME (this side's ufrag) and then by the sender's address; the DTLS handshake
 * executor; the certificate.
 *
 * <p>Thread-safety: the session maps are concurrent; datagrams are handled on the UDP
 * channel's event loop.
 */
public final class WebRtcServer {

    private static final Logger log = LoggerFactory.getLogger(WebRtcServer.class);
    private static final String ICE_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private final WebRtcConfig config;
    private final ServerContext context;
    private final SecureRandom random = new SecureRandom();
    private final StunDecoder stunDecoder;
    private final Map<String, PeerSession> byUfrag = new ConcurrentHashMap<>();
    private final Map<InetSocketAddress, PeerSession> byAddress = new ConcurrentHashMap<>();
    private final Map<String, PeerSession> byId = new ConcurrentHashMap<>();
    /** WHIP sessions by the stream they publish, so that viewers' keyframe requests reach them. */
    private final Map<io.livehub.media.StreamKey, PeerSession> publishers = new ConcurrentHashMap<>();
    private final AtomicInteger sessionCount = new AtomicInteger();
    /** Sessions answered but not connected, by the HTTP client's address. */
    private final Map<InetAddress, AtomicInteger> pending = new ConcurrentHashMap<>();
    private final AtomicLong badInput = new AtomicLong();
    private final AtomicLong unknownPackets = new AtomicLong();
    private volatile long lastBadInputLogNanos;
    private DtlsCertificate certificate;
    private ThreadPoolExecutor handshakes;
    private Channel channel;
    private List<InetSocketAddress> candidates;

    public WebRtcServer(WebRtcConfig config, ServerContext context) {
        this.config = config;
        this.context = context;
        this.stunDecoder = new StunDecoder(config.maxStunBytes(), config.maxStunAttributes());
    }

    /** Makes the certificate, starts the handshake threads and binds the UDP port; returns the port. */
    public int start() throws Exception {
        certificate = DtlsCertificate.generate(config.certificateValidity());
        AtomicInteger threadNumber = new AtomicInteger();
        handshakes = new ThreadPoolExecutor(config.handshakeThreads(), config.handshakeThreads(), 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(config.handshakeQueue()), r -> {
                    Thread t = new Thread(r, "livehub-dtls-" + threadNumber.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        handshakes.allowCoreThreadTimeOut(true);
        try {
            Bootstrap b = new Bootstrap()
                    .group(context.transport().workerGroup())
                    .channel(context.transport().datagramChannel())
                    .handler(new Demultiplexer());
            channel = b.bind(config.host(), config.rtcPort()).sync().channel();
        } catch (Exception e) {
            handshakes.shutdownNow();
            throw e;
        }
        int port = ((InetSocketAddress) channel.localAddress()).getPort();
        try {
            candidates = candidates(port);
        } catch (java.io.IOException | RuntimeException e) {
            channel.close().syncUninterruptibly();
            handshakes.shutdownNow();
            throw e;
        }
        log.info("WebRTC listening on UDP {}:{}, candidates {}", config.host(), port, candidates);
        return port;
    }

    /** Closes every session, the socket and the handshake threads. */
    public void stop() {
        for (PeerSession p : List.copyOf(byId.values())) {
            p.close("server stopping");
        }
        if (channel != null) {
            channel.close().syncUninterruptibly();
        }
        if (handshakes != null) {
            handshakes.shutdownNow();
        }
    }

    WebRtcConfig config() {
        return config;
    }

    ServerContext context() {
        return context;
    }

    DtlsCertificate certificate() {
        return certificate;
    }

    ThreadPoolExecutor handshakeExecutor() {
        return handshakes;
    }

    Channel channel() {
        return channel;
    }

    /** Returns the candidates put in answers. */
    public List<InetSocketAddress> candidates() {
        return candidates;
    }

    /** Returns the number of open sessions. */
    public int sessionCount() {
        return byId.size();
    }

    /** Returns how many datagrams were refused as malformed or unauthenticated. */
    public long badInput() {
        return badInput.get();
    }

    /**
     * Answers an offer and opens the session it describes, which waits for ICE and DTLS.
     *
     * @return the session's resource id and the answer
     * @throws io.livehub.webrtc.sdp.SdpNegotiationException when the offer cannot be answered
     * @throws IllegalStateException when {@code maxSessions} sessions are open
     * @throws io.livehub.hub.StreamBusyException when a WHIP offer is for a stream already published
     */
    PeerSession open(SessionDescription offer, WebRtcClient client) {
        if (sessionCount.incrementAndGet() > config.maxSessions()) {
            sessionCount.decrementAndGet();
            throw new IllegalStateException("WebRTC sessions are at their limit of " + config.maxSessions());
        }
        InetAddress from = client.info().remoteAddress() == null ? null : client.info().remoteAddress().getAddress();
        if (from != null) {
            AtomicInteger n = pending.computeIfAbsent(from, a -> new AtomicInteger());
            if (n.incrementAndGet() > config.maxPendingPerAddress()) {
                pendingDone(from);
                sessionCount.decrementAndGet();
                throw new IllegalStateException("too many unconnected WebRTC sessions from " + from.getHostAddress()
                        + " (limit " + config.maxPendingPerAddress() + ")");
            }
        }
        try {
            LiveStream stream = context.hub().stream(client.stream());
            if (client.isPublisher() && stream != null && stream.isPublishing()
                    && !client.clientId().equals(stream.publisherId())) {
                throw new io.livehub.hub.StreamBusyException(client.stream());
            }
            Track video = stream == null ? null : stream.videoTrack();
            Track audio = stream == null ? null : stream.audioTrack();
            H264ProfileLevelId profile = null;
            if (video != null && video.codec() == CodecId.H264 && video.hasConfig()) {
                try {
                    AvcDecoderConfigurationRecord r = AvcDecoderConfigurationRecord.parse(video.config());
                    profile = new H264ProfileLevelId(r.profileIndication(), r.profileCompatibility(),
                            r.levelIndication());
                } catch (RuntimeException e) {
                    profile = null;
                }
            }
            boolean opus = client.isPublisher() || audio == null || audio.codec() == CodecId.OPUS;
            if (client.isPublisher()) {
                profile = null;
            }
            String ufrag;
            do {
                ufrag = randomIceString(8);
            } while (byUfrag.containsKey(ufrag));
            String pwd = randomIceString(24);
            int videoSsrc = random.nextInt() | 1;
            int audioSsrc = random.nextInt() | 2;
            SdpAnswer answer = SdpAnswerer.answer(offer, new SdpAnswerer.Options(ufrag, pwd, certificate.sha256(),
                    candidates, videoSsrc, audioSsrc, "livehub", profile, opus, client.isPublisher()));
            String id = randomIceString(16);
            PeerSession p = new PeerSession(this, id, ufrag, pwd, answer, videoSsrc, audioSsrc, client,
                    client.executor());
            byUfrag.put(ufrag, p);
            byId.put(id, p);
            p.start();
            return p;
        } catch (RuntimeException e) {
            if (from != null) {
                pendingDone(from);
            }
            sessionCount.decrementAndGet();
            throw e;
        }
    }

    /** Counts a session from {@code address} as no longer pending (connected or closed). */
    void pendingDone(InetAddress address) {
        pending.computeIfPresent(address, (a, n) -> n.decrementAndGet() <= 0 ? null : n);
    }

    /** Returns the session with this resource id, or null. */
    PeerSession session(String id) {
        return byId.get(id);
    }

    void publishing(PeerSession p) {
        publishers.put(p.client().stream(), p);
    }

    /**
     * Asks the WHIP publisher of {@code key}, if there is one, for a keyframe: a WebRTC
     * viewer's PLI or FIR reaches the WebRTC source, which is within this module. Other
     * sources (RTMP, SRT) cannot be asked.
     *
     * @return whether a WHIP publisher was asked
     */
    boolean requestKeyframe(io.livehub.media.StreamKey key) {
        PeerSession p = publishers.get(key);
        if (p == null) {
            return false;
        }
        p.executor().execute(p::requestKeyframe);
        return true;
    }

    void bindAddress(InetSocketAddress address, PeerSession session) {
        byAddress.put(address, session);
    }

    void unregister(PeerSession p) {
        if (byId.remove(p.id(), p)) {
            sessionCount.decrementAndGet();
        }
        byUfrag.remove(p.localUfrag(), p);
        publishers.remove(p.client().stream(), p);
        for (InetSocketAddress a : p.addresses()) {
            byAddress.remove(a, p);
        }
    }

    /** Counts bad input from a session's peer and logs it, at most once a second. */
    void badInput(PeerSession p, String reason) {
        badInput.incrementAndGet();
        logRateLimited("bad input from WebRTC client {}: {}", p.client().info().clientId(), reason);
    }

    private void logRateLimited(String format, Object a, Object b) {
        long now = System.nanoTime();
        if (now - lastBadInputLogNanos > TimeUnit.SECONDS.toNanos(1)) {
            lastBadInputLogNanos = now;
            log.info(format + " ({} so far)", a, b, badInput.get());
        }
    }

    private String randomIceString(int n) {
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append(ICE_CHARS.charAt(random.nextInt(ICE_CHARS.length())));
        }
        return b.toString();
    }

    private List<InetSocketAddress> candidates(int port) throws java.io.IOException {
        List<InetSocketAddress> out = new ArrayList<>();
        if (!config.candidates().isEmpty()) {
            for (InetAddress a : config.candidates()) {
                out.add(new InetSocketAddress(a, port));
            }
            return out;
        }
        InetAddress bound = ((InetSocketAddress) channel.localAddress()).getAddress();
        if (!bound.isAnyLocalAddress()) {
            return List.of(new InetSocketAddress(bound, port));
        }
        boolean ipv4Only = config.host().indexOf(':') < 0;
        for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!ni.isUp()) {
                continue;
            }
            for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                if (a instanceof Inet6Address && (ipv4Only || a.isLinkLocalAddress())) {
                    continue;
                }
                if (a instanceof Inet4Address || a instanceof Inet6Address) {
                    out.add(new InetSocketAddress(InetAddress.getByAddress(a.getAddress()), port));
                }
            }
        }
        return out;
    }

    /** Demultiplexes the shared UDP socket (RFC 7983 section 7). */
    private final class Demultiplexer extends SimpleChannelInboundHandler<DatagramPacket> {

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            ByteBuf b = packet.content();
            InetSocketAddress from = packet.sender();
            if (!b.isReadable()) {
                return;
            }
            int first = b.getUnsignedByte(b.readerIndex());
            if (first <= 3) {
                stun(ctx, b, from);
                return;
            }
            PeerSession p = byAddress.get(from);
            if (p == null) {
                unknownPackets.incrementAndGet();
                return;
            }
            if (first >= 20 && first <= 63) {
                p.onDtls(b);
            } else if (first >= 128 && first <= 191 && b.readableBytes() >= 8 && RtpHeader.isRtcp(b)) {
                p.onRtcp(b);
            } else if (first >= 128 && first <= 191 && b.readableBytes() >= RtpHeader.LENGTH) {
                p.onRtp(b);
            } else {
                unknownPackets.incrementAndGet();
            }
        }

        private void stun(ChannelHandlerContext ctx, ByteBuf b, InetSocketAddress from) {
            StunMessage m;
            try {
                m = stunDecoder.decode(b);
            } catch (MalformedMediaException e) {
                badInput.incrementAndGet();
                logRateLimited("bad STUN from {}: {}", from, e.getMessage());
                return;
            }
            if (m.type() != StunMessage.BINDING_REQUEST) {
                return; // indications are keepalives; this ICE-lite side sends no requests
            }
            String username = m.username();
            int colon = username == null ? -1 : username.indexOf(':');
            PeerSession p = colon < 0 ? null : byUfrag.get(username.substring(0, colon));
            if (p == null || !username.substring(colon + 1).equals(p.remoteUfrag())) {
                unknownPackets.incrementAndGet();
                return;
            }
            if (!StunDecoder.checkIntegrity(m, p.localPwd())) {
                badInput(p, "STUN check from " + from + " failed MESSAGE-INTEGRITY");
                return;
            }
            if (!p.onBindingRequest(from, m.useCandidate())) {
                badInput(p, "STUN check from one address too many: " + from);
                return;
            }
            // RFC 8445 section 7.3.1.2 / RFC 8489 section 6.3: a success response with the
            // mapped address, signed with this side's password.
            StunMessage response = StunMessage.builder(StunMessage.BINDING_SUCCESS, m.transactionId())
                    .add(StunMessage.xorMappedAddress(from, m.transactionId()))
                    .build();
            ByteBuf out = StunEncoder.encode(response, p.localPwd(), true, ctx.alloc());
            p.client().addBytesOut(out.readableBytes());
            ctx.writeAndFlush(new DatagramPacket(out, from));
        }
    }
}
