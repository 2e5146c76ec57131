package io.livehub.srt.internal;

import io.livehub.media.MalformedMediaException;
import io.livehub.srt.SrtAcceptDecision;
import io.livehub.srt.SrtAcceptor;
import io.livehub.srt.SrtConfig;
import io.livehub.srt.SrtConnection;
import io.livehub.srt.SrtConnectionHandler;
import io.livehub.srt.SrtConnectionRequest;
import io.livehub.srt.SrtRejectedException;
import io.livehub.srt.handshake.SrtHandshake;
import io.livehub.srt.handshake.SrtHandshakeExtension;
import io.livehub.srt.handshake.SrtHandshakeType;
import io.livehub.srt.handshake.SrtHsFlags;
import io.livehub.srt.handshake.SrtHsMessage;
import io.livehub.srt.handshake.SrtKeyMaterial;
import io.livehub.srt.handshake.SrtRejectReason;
import io.livehub.srt.handshake.SrtStreamIdExtension;
import io.livehub.srt.packet.SrtPacket;
import io.livehub.srt.packet.SrtPacketDecoder;
import io.livehub.srt.packet.SrtPacketEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs every SRT connection of one UDP socket (draft-sharabayko-srt section 4): decodes
 * datagrams, demultiplexes them by destination socket id, answers the listener side of the
 * caller-listener handshake (induction with a SYN cookie, conclusion with HSRSP, rejections
 * with reject reasons, section 4.3.1), drives the caller side of it, and ticks every
 * connection's timers every 10 ms.
 *
 * <p>A packet addressed to an established connection is accepted only from that
 * connection's peer address, so packets from unknown peers cannot disturb it; malformed
 * datagrams, unknown socket ids and foreign peers are dropped and counted.
 *
 * <p>Thread-safety: confined to the channel's event loop, except the counters and
 * {@link #connect}, which hand over to it.
 */
public final class SrtEndpoint extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(SrtEndpoint.class);
    private static final long RESEND_NANOS = 250_000_000L;

    private final SrtConfig config;
    private final SrtAcceptor acceptor;
    private final SrtPacketDecoder decoder;
    private final SrtSynCookies cookies = new SrtSynCookies();
    private final Map<Integer, SrtSocket> sockets = new HashMap<>();
    private final Map<PeerKey, Object> byPeer = new HashMap<>();
    private final Map<Integer, CallerHandshake> connecting = new HashMap<>();
    private final long startNanos = System.nanoTime();
    private final int listenerId = newId();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong unknownSocket = new AtomicLong();
    private final AtomicLong foreignPeer = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong keySwitches = new AtomicLong();
    private final AtomicLong keysReceived = new AtomicLong();
    private volatile int connectionCount;
    private java.util.function.IntSupplier listenerConnections = () -> connectionCount;
    private Channel channel;
    private EventLoop loop;
    private ScheduledFuture<?> ticker;
    private boolean needsFlush;

    /**
     * @param acceptor decides about callers; null for an endpoint that only calls out
     */
    public SrtEndpoint(SrtConfig config, SrtAcceptor acceptor) {
        this.config = Objects.requireNonNull(config, "config");
        this.acceptor = acceptor;
        this.decoder = new SrtPacketDecoder(config.maxPacketSize());
    }

    EventLoop eventLoop() {
        return loop;
    }

    ByteBufAllocator alloc() {
        return channel.alloc();
    }

    /** Returns how many datagrams were dropped as malformed. */
    public long malformedDatagrams() {
        return malformed.get();
    }

    /** Returns how many packets named a socket id that does not exist here. */
    public long unknownSocketPackets() {
        return unknownSocket.get();
    }

    /** Returns how many packets for an established connection came from another address. */
    public long foreignPeerPackets() {
        return foreignPeer.get();
    }

    /** Returns how many conclusion handshakes were rejected. */
    public long rejectedHandshakes() {
        return rejected.get();
    }

    /**
     * Counts the connection limit against {@code total} (the connections of every socket of a
     * listener bound with SO_REUSEPORT) instead of this endpoint's own connections.
     */
    public void listenerConnections(java.util.function.IntSupplier total) {
        this.listenerConnections = Objects.requireNonNull(total, "total");
    }

    /** Returns how many times connections of this endpoint switched their sending key (key refresh). */
    public long keySwitches() {
        return keySwitches.get();
    }

    /** Returns how many in-stream KMREQs with new keys from peers were installed. */
    public long keysReceived() {
        return keysReceived.get();
    }

    void keyReceived() {
        keysReceived.incrementAndGet();
    }

    /** Returns the number of established connections. */
    public int connectionCount() {
        return connectionCount;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        loop = ctx.channel().eventLoop();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        ticker = loop.scheduleAtFixedRate(this::tick, SrtSocket.SYN_NANOS, SrtSocket.SYN_NANOS, TimeUnit.NANOSECONDS);
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (ticker != null) {
            ticker.cancel(false);
        }
        for (SrtSocket s : new ArrayList<>(sockets.values())) {
            s.close("endpoint closed", false);
        }
        for (CallerHandshake c : new ArrayList<>(connecting.values())) {
            c.fail(new SrtRejectedException(SrtRejectReason.CLOSE.code(), "endpoint closed"));
        }
        byPeer.clear();
        super.channelInactive(ctx);
    }

    /** Sends a shutdown on every connection; call before closing the channel. */
    public void shutdownAll() {
        for (SrtSocket s : new ArrayList<>(sockets.values())) {
            s.close("server stopping", true);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof DatagramPacket)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        DatagramPacket dp = (DatagramPacket) msg;
        try {
            ByteBuf in = dp.content();
            int bytes = in.readableBytes();
            SrtPacket p;
            try {
                p = decoder.decode(in);
            } catch (MalformedMediaException e) {
                malformed.incrementAndGet();
                log.debug("dropping SRT datagram from {}: {}", dp.sender(), e.getMessage());
                return;
            }
            dispatch(p, dp.sender(), bytes);
        } finally {
            dp.release();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        flush();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // ICMP port unreachable and the like: UDP goes on.
        log.debug("SRT socket error: {}", cause.toString());
    }

    private void dispatch(SrtPacket p, InetSocketAddress sender, int bytes) {
        long now = System.nanoTime();
        int dst = p.destinationSocketId();
        if (dst == 0) {
            if (p instanceof SrtHandshake && acceptor != null) {
                try {
                    onConnectionRequest((SrtHandshake) p, sender, now);
                } catch (MalformedMediaException e) {
                    malformed.incrementAndGet();
                    log.debug("dropping SRT handshake from {}: {}", sender, e.getMessage());
                }
            } else {
                unknownSocket.incrementAndGet();
                ReferenceCountUtil.release(p);
            }
            return;
        }
        SrtSocket s = sockets.get(dst);
        if (s != null) {
            if (!s.remoteAddress().equals(sender)) {
                foreignPeer.incrementAndGet();
                ReferenceCountUtil.release(p);
                return;
            }
            s.onPacket(p, bytes, now);
            return;
        }
        CallerHandshake c = connecting.get(dst);
        if (c != null && p instanceof SrtHandshake && c.remote.equals(sender)) {
            try {
                c.onResponse((SrtHandshake) p, now);
            } catch (MalformedMediaException e) {
                malformed.incrementAndGet();
                c.fail(new SrtRejectedException(SrtRejectReason.ROGUE.code(), e.getMessage()));
            }
            return;
        }
        unknownSocket.incrementAndGet();
        ReferenceCountUtil.release(p);
    }

    // ---- listener side: draft-sharabayko-srt section 4.3.1 ----

    private void onConnectionRequest(SrtHandshake hs, InetSocketAddress sender, long now) {
        long wallMillis = System.currentTimeMillis();
        if (hs.type() == SrtHandshakeType.INDUCTION) {
            // The advertised key length: libsrt callers without a pbkeylen of their own adopt it.
            int enc = config.encrypted() ? config.keyLength() / 8 : 0;
            SrtHandshake answer = new SrtHandshake(5, enc, SrtHsFlags.SRT_MAGIC, hs.initialSequence(),
                    Math.min(hs.mtu() <= 0 ? config.mtu() : hs.mtu(), config.mtu()), config.flowWindow(),
                    SrtHandshakeType.INDUCTION, listenerId, cookies.cookie(sender, wallMillis),
                    sender.getAddress(), List.of(), timestamp(now), hs.socketId());
            write(answer, sender);
            return;
        }
        if (hs.type() != SrtHandshakeType.CONCLUSION) {
            unknownSocket.incrementAndGet();
            return;
        }
        if (!cookies.verify(sender, hs.synCookie(), wallMillis)) {
            log.debug("SRT conclusion from {} with a wrong SYN cookie; dropped", sender);
            malformed.incrementAndGet();
            return;
        }
        PeerKey key = new PeerKey(sender, hs.socketId());
        Object known = byPeer.get(key);
        if (known instanceof SrtSocket) {
            SrtSocket known1 = (SrtSocket) known;
            SrtHandshake r = known1.conclusionResponse();
            if (r != null) {
                write(restamped(r, known1.timestampNow(now)), sender);
            }
            return;
        }
        if (known instanceof PendingAccept) {
            PendingAccept pa = (PendingAccept) known;
            if (pa.rejection != null) {
                write(pa.rejection, sender);
            }
            return;
        }
        if (hs.version() != 5) {
            reject(hs, sender, now, SrtRejectReason.VERSION.code(), "handshake version " + hs.version());
            return;
        }
        SrtHandshakeExtension req = hs.extension(SrtHandshakeExtension.HSREQ);
        if (req == null) {
            reject(hs, sender, now, SrtRejectReason.VERSION.code(), "no HSREQ extension");
            return;
        }
        SrtHsMessage peerMsg = SrtHsMessage.from(req);
        String sid = hs.streamId();
        SrtConnectionRequest request = new SrtConnectionRequest(sender, hs.socketId(), sid == null ? "" : sid,
                loop);
        String passphrase;
        try {
            String forStream = acceptor.passphrase(request);
            passphrase = forStream != null && !forStream.isEmpty() ? forStream : config.passphrase();
        } catch (RuntimeException e) {
            log.warn("SRT acceptor failed to name the passphrase of stream id '{}'", sid, e);
            rejectAndRemember(key, hs, sender, now, SrtRejectReason.SYSTEM.code(), "no passphrase decision");
            return;
        }
        SrtHandshakeExtension kmreq = hs.extension(SrtHandshakeExtension.KMREQ);
        SrtCryptoControl.Keys keys = null;
        if (passphrase != null) {
            if (kmreq == null) {
                rejectAndRemember(key, hs, sender, now, SrtRejectReason.UNSECURE.code(),
                        "the caller has no passphrase and this listener requires one");
                return;
            }
            try {
                keys = SrtCryptoControl.unwrap(passphrase, kmreq.content());
            } catch (SrtCryptoControl.KeyMaterialException e) {
                rejectAndRemember(key, hs, sender, now, e.rejectCode, e.getMessage());
                return;
            }
        } else if (kmreq != null) {
            rejectAndRemember(key, hs, sender, now, SrtRejectReason.UNSECURE.code(),
                    "the caller offers encryption (a passphrase) and this listener has none");
            return;
        }
        if (listenerConnections.getAsInt() + pendingCount() >= config.maxConnections()) {
            reject(hs, sender, now, SrtRejectReason.RESOURCE.code(),
                    "connection limit " + config.maxConnections() + " reached");
            return;
        }
        PendingAccept pa = new PendingAccept(hs, sender, now, peerMsg);
        pa.keys = keys;
        byPeer.put(key, pa);
        acceptor.accept(request).whenComplete((d, t) -> loop.execute(() -> {
            if (byPeer.get(key) != pa || !channel.isActive()) {
                if (d != null && d.accepted()) {
                    d.handler().onAbandoned();
                }
                return;
            }
            SrtAcceptDecision decision = t != null
                    ? SrtAcceptDecision.reject(SrtRejectReason.SYSTEM, String.valueOf(t))
                    : d == null ? SrtAcceptDecision.reject(SrtRejectReason.SYSTEM, "no decision") : d;
            finishAccept(pa, key, decision);
            flush();
        }));
    }

    private int pendingCount() {
        int n = 0;
        for (Object o : byPeer.values()) {
            if (o instanceof PendingAccept && ((PendingAccept) o).rejection == null) {
                n++;
            }
        }
        return n;
    }

    private void finishAccept(PendingAccept pa, PeerKey key, SrtAcceptDecision d) {
        long now = System.nanoTime();
        SrtHandshake hs = pa.request;
        if (!d.accepted()) {
            pa.rejection = reject(hs, pa.sender, now, d.rejectCode(), d.reason());
            return;
        }
        int localId = newId();
        int latency = (int) config.latency().toMillis();
        int rcvLatency = Math.max(latency, pa.peerMsg.has(SrtHsFlags.TSBPDSND) ? pa.peerMsg.senderDelayMs() : 0);
        int sndLatency = Math.max(latency, pa.peerMsg.has(SrtHsFlags.TSBPDRCV) ? pa.peerMsg.receiverDelayMs() : 0);
        SrtSocket s = new SrtSocket(this, config, localId, hs.socketId(), pa.sender, hs.streamId(), rcvLatency,
                sndLatency, now, hs.timestamp(), pa.arrivedAt, hs.initialSequence(), hs.initialSequence(),
                hs.flowWindow(), d.handler());
        s.tooLateDrop(pa.peerMsg.has(SrtHsFlags.TLPKTDROP));
        SrtHsMessage rsp = new SrtHsMessage(SrtHsMessage.VERSION_1_5_0, ourFlags(), rcvLatency, sndLatency);
        List<SrtHandshakeExtension> exts = new ArrayList<>(2);
        exts.add(rsp.toExtension(SrtHandshakeExtension.HSRSP));
        int extField = SrtHsFlags.EXT_HSREQ;
        int enc = 0;
        if (pa.keys != null) {
            // The KMRSP confirms by echoing the caller's KM message byte for byte.
            exts.add(new SrtHandshakeExtension(SrtHandshakeExtension.KMRSP, pa.keys.message()));
            extField |= SrtHsFlags.EXT_KMREQ;
            enc = pa.keys.keyLength() / 8;
            s.crypto(new SrtCryptoControl(config, pa.keys, keySwitches));
        }
        SrtHandshake answer = new SrtHandshake(5, enc, extField, hs.initialSequence(),
                Math.min(hs.mtu(), config.mtu()), config.flowWindow(), SrtHandshakeType.CONCLUSION, localId,
                hs.synCookie(), pa.sender.getAddress(), exts, s.timestampNow(now), hs.socketId());
        s.conclusionResponse(answer);
        sockets.put(localId, s);
        byPeer.put(key, s);
        connectionCount = sockets.size();
        write(answer, pa.sender);
        log.debug("SRT connection {} accepted from {} (latency rcv {} ms, snd {} ms, sid '{}', {})",
                Integer.toHexString(localId), pa.sender, rcvLatency, sndLatency, s.streamId(),
                pa.keys == null ? "clear" : "AES-" + pa.keys.keyLength() * 8);
        connected(s, d.handler());
    }

    private SrtHandshake reject(SrtHandshake hs, InetSocketAddress sender, long now, int code, String reason) {
        rejected.incrementAndGet();
        log.info("rejecting SRT caller {}: {} ({})", sender, SrtRejectReason.describe(code), reason);
        SrtHandshake answer = new SrtHandshake(5, 0, 0, hs.initialSequence(), hs.mtu(), hs.flowWindow(),
                SrtHandshakeType.rejection(code), 0, hs.synCookie(), sender.getAddress(), List.of(), timestamp(now),
                hs.socketId());
        write(answer, sender);
        return answer;
    }

    /**
     * Rejects and remembers the answer for a while, so that the caller's repeated conclusions
     * get the same answer without another key derivation or log line.
     */
    private void rejectAndRemember(PeerKey key, SrtHandshake hs, InetSocketAddress sender, long now, int code,
                                   String reason) {
        PendingAccept pa = new PendingAccept(hs, sender, now, null);
        pa.rejection = reject(hs, sender, now, code, reason);
        byPeer.put(key, pa);
    }

    private static int ourFlags() {
        return SrtHsFlags.TSBPDSND | SrtHsFlags.TSBPDRCV | SrtHsFlags.TLPKTDROP | SrtHsFlags.PERIODICNAK
                | SrtHsFlags.REXMITFLG;
    }

    private void connected(SrtSocket s, SrtConnectionHandler handler) {
        try {
            handler.onConnected(s);
        } catch (Throwable t) {
            log.warn("SRT connection handler failed on connect", t);
        }
    }

    // ---- caller side: draft-sharabayko-srt section 4.3.1 ----

    /**
     * Starts a caller handshake to {@code remote} and completes {@code promise} with the
     * connection, or fails it with {@link SrtRejectedException} on rejection or time-out.
     * May be called from any thread.
     */
    public void connect(InetSocketAddress remote, String streamId, SrtConnectionHandler handler,
                        Promise<SrtConnection> promise) {
        if (!loop.inEventLoop()) {
            loop.execute(() -> connect(remote, streamId, handler, promise));
            return;
        }
        int id = newId();
        CallerHandshake c = new CallerHandshake(id, remote, streamId, handler, promise, System.nanoTime());
        connecting.put(id, c);
        c.sendInduction(System.nanoTime());
        flush();
    }

    private final class CallerHandshake {
        final int localId;
        final InetSocketAddress remote;
        final String streamId;
        final SrtConnectionHandler handler;
        final Promise<SrtConnection> promise;
        final long startedAt;
        final int isn = ThreadLocalRandom.current().nextInt(0, 0x4000_0000);
        SrtHandshake conclusion;
        SrtCryptoControl.Keys keys;
        long lastSentAt;

        CallerHandshake(int localId, InetSocketAddress remote, String streamId, SrtConnectionHandler handler,
                        Promise<SrtConnection> promise, long startedAt) {
            this.localId = localId;
            this.remote = remote;
            this.streamId = streamId;
            this.handler = handler;
            this.promise = promise;
            this.startedAt = startedAt;
        }

        int ts(long now) {
            return (int) ((now - startedAt) / 1000);
        }

        void sendInduction(long now) {
            write(new SrtHandshake(4, 0, SrtHsFlags.UDT_DGRAM, isn, config.mtu(), config.flowWindow(),
                    SrtHandshakeType.INDUCTION, localId, 0, remote.getAddress(), List.of(), ts(now), 0), remote);
            lastSentAt = now;
        }

        void tick(long now) {
            if (now - startedAt > config.handshakeTimeout().toNanos()) {
                fail(new SrtRejectedException(SrtRejectReason.TIMEOUT.code(),
                        "no answer from " + remote + " in " + config.handshakeTimeout().toMillis() + " ms"));
                return;
            }
            if (now - lastSentAt >= RESEND_NANOS) {
                if (conclusion == null) {
                    sendInduction(now);
                } else {
                    write(restamped(conclusion, ts(now)), remote);
                    lastSentAt = now;
                }
            }
        }

        void onResponse(SrtHandshake hs, long now) {
            if (SrtHandshakeType.isRejection(hs.type())) {
                int code = SrtHandshakeType.reasonCode(hs.type());
                String why = code == SrtRejectReason.BADSECRET.code() ? "wrong passphrase, "
                        : code == SrtRejectReason.UNSECURE.code()
                        ? (config.encrypted() ? "peer has no passphrase, " : "peer requires a passphrase, ") : "";
                fail(new SrtRejectedException(code, "rejected by " + remote + ": " + why
                        + SrtRejectReason.describe(code)));
                return;
            }
            if (hs.type() == SrtHandshakeType.INDUCTION && conclusion == null) {
                if (hs.version() != 5 || hs.extensionField() != SrtHsFlags.SRT_MAGIC) {
                    fail(new SrtRejectedException(SrtRejectReason.VERSION.code(),
                            "peer " + remote + " does not speak HSv5"));
                    return;
                }
                int latency = (int) config.latency().toMillis();
                List<SrtHandshakeExtension> exts = new ArrayList<>(2);
                exts.add(new SrtHsMessage(SrtHsMessage.VERSION_1_5_0, ourFlags(), latency, latency)
                        .toExtension(SrtHandshakeExtension.HSREQ));
                int extField = SrtHsFlags.EXT_HSREQ;
                int enc = 0;
                if (config.encrypted()) {
                    // HSv5: the caller makes the first key, for both directions.
                    keys = SrtCryptoControl.generate(config.passphrase(), config.keyLength());
                    exts.add(new SrtHandshakeExtension(SrtHandshakeExtension.KMREQ, keys.message()));
                    extField |= SrtHsFlags.EXT_KMREQ;
                    enc = keys.keyLength() / 8;
                }
                if (streamId != null && !streamId.isEmpty()) {
                    exts.add(SrtStreamIdExtension.encode(streamId));
                    extField |= SrtHsFlags.EXT_CONFIG;
                }
                conclusion = new SrtHandshake(5, enc, extField, isn, config.mtu(), config.flowWindow(),
                        SrtHandshakeType.CONCLUSION, localId, hs.synCookie(), remote.getAddress(), exts, ts(now), 0);
                write(conclusion, remote);
                lastSentAt = now;
                return;
            }
            if (hs.type() != SrtHandshakeType.CONCLUSION || conclusion == null) {
                return;
            }
            SrtHandshakeExtension rspExt = hs.extension(SrtHandshakeExtension.HSRSP);
            if (rspExt == null) {
                fail(new SrtRejectedException(SrtRejectReason.VERSION.code(), "conclusion without HSRSP"));
                return;
            }
            if (!keyMaterialConfirmed(hs.extension(SrtHandshakeExtension.KMRSP))) {
                return;
            }
            SrtHsMessage rsp = SrtHsMessage.from(rspExt);
            int latency = (int) config.latency().toMillis();
            int rcvLatency = rsp.has(SrtHsFlags.TSBPDSND) ? Math.max(latency, rsp.senderDelayMs()) : latency;
            int sndLatency = rsp.has(SrtHsFlags.TSBPDRCV) ? Math.max(latency, rsp.receiverDelayMs()) : latency;
            connecting.remove(localId);
            SrtSocket s = new SrtSocket(SrtEndpoint.this, config, localId, hs.socketId(), remote, streamId,
                    rcvLatency, sndLatency, startedAt, hs.timestamp(), now, hs.initialSequence(), isn,
                    hs.flowWindow(), handler);
            s.tooLateDrop(rsp.has(SrtHsFlags.TLPKTDROP));
            if (keys != null) {
                s.crypto(new SrtCryptoControl(config, keys, keySwitches));
            }
            sockets.put(localId, s);
            connectionCount = sockets.size();
            log.debug("SRT caller {} connected to {} (latency rcv {} ms, snd {} ms)", Integer.toHexString(localId),
                    remote, rcvLatency, sndLatency);
            if (promise.trySuccess(s)) {
                connected(s, handler);
            } else {
                s.close("connect cancelled", true);
            }
        }

        /** Checks the listener's KMRSP against the KMREQ sent; fails the connect when it does not confirm. */
        private boolean keyMaterialConfirmed(SrtHandshakeExtension kmrsp) {
            if (keys == null) {
                if (kmrsp != null) {
                    fail(new SrtRejectedException(SrtRejectReason.UNSECURE.code(), "peer requires a passphrase: "
                            + remote + " answered with key material"));
                    return false;
                }
                return true;
            }
            if (kmrsp == null) {
                fail(new SrtRejectedException(SrtRejectReason.UNSECURE.code(), "peer has no passphrase: "
                        + remote + " did not answer the key material"));
                return false;
            }
            int state = SrtKeyMaterial.errorState(kmrsp);
            if (state == SrtKeyMaterial.STATE_BADSECRET
                    || (state < 0 && !Arrays.equals(kmrsp.content(), keys.message()))) {
                fail(new SrtRejectedException(SrtRejectReason.BADSECRET.code(), "wrong passphrase: peer " + remote
                        + " could not unwrap the keys"));
                return false;
            }
            if (state >= 0) {
                fail(new SrtRejectedException(SrtRejectReason.UNSECURE.code(), "peer has no passphrase: "
                        + remote + " refused the key material (KM state " + state + ")"));
                return false;
            }
            return true;
        }

        void fail(Exception e) {
            connecting.remove(localId);
            promise.tryFailure(e);
        }
    }

    // ---- shared ----

    private void tick() {
        long now = System.nanoTime();
        for (SrtSocket s : sockets.values().toArray(new SrtSocket[0])) {
            try {
                s.tick(now);
            } catch (Throwable t) {
                log.warn("SRT connection {} failed; closing", s, t);
                s.close("internal error: " + t, true);
            }
        }
        if (!connecting.isEmpty()) {
            for (CallerHandshake c : connecting.values().toArray(new CallerHandshake[0])) {
                c.tick(now);
            }
        }
        if (!byPeer.isEmpty()) {
            long limit = config.handshakeTimeout().toNanos() * 2;
            byPeer.values().removeIf(o -> o instanceof PendingAccept && now - ((PendingAccept) o).arrivedAt > limit);
        }
        flush();
    }

    int write(SrtPacket p, InetSocketAddress to) {
        ByteBuf b = SrtPacketEncoder.encode(p, channel.alloc());
        int n = b.readableBytes();
        channel.write(new DatagramPacket(b, to), channel.voidPromise());
        needsFlush = true;
        return n;
    }

    void flush() {
        if (needsFlush) {
            needsFlush = false;
            channel.flush();
        }
    }

    void remove(SrtSocket s) {
        if (sockets.remove(s.socketId(), s)) {
            byPeer.remove(new PeerKey(s.remoteAddress(), s.peerSocketId()), s);
            connectionCount = sockets.size();
        }
    }

    /**
     * Returns {@code h} with the header timestamp {@code ts}. A repeated handshake must carry
     * the time it is sent at: the peer takes its TSBPD time base from the timestamp of the
     * conclusion it accepts (or of the response it gets), and a stale one would make every
     * packet look older by the resend delay, so that it is dropped as too late.
     */
    private static SrtHandshake restamped(SrtHandshake h, int ts) {
        return new SrtHandshake(h.version(), h.encryptionField(), h.extensionField(), h.initialSequence(), h.mtu(),
                h.flowWindow(), h.type(), h.socketId(), h.synCookie(), h.peerAddress(), h.extensions(), ts,
                h.destinationSocketId());
    }

    private int timestamp(long now) {
        return (int) ((now - startNanos) / 1000);
    }

    private int newId() {
        while (true) {
            int id = ThreadLocalRandom.current().nextInt(1, 0x4000_0000);
            if (!sockets.containsKey(id) && !connecting.containsKey(id)) {
                return id;
            }
        }
    }

    private record PeerKey(InetSocketAddress address, int socketId) {
    }

    private static final class PendingAccept {
        final SrtHandshake request;
        final InetSocketAddress sender;
        final long arrivedAt;
        final SrtHsMessage peerMsg;
        SrtHandshake rejection;
        SrtCryptoControl.Keys keys;

        PendingAccept(SrtHandshake request, InetSocketAddress sender, long arrivedAt, SrtHsMessage peerMsg) {
            this.request = request;
            this.sender = sender;
            this.arrivedAt = arrivedAt;
            this.peerMsg = peerMsg;
        }
    }
}
