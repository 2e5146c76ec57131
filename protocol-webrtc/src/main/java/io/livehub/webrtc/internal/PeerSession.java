package io.livehub.webrtc.internal;

import io.livehub.hub.Publication;
import io.livehub.hub.StreamBusyException;
import io.livehub.hub.Subscription;
import io.livehub.media.MalformedMediaException;
import io.livehub.webrtc.WebRtcConfig;
import io.livehub.webrtc.dtls.DatagramQueueTransport;
import io.livehub.webrtc.dtls.DtlsSrtpKeys;
import io.livehub.webrtc.dtls.DtlsSrtpServer;
import io.livehub.webrtc.rtp.RtcpListener;
import io.livehub.webrtc.rtp.RtcpParser;
import io.livehub.webrtc.sdp.SdpAnswer;
import io.livehub.webrtc.srtp.SrtpContext;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WHEP viewer: its ICE credentials and addresses, its DTLS handshake, its SRTP contexts,
 * and its hub subscription. Created when the answer is sent; connected when ICE and DTLS
 * are done; closed by DELETE, the management API, a timeout, or the server's stop.
 *
 * <p>Thread-safety: ICE and DTLS input arrive on the UDP channel's event loop and only touch
 * volatile or concurrent fields, or hop to {@link #executor()}, where the SRTP contexts, the
 * sender and the subscription live. The handshake runs on the server's handshake executor.
 */
final class PeerSession {

    private static final Logger log = LoggerFactory.getLogger(PeerSession.class);
    /** Authenticated addresses kept per session: one per candidate pair the browser checks. */
    private static final int MAX_ADDRESSES = 8;
    /**
     * Received RTP/RTCP datagrams waiting for the session's executor. About a second of a
     * 4 Mbit/s publisher; past it packets are dropped (and counted), so a peer sending faster
     * than the executor decrypts cannot grow the executor's task queue without bound.
     */
    private static final int MAX_QUEUED_PACKETS = 512;

    private final WebRtcServer server;
    private final WebRtcConfig config;
    private final String id;
    private final String localUfrag;
    private final byte[] localPwd;
    private final SdpAnswer answer;
    private final int videoSsrc;
    private final int audioSsrc;
    private final WebRtcClient client;
    private final EventExecutor executor;
    private final Channel channel;
    private final DatagramQueueTransport dtls;
    private final Set<InetSocketAddress> addresses = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean handshakeStarted = new AtomicBoolean();
    private final AtomicBoolean dtlsReceiveScheduled = new AtomicBoolean();
    private volatile DtlsSrtpServer tls;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean pending = new AtomicBoolean(true);
    private final java.util.concurrent.atomic.AtomicInteger queuedPackets = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong droppedPackets = new java.util.concurrent.atomic.AtomicLong();
    private volatile InetSocketAddress remote;
    private volatile boolean nominated;
    private volatile boolean connected;
    private volatile long lastCheckNanos = System.nanoTime();

    // Executor only.
    private SrtpContext receiveSrtp;
    private RtcpParser rtcpParser;
    private RtpSender sender;
    private Subscription subscription;
    private SrtpContext sendSrtp;
    private Publication publication;
    private RtpIngest ingest;
    private long lastKeyframeRequestNanos;
    private int remoteVideoSsrc;
    private long nackSent;
    private ScheduledFuture<?> setupTimer;
    private ScheduledFuture<?> consentTimer;
    private ScheduledFuture<?> reportTimer;
    private ScheduledFuture<?> keyframeTimer;

    PeerSession(WebRtcServer server, String id, String localUfrag, String localPwd, SdpAnswer answer, int videoSsrc,
                int audioSsrc, WebRtcClient client, EventExecutor executor) {
        this.server = server;
        this.config = server.config();
        this.id = id;
        this.localUfrag = localUfrag;
        this.localPwd = localPwd.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        this.answer = answer;
        this.videoSsrc = videoSsrc;
        this.audioSsrc = audioSsrc;
        this.client = client;
        this.executor = executor;
        this.channel = server.channel();
        this.dtls = new DatagramQueueTransport(config.dtlsQueueDatagrams(), config.mtu(), this::sendDtls);
    }

    String id() {
        return id;
    }

    String localUfrag() {
        return localUfrag;
    }

    byte[] localPwd() {
        return localPwd;
    }

    /** Executor: says once per session that the source has B-frames, which browsers show badly. */
    void warnBFrames() {
        log.warn("WebRTC client {}: {} has B-frames; browsers' WebRTC decoders do not reorder them and show"
                + " only keyframes. Encode it without B-frames (x264: -bf 0 or -tune zerolatency)",
                client.clientId(), client.stream().path());
    }

    /** Any thread: a viewer lost a picture; its source is asked for a keyframe when it can be. */
    boolean keyframeWanted() {
        return server.requestKeyframe(client.stream());
    }

    String answerSdp() {
        return answer.sdp();
    }

    String remoteUfrag() {
        return answer.remoteUfrag();
    }

    /** Returns the server's egress forms, in which the RTP packets of a frame are made once for every viewer. */
    io.livehub.media.EgressForms egressForms() {
        return server.context().hub().egressForms();
    }

    EventExecutor executor() {
        return executor;
    }

    String cname() {
        return "livehub";
    }

    WebRtcClient client() {
        return client;
    }

    boolean isConnected() {
        return connected;
    }

    /** Starts the deadline by which ICE and DTLS must be done. */
    void start() {
        executor.execute(() -> {
            if (closed.get()) {
                return;
            }
            setupTimer = executor.schedule(() -> {
                if (!connected) {
                    close("ICE and DTLS did not complete within " + config.handshakeTimeout().toMillis() + " ms");
                }
            }, config.handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS);
            long every = Math.max(1000, config.consentTimeout().toMillis() / 6);
            consentTimer = executor.scheduleAtFixedRate(() -> {
                if (System.nanoTime() - lastCheckNanos > config.consentTimeout().toNanos()) {
                    close("no ICE consent check for " + config.consentTimeout().toSeconds() + " s");
                }
            }, every, every, TimeUnit.MILLISECONDS);
        });
    }

    /**
     * UDP loop: an authenticated Binding request from {@code from} (RFC 8445 section 7.3).
     * The first one selects the address and starts DTLS; a nominating one (USE-CANDIDATE)
     * moves the selection to its address.
     *
     * @return false when the address was not taken (too many for this session)
     */
    boolean onBindingRequest(InetSocketAddress from, boolean useCandidate) {
        if (closed.get()) {
            return false;
        }
        lastCheckNanos = System.nanoTime();
        if (!addresses.contains(from)) {
            if (addresses.size() >= MAX_ADDRESSES) {
                return false;
            }
            addresses.add(from);
            server.bindAddress(from, this);
            if (closed.get()) {
                server.unregister(this); // closed meanwhile: take the new address out again
                return false;
            }
        }
        if (remote == null || (useCandidate && !nominated)) {
            remote = from;
            nominated |= useCandidate;
        }
        if (handshakeStarted.compareAndSet(false, true)) {
            startHandshake();
        }
        return true;
    }

    Set<InetSocketAddress> addresses() {
        return addresses;
    }

    /**
     * UDP loop: a DTLS record (RFC 7983 first byte 20-63). During the handshake the handshake
     * thread takes it from the queue; afterwards (a repeated final flight, an alert) a short
     * receive on the handshake executor processes it.
     */
    void onDtls(ByteBuf datagram) {
        if (closed.get()) {
            return;
        }
        byte[] b = new byte[datagram.readableBytes()];
        datagram.getBytes(datagram.readerIndex(), b);
        client.addBytesIn(b.length);
        dtls.offer(b);
        if (connected && dtlsReceiveScheduled.compareAndSet(false, true)) {
            try {
                server.handshakeExecutor().execute(() -> {
                    dtlsReceiveScheduled.set(false);
                    try {
                        tls.receive();
                    } catch (Exception e) {
                        close("DTLS failed: " + e.getMessage());
                    }
                });
            } catch (RejectedExecutionException e) {
                dtlsReceiveScheduled.set(false); // the record stays queued for the next one
            }
        }
    }

    /** UDP loop: an SRTCP packet from the viewer. */
    void onRtcp(ByteBuf datagram) {
        if (!connected || closed.get()) {
            return;
        }
        client.addBytesIn(datagram.readableBytes());
        if (!admit()) {
            return;
        }
        // Borrowed from the UDP loop: a retained view, not a copy, keeps it until the peer's loop read it.
        ByteBuf held = datagram.retainedDuplicate();
        try {
            executor.execute(() -> {
                try {
                    if (receiveSrtp == null || closed.get()) {
                        return;
                    }
                    ByteBuf rtcp = receiveSrtp.unprotectRtcp(held, channel.alloc());
                    if (rtcp != null) {
                        try {
                            rtcpParser.parse(rtcp, sender != null ? sender : publisherRtcp);
                        } finally {
                            rtcp.release();
                        }
                    }
                } catch (MalformedMediaException e) {
                    server.badInput(this, "RTCP: " + e.getMessage());
                } finally {
                    queuedPackets.decrementAndGet();
                    held.release();
                }
            });
        } catch (RejectedExecutionException e) {
            queuedPackets.decrementAndGet(); // the event loops are shutting down
            held.release();
        }
    }

    /** What a WHIP publisher's RTCP tells: its sender reports, and that it leaves. */
    private final RtcpListener publisherRtcp = new RtcpListener() {
        @Override
        public void onSenderReport(int ssrc, long ntp, long rtpTimestamp) {
            if (ingest != null) {
                ingest.onSenderReport(ssrc, ntp);
            }
        }

        @Override
        public void onBye(int ssrc) {
            close("RTCP BYE from the publisher");
        }
    };

    /** Executor: asks a WHIP publisher to resend video packets (generic NACK, RFC 4585 section 6.2.1). */
    private void sendNack(java.util.List<Integer> lost) {
        if (closed.get() || remoteVideoSsrc == 0) {
            return;
        }
        ByteBuf nack = channel.alloc().buffer(12 + 4 * lost.size());
        try {
            nack.writeByte(0x81).writeByte(205).writeShort(0).writeInt(videoSsrc).writeInt(remoteVideoSsrc);
            int i = 0;
            while (i < lost.size()) {
                int pid = lost.get(i++);
                int blp = 0;
                while (i < lost.size() && ((lost.get(i) - pid) & 0xFFFF) <= 16) {
                    blp |= 1 << (((lost.get(i) - pid) & 0xFFFF) - 1);
                    i++;
                }
                nack.writeShort(pid).writeShort(blp);
            }
            nack.setShort(2, nack.readableBytes() / 4 - 1);
            nackSent += lost.size();
            write(sendSrtp.protectRtcp(nack, channel.alloc()));
            flush();
        } finally {
            nack.release();
        }
    }

    /** Executor: sends a WHIP publisher a receiver report about what arrived. */
    private void sendReceiverReport() {
        if (closed.get() || ingest == null) {
            return;
        }
        ByteBuf rr = channel.alloc().buffer(8 + 2 * 24);
        try {
            if (ingest.writeReceiverReport(rr, videoSsrc)) {
                write(sendSrtp.protectRtcp(rr, channel.alloc()));
                flush();
            }
        } finally {
            rr.release();
        }
    }

    /** UDP loop: an SRTP packet from a WHIP publisher. */
    void onRtp(ByteBuf datagram) {
        if (!connected || closed.get() || !client.isPublisher()) {
            return;
        }
        client.addBytesIn(datagram.readableBytes());
        if (!admit()) {
            return;
        }
        // Borrowed from the UDP loop: a retained view, not a copy, keeps it until the peer's loop read it.
        ByteBuf held = datagram.retainedDuplicate();
        try {
            executor.execute(() -> {
                try {
                    if (ingest == null || closed.get()) {
                        return;
                    }
                    ByteBuf rtp = receiveSrtp.unprotectRtp(held, channel.alloc());
                    if (rtp != null) {
                        try {
                            if ((rtp.getUnsignedByte(rtp.readerIndex() + 1) & 0x7F) == answer.videoPayloadType()) {
                                remoteVideoSsrc = rtp.getInt(rtp.readerIndex() + 8);
                            }
                            ingest.onRtp(rtp);
                        } finally {
                            rtp.release();
                        }
                    }
                } catch (MalformedMediaException e) {
                    server.badInput(this, "RTP: " + e.getMessage());
                } finally {
                    queuedPackets.decrementAndGet();
                    held.release();
                }
            });
        } catch (RejectedExecutionException e) {
            queuedPackets.decrementAndGet(); // the event loops are shutting down
            held.release();
        }
    }

    /** UDP loop: takes a place among the packets queued for the executor, or counts a drop. */
    private boolean admit() {
        if (queuedPackets.incrementAndGet() > MAX_QUEUED_PACKETS) {
            queuedPackets.decrementAndGet();
            droppedPackets.incrementAndGet();
            return false;
        }
        return true;
    }

    /** Executor: asks the publisher for a keyframe with a PLI (RFC 4585 section 6.3.1), at most twice a second. */
    void requestKeyframe() {
        long now = System.nanoTime();
        if (closed.get() || remoteVideoSsrc == 0 || sendSrtp == null
                || now - lastKeyframeRequestNanos < 500_000_000L) {
            return;
        }
        lastKeyframeRequestNanos = now;
        ByteBuf pli = channel.alloc().buffer(12);
        try {
            pli.writeByte(0x81).writeByte(206).writeShort(2).writeInt(videoSsrc).writeInt(remoteVideoSsrc);
            write(sendSrtp.protectRtcp(pli, channel.alloc()));
            flush();
        } finally {
            pli.release();
        }
    }

    private void startHandshake() {
        DtlsSrtpServer tls = new DtlsSrtpServer(server.certificate(), answer.remoteFingerprintAlgorithm(),
                answer.remoteFingerprint(), (int) config.handshakeTimeout().toMillis(),
                config.maxHandshakeMessageBytes(), alert -> close("DTLS " + alert + " from the viewer"));
        this.tls = tls;
        try {
            server.handshakeExecutor().execute(() -> {
                try {
                    DtlsSrtpKeys keys = tls.handshake(dtls);
                    executor.execute(() -> connected(keys));
                } catch (Exception e) {
                    if (!closed.get()) {
                        close("DTLS handshake failed: " + e.getMessage());
                    }
                }
            });
        } catch (RejectedExecutionException e) {
            close("too many DTLS handshakes waiting (handshakeQueue " + config.handshakeQueue() + ")");
        }
    }

    private void connected(DtlsSrtpKeys keys) {
        if (closed.get()) {
            return;
        }
        SrtpContext send = new SrtpContext(keys.profile(), keys.localKey(), keys.localSalt(), 4);
        sendSrtp = send;
        receiveSrtp = new SrtpContext(keys.profile(), keys.remoteKey(), keys.remoteSalt(), 8);
        rtcpParser = new RtcpParser(config.maxNackSequences());
        if (client.isPublisher()) {
            publication = client.publication(); // claimed when the offer was allowed
            ingest = new RtpIngest(publication, answer.videoPayloadType(), answer.audioPayloadType(),
                    config.maxAccessUnitBytes(), config.publisherReorderDelay().toNanos(), this::requestKeyframe,
                    this::sendNack);
            long every = config.publisherKeyframeInterval().toMillis();
            keyframeTimer = executor.scheduleAtFixedRate(this::requestKeyframe, every, every, TimeUnit.MILLISECONDS);
            long reports = config.rtcpInterval().toMillis();
            reportTimer = executor.scheduleAtFixedRate(this::sendReceiverReport, reports, reports,
                    TimeUnit.MILLISECONDS);
            connected = true;
            notPending();
            if (setupTimer != null) {
                setupTimer.cancel(false);
            }
            client.register(() -> close("kicked"));
            server.publishing(this);
            log.info("WebRTC client {} from {} publishing {} (ICE and DTLS done, {}, video pt {}, audio pt {})",
                    client.clientId(), remote, client.stream().path(), keys.profile(),
                    answer.videoPayloadType(), answer.audioPayloadType());
            return;
        }
        sender = new RtpSender(this, send, channel.alloc(), config.mtu(), answer.videoPayloadType(), videoSsrc,
                answer.audioPayloadType(), audioSsrc, config.nackBufferPackets());
        connected = true;
        notPending();
        if (setupTimer != null) {
            setupTimer.cancel(false);
        }
        long every = config.rtcpInterval().toMillis();
        reportTimer = executor.scheduleAtFixedRate(sender::sendReports, every, every, TimeUnit.MILLISECONDS);
        subscription = server.context().hub().subscribe(client.stream(), sender);
        server.requestKeyframe(client.stream()); // a WHIP source: a fresh keyframe for the new viewer
        client.register(() -> close("kicked"));
        log.info("WebRTC client {} from {} playing {} (ICE and DTLS done, {}, video pt {}, audio pt {})",
                client.clientId(), remote, client.stream().path(), keys.profile(), answer.videoPayloadType(),
                answer.audioPayloadType());
    }

    /** Any thread: sends a DTLS record to the selected address. */
    private void sendDtls(byte[] record) {
        InetSocketAddress to = remote;
        if (to != null && channel.isActive()) {
            client.addBytesOut(record.length);
            channel.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(record), to));
        }
    }

    /** Executor: queues a datagram to the selected address. Takes {@code packet}'s reference. */
    void write(ByteBuf packet) {
        InetSocketAddress to = remote;
        if (to == null || closed.get()) {
            packet.release();
            return;
        }
        client.addBytesOut(packet.readableBytes());
        channel.write(new DatagramPacket(packet, to), channel.voidPromise());
    }

    void flush() {
        channel.flush();
    }

    /** Ends the session's count against its address's limit of unconnected sessions, once. */
    private void notPending() {
        InetSocketAddress http = client.info().remoteAddress();
        if (pending.compareAndSet(true, false) && http != null) {
            server.pendingDone(http.getAddress());
        }
    }

    /** Any thread: ends the session once; events and cleanup run on the executor. */
    void close(String reason) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        dtls.close();
        notPending();
        server.unregister(this);
        Runnable cleanup = () -> {
            if (setupTimer != null) {
                setupTimer.cancel(false);
            }
            if (consentTimer != null) {
                consentTimer.cancel(false);
            }
            if (reportTimer != null) {
                reportTimer.cancel(false);
            }
            if (keyframeTimer != null) {
                keyframeTimer.cancel(false);
            }
            if (subscription != null) {
                subscription.close();
            }
            if (publication != null) {
                publication.close();
            }
            if (sender != null) {
                sender.release();
            }
            client.closed();
            if (ingest != null) {
                log.info("WebRTC client {} from {} closed: {} ({} frames in, {} dropped, {} packets NACKed, {} lost,"
                        + " {} dropped while the executor was behind, {} bytes in)", client.clientId(), remote,
                        reason, ingest.framesIn(), ingest.droppedFrames(), nackSent, ingest.lostPackets(),
                        droppedPackets.get(), client.bytesIn());
            } else {
                log.info("WebRTC client {} from {} closed: {} ({} packets sent, {} retransmitted, {} bytes out)",
                        client.clientId(), remote, reason, sender == null ? 0 : sender.packetsSent(),
                        sender == null ? 0 : sender.retransmitted(), client.bytesOut());
            }
        };
        if (executor.inEventLoop()) {
            cleanup.run();
        } else {
            try {
                executor.execute(cleanup);
            } catch (RejectedExecutionException e) {
                cleanup.run(); // the event loops are shutting down
            }
        }
    }
}
