package io.livehub.srt.internal;

import io.livehub.srt.SrtConfig;
import io.livehub.srt.SrtConnection;
import io.livehub.srt.SrtConnectionHandler;
import io.livehub.srt.SrtConnectionStats;
import io.livehub.srt.handshake.SrtHandshake;
import io.livehub.srt.packet.SrtAck;
import io.livehub.srt.packet.SrtAckAck;
import io.livehub.srt.packet.SrtDataPacket;
import io.livehub.srt.packet.SrtDropRequest;
import io.livehub.srt.packet.SrtKeepalive;
import io.livehub.srt.packet.SrtKeyMaterialControl;
import io.livehub.srt.packet.SrtLossList;
import io.livehub.srt.packet.SrtNak;
import io.livehub.srt.packet.SrtPacket;
import io.livehub.srt.packet.SrtShutdown;
import io.livehub.srt.packet.SrtSequence;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.DefaultPromise;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One established SRT connection in live mode (draft-sharabayko-srt section 4): the
 * receiver (TSBPD delivery, ACK every 10 ms, NAK on gaps and periodically, too-late drop)
 * and the sender (send buffer, retransmission on NAK, ACKACK, sender-side drop, pacing with
 * {@link SrtPacer})
 * on one socket, plus keep-alive, shutdown and the idle timeout.
 *
 * <p>Thread-safety: confined to the endpoint's event loop; the {@link SrtConnection}
 * methods hand calls from other threads to it.
 */
final class SrtSocket implements SrtConnection {

    private static final Logger log = LoggerFactory.getLogger(SrtSocket.class);

    static final long SYN_NANOS = 10_000_000L;
    private static final long KEEPALIVE_NANOS = 1_000_000_000L;
    private static final long MIN_NAK_NANOS = 20_000_000L;
    private static final int ACK_HISTORY = 1024;
    /** libsrt's SRT_TLPKTDROP_MINTHRESHOLD_MS: the sender keeps a packet at least this long. */
    static final long SND_DROP_MIN_NANOS = 1_000_000_000L;
    /** Beyond any TSBPD delay (at most 65.535 s): delivering "at now plus this" delivers everything. */
    private static final long FLUSH_AHEAD_NANOS = 70_000_000_000L;
    /** The shortest drain time of the input-following pacing rate (see {@link SrtPacer}). */
    private static final long MIN_DRAIN_NANOS = 10_000_000L;
    /**
     * The shortest pacing wake-up delay: at high rates one wake-up per packet would cost more
     * than the sending; the pacer's catch-up then lets the packets due by then leave together,
     * a burst of 200 us at most.
     */
    private static final long MIN_PACE_WAKE_NANOS = 200_000L;

    private final SrtEndpoint endpoint;
    private final SrtConfig config;
    private final EventLoop loop;
    private final int localId;
    private final int peerId;
    private final InetSocketAddress peer;
    private final String streamId;
    private final int rcvLatencyMs;
    private final int sndLatencyMs;
    private final long startNanos;
    private final int peerFlowWindow;
    private final int maxLossRanges;
    private SrtConnectionHandler handler;
    private final Promise<Void> closeFuture;

    private final SrtReceiveBuffer rcv;
    private final SrtSendBuffer snd;
    private final SrtRttEstimator rtt = new SrtRttEstimator();
    private final int[] ackNumbers = new int[ACK_HISTORY];
    private final long[] ackSentAt = new long[ACK_HISTORY];
    private long tsbpdBase;
    private long lastPeerTs;
    private int ackNumber;
    private int lastAckSent = -1;
    private long lastAckAt;
    private long lastNakAt;
    private long lastSentAt;
    private long lastReceivedAt;
    private int nextMessageNumber = 1;
    private final SrtPacer pacer;
    private boolean paceScheduled;
    private long lastAckProgressAt;
    private long lastLateRexmitAt;
    private long lastNewDataAt;
    private SrtHandshake conclusionResponse;
    private SrtCryptoControl crypto;
    private boolean open = true;
    private boolean tooLateDrop = true;

    private volatile long packetsSent;
    private volatile long packetsRetransmitted;
    private volatile long packetsReceived;
    private volatile long packetsLost;
    private volatile long sendDropped;
    private volatile long bytesSent;
    private volatile long bytesReceived;
    private volatile int rttSnapshot = SrtRttEstimator.INITIAL_RTT_US;
    private volatile long receiveDropped;
    private volatile long dropRequestsSent;
    private volatile long dropRequestsReceived;
    private volatile long undecryptable;

    /**
     * @param startNanos   this side's socket clock origin; timestamps sent are microseconds since it
     * @param peerTs       the timestamp of the peer's handshake that established the connection
     * @param peerTsAt     when that handshake arrived; with {@code peerTs} it sets the TSBPD base
     * @param rcvIsn       the first sequence number the peer sends
     * @param sndIsn       the first sequence number this side sends
     */
    SrtSocket(SrtEndpoint endpoint, SrtConfig config, int localId, int peerId, InetSocketAddress peer,
              String streamId, int rcvLatencyMs, int sndLatencyMs, long startNanos, int peerTs, long peerTsAt,
              int rcvIsn, int sndIsn, int peerFlowWindow, SrtConnectionHandler handler) {
        this.endpoint = endpoint;
        this.config = config;
        this.loop = endpoint.eventLoop();
        this.localId = localId;
        this.peerId = peerId;
        this.peer = peer;
        this.streamId = streamId == null ? "" : streamId;
        this.rcvLatencyMs = rcvLatencyMs;
        this.sndLatencyMs = sndLatencyMs;
        this.startNanos = startNanos;
        this.peerFlowWindow = Math.max(32, Math.min(peerFlowWindow, config.flowWindow()));
        this.handler = handler;
        this.rcv = new SrtReceiveBuffer(config.flowWindow(), rcvIsn);
        this.snd = new SrtSendBuffer(config.flowWindow(), sndIsn);
        this.maxLossRanges = (config.maxPacketSize() - SrtPacket.HEADER_LENGTH) / 8;
        this.closeFuture = new DefaultPromise<>(loop);
        this.lastPeerTs = Integer.toUnsignedLong(peerTs);
        this.tsbpdBase = peerTsAt - lastPeerTs * 1000;
        this.lastReceivedAt = peerTsAt;
        this.lastSentAt = peerTsAt;
        this.lastAckAt = peerTsAt;
        this.lastNakAt = peerTsAt;
        this.pacer = new SrtPacer(config.maxBandwidth(), Math.max(MIN_DRAIN_NANOS, sndLatencyMs * 250_000L), peerTsAt);
    }

    void conclusionResponse(SrtHandshake response) {
        this.conclusionResponse = response;
    }

    /** Returns the conclusion response to repeat when the caller repeats its conclusion. */
    SrtHandshake conclusionResponse() {
        return conclusionResponse;
    }

    void handler(SrtConnectionHandler h) {
        this.handler = h;
    }

    /**
     * Sets whether both sides agreed on too-late packet drop (the TLPKTDROP flag of HSREQ and
     * HSRSP, draft-sharabayko-srt section 4.6); on by default. Without it the sender keeps
     * packets until acknowledged or pushed out of a full buffer, and the receiver waits for
     * every missing packet.
     */
    void tooLateDrop(boolean on) {
        this.tooLateDrop = on;
    }

    /** Encrypts the connection; set before the first payload, or never for a clear one. */
    void crypto(SrtCryptoControl c) {
        this.crypto = c;
    }

    int timestampNow(long now) {
        return (int) ((now - startNanos) / 1000);
    }

    // ---- incoming ----

    void onPacket(SrtPacket p, int datagramBytes, long now) {
        lastReceivedAt = now;
        bytesReceived += datagramBytes;
        if (p instanceof SrtDataPacket) {
            onData((SrtDataPacket) p, now);
        } else if (p instanceof SrtAck) {
            onAck((SrtAck) p, now);
        } else if (p instanceof SrtAckAck) {
            onAckAck((SrtAckAck) p, now);
        } else if (p instanceof SrtNak) {
            onNak((SrtNak) p, now);
        } else if (p instanceof SrtDropRequest) {
            SrtDropRequest d = (SrtDropRequest) p;
            dropRequestsReceived++;
            rcv.drop(d.firstSequence(), d.lastSequence());
            deliver(now);
        } else if (p instanceof SrtShutdown) {
            // The sender is done and will repair nothing more: what waits for its play time is
            // handed over now instead of being thrown away with the buffer.
            rcv.deliver(now + FLUSH_AHEAD_NANOS, true, this::handOver);
            receiveDropped = rcv.dropped();
            close("peer shut down", false);
        } else if (p instanceof SrtKeyMaterialControl) {
            onKeyMaterial((SrtKeyMaterialControl) p, now);
        }
        // Keep-alives only refresh lastReceivedAt; repeated handshakes are answered by the endpoint.
    }

    private void onData(SrtDataPacket d, long now) {
        packetsReceived++;
        if (d.keyFlags() != SrtDataPacket.KEY_NONE
                && (crypto == null || !crypto.decrypt(d.sequenceNumber(), d.keyFlags(), d.content()))) {
            // No key for it (none negotiated, or a refreshed key never arrived): unreadable.
            if (undecryptable++ == 0) {
                log.debug("SRT connection {}: cannot decrypt packet {} with key flags {}; dropping such packets",
                        Integer.toHexString(localId), d.sequenceNumber(), d.keyFlags());
            }
            d.release();
            return;
        }
        long ts = unwrapTimestamp(d.timestamp());
        long due = tsbpdBase + ts * 1000 + rcvLatencyMs * 1_000_000L;
        ByteBuf payload = d.content();
        SrtReceiveBuffer.Result r = rcv.insert(d.sequenceNumber(), payload, due);
        if (r == SrtReceiveBuffer.Result.INSERTED && rcv.gapFound()) {
            int first = rcv.gapFirst();
            int last = rcv.gapLast();
            packetsLost += SrtSequence.offset(first, last) + 1;
            send(new SrtNak(SrtLossList.ofRanges(first, last), timestampNow(now), peerId), now);
        }
        deliver(now);
    }

    private long unwrapTimestamp(int ts) {
        long delta = (int) (ts - (int) lastPeerTs);
        long u = lastPeerTs + delta;
        if (delta > 0) {
            lastPeerTs = u;
        }
        return u;
    }

    private void deliver(long now) {
        long before = receiveDropped;
        rcv.deliver(now, tooLateDrop, this::handOver);
        long after = rcv.dropped();
        if (after != before) {
            receiveDropped = after;
            log.debug("SRT connection {} gave up {} missing packets before {} at their play time (rtt {} us)",
                    Integer.toHexString(localId), after - before, rcv.headSequence(), rtt.rtt());
        }
    }

    private void handOver(ByteBuf payload) {
        if (!open) {
            return;
        }
        try {
            handler.onPayload(this, payload);
        } catch (Throwable t) {
            log.warn("SRT connection {} handler failed on a payload", Integer.toHexString(localId), t);
        }
    }

    private void onAck(SrtAck a, long now) {
        if (snd.acknowledge(a.lastAcknowledgedSequence()) > 0) {
            lastAckProgressAt = now;
        }
        if (crypto != null) {
            crypto.onAck();
            sendKeyMaterialIfDue(now);
        }
        if (!a.isLight()) {
            if (a.ackNumber() != 0) {
                send(new SrtAckAck(a.ackNumber(), timestampNow(now), peerId), now);
            }
            rtt.peerEstimate(a.rtt(), a.rttVariance());
            rttSnapshot = rtt.rtt();
        }
        pump(now);
    }

    private void onAckAck(SrtAckAck a, long now) {
        int i = a.ackNumber() & (ACK_HISTORY - 1);
        if (ackNumbers[i] == a.ackNumber() && ackSentAt[i] != 0) {
            rtt.sample((int) Math.min(Integer.MAX_VALUE, (now - ackSentAt[i]) / 1000));
            rttSnapshot = rtt.rtt();
            ackSentAt[i] = 0;
        }
    }

    private void onNak(SrtNak n, long now) {
        SrtLossList l = n.losses();
        int head = snd.headSequence();
        int goneFirst = head;
        int goneLast = head;
        for (int r = 0; r < l.rangeCount(); r++) {
            int first = l.first(r);
            int last = l.last(r);
            if (SrtSequence.offset(head, first) < 0) {
                int end = SrtSequence.offset(head, last) < 0 ? last : SrtSequence.previous(head);
                if (goneFirst == head || SrtSequence.offset(goneFirst, first) < 0) {
                    goneFirst = first;
                }
                if (goneLast == head || SrtSequence.offset(goneLast, end) > 0) {
                    goneLast = end;
                }
            }
            snd.queueRetransmission(first, last);
        }
        if (goneFirst != head) {
            // No longer kept, so dropped (an acknowledged packet is never reported lost): tell
            // the receiver to stop waiting for them, as libsrt does; one request for the whole
            // NAK, so that a NAK of many ranges cannot make this side send as many packets.
            sendDropRequest(goneFirst, goneLast, 0, now);
        }
        pump(now);
    }

    /** Tells the receiver that the sender gave up {@code first..last} (draft-sharabayko-srt section 3.2.9). */
    private void sendDropRequest(int first, int last, int messageNumber, long now) {
        dropRequestsSent++;
        send(new SrtDropRequest(messageNumber, first, last, timestampNow(now), peerId), now);
    }

    /** Handles in-stream key material (draft-sharabayko-srt section 6.1.6): install, confirm. */
    private void onKeyMaterial(SrtKeyMaterialControl km, long now) {
        if (crypto == null) {
            return;
        }
        if (km.subtype() == SrtKeyMaterialControl.KMREQ) {
            byte[] echo = crypto.onKmRequest(km.content(), this);
            if (echo != null) {
                endpoint.keyReceived();
                send(new SrtKeyMaterialControl(SrtKeyMaterialControl.KMRSP, echo, timestampNow(now), peerId), now);
            }
        } else {
            crypto.onKmResponse(km.content(), this);
        }
    }

    private void sendKeyMaterialIfDue(long now) {
        byte[] km = crypto.kmRequestDue(now, rtt.rtt());
        if (km != null) {
            send(new SrtKeyMaterialControl(SrtKeyMaterialControl.KMREQ, km, timestampNow(now), peerId), now);
        }
    }

    // ---- outgoing ----

    @Override
    public boolean send(ByteBuf payload) {
        if (!loop.inEventLoop()) {
            try {
                loop.execute(() -> send(payload));
            } catch (RuntimeException e) {
                payload.release();
                return false;
            }
            return open;
        }
        return send(payload, System.nanoTime());
    }

    /** Sends on the event loop at {@code now}. Ownership: takes {@code payload}. */
    boolean send(ByteBuf payload, long now) {
        if (!open || payload.readableBytes() > config.payloadSize()) {
            payload.release();
            return false;
        }
        if (snd.isFull() || snd.size() >= peerFlowWindow) {
            // The receiver learns of it when it asks for the packet: the NAK is answered with a
            // drop request.
            snd.dropOldest();
            sendDropped++;
        }
        pacer.onInput(payload.readableBytes(), now);
        ByteBuf wire = payload;
        if (crypto != null) {
            wire = crypto.encrypt(snd.tailSequence(), payload, endpoint.alloc());
        }
        snd.add(wire, timestampNow(now), nextMessageNumber, now);
        nextMessageNumber = nextMessageNumber == SrtDataPacket.MAX_MESSAGE_NUMBER ? 1 : nextMessageNumber + 1;
        pump(now);
        endpoint.flush();
        return true;
    }

    /**
     * Sends retransmissions first, then new packets, at the pacing rate ({@link SrtPacer});
     * when the schedule says wait, a wake-up is set for the next slot.
     */
    private void pump(long now) {
        while (snd.hasRetransmission() || snd.hasUnsent()) {
            long backlog = (long) (snd.retransmissionCount() + snd.unsentCount())
                    * (config.payloadSize() + SrtPacer.HEADER_BYTES);
            long rate = pacer.rate(backlog, now - snd.oldestUnsentAddedAt(now));
            if (rate < SrtPacer.UNLIMITED && !pacer.maySend(now)) {
                schedulePace(pacer.nextSendAt() - now);
                return;
            }
            int n;
            if (snd.hasRetransmission()) {
                int seq = snd.pollRetransmission();
                if (seq < 0) {
                    continue;
                }
                n = sendData(seq, true, now);
                packetsRetransmitted++;
            } else {
                n = sendData(snd.nextUnsent(), false, now);
                packetsSent++;
                lastNewDataAt = now;
            }
            if (rate < SrtPacer.UNLIMITED) {
                pacer.onSent(n + SrtConfig.UDP_IP_OVERHEAD, rate, now);
            }
        }
    }

    private void schedulePace(long delayNanos) {
        if (paceScheduled) {
            return;
        }
        paceScheduled = true;
        loop.schedule(() -> {
            paceScheduled = false;
            if (open) {
                pump(System.nanoTime());
                endpoint.flush();
            }
        }, Math.max(delayNanos, MIN_PACE_WAKE_NANOS), TimeUnit.NANOSECONDS);
    }

    private int sendData(int seq, boolean retransmitted, long now) {
        ByteBuf payload = snd.payload(seq);
        int keyFlags = crypto == null ? SrtDataPacket.KEY_NONE : crypto.keyFlags(seq);
        SrtDataPacket p = new SrtDataPacket(seq, SrtDataPacket.POSITION_SOLO, false, keyFlags, retransmitted,
                snd.messageNumber(seq), snd.timestamp(seq), peerId, payload);
        return send(p, now);
    }

    private int send(SrtPacket p, long now) {
        int n = endpoint.write(p, peer);
        lastSentAt = now;
        bytesSent += n;
        return n;
    }

    // ---- timers ----

    /** Runs every SYN interval (10 ms): ACK, periodic NAK, delivery, drops, keep-alive, idle check. */
    void tick(long now) {
        if (!open) {
            return;
        }
        deliver(now);
        if (!open) {
            return;
        }
        if (now - lastAckAt >= SYN_NANOS && rcv.ackSequence() != lastAckSent) {
            sendAck(now);
        }
        // libsrt's NAK report period: half of RTT + 4 * RTTVar, at least 20 ms; but at most an
        // eighth of the latency, so that one delayed RTT sample (jitter inflates RTTVar at once)
        // cannot space the reports so far apart that a lost retransmission is never asked again
        // before its play time.
        long nakInterval = Math.max(MIN_NAK_NANOS,
                Math.min((rtt.rtt() + 4L * rtt.variance()) * 500L, rcvLatencyMs * 125_000L));
        if (rcv.hasLosses() && now - lastNakAt >= nakInterval) {
            SrtLossList losses = rcv.losses(maxLossRanges);
            if (!losses.isEmpty()) {
                send(new SrtNak(losses, timestampNow(now), peerId), now);
            }
            lastNakAt = now;
        }
        if (tooLateDrop) {
            dropTooLate(now);
        }
        lateRetransmit(now);
        if (crypto != null) {
            sendKeyMaterialIfDue(now);
        }
        pump(now);
        if (now - lastSentAt >= KEEPALIVE_NANOS) {
            send(new SrtKeepalive(timestampNow(now), peerId), now);
        }
        if (now - lastReceivedAt > config.peerIdleTimeout().toNanos()) {
            close("peer idle for " + config.peerIdleTimeout().toMillis() + " ms", false);
        }
    }

    /**
     * Drops the packets that cannot arrive before their play time any more (libsrt's
     * sender-side TLPKTDROP): those older than the peer's latency, at least one second, plus
     * two SYN intervals; then sends one drop request for the run, so the receiver stops asking
     * for them and skips them at once instead of waiting for a later packet's play time.
     */
    private void dropTooLate(long now) {
        long threshold = Math.max(sndLatencyMs * 1_000_000L, SND_DROP_MIN_NANOS) + 2 * SYN_NANOS;
        int first = snd.headSequence();
        int msg = snd.size() > 0 ? snd.messageNumber(first) : 0;
        int n = snd.dropAddedBefore(now - threshold);
        if (n > 0) {
            sendDropped += n;
            sendDropRequest(first, SrtSequence.add(first, n - 1), msg, now);
        }
    }

    /**
     * Retransmits every unacknowledged packet when the sender went quiet and ACKs stopped
     * advancing for a retransmission timeout: the receiver cannot report a loss at the tail
     * of a burst, because no later packet shows the gap. While new packets flow, the
     * receiver's NAKs cover every loss, and retransmitting blindly would only add load.
     */
    private void lateRetransmit(long now) {
        if (snd.inFlight() == 0) {
            lastAckProgressAt = now;
            return;
        }
        long rto = (rtt.rtt() + 4L * rtt.variance()) * 1000L + 2 * SYN_NANOS;
        if (now - lastAckProgressAt > rto && now - lastNewDataAt > rto && now - lastLateRexmitAt > rto) {
            snd.queueRetransmission(snd.headSequence(), SrtSequence.add(snd.headSequence(), snd.inFlight() - 1));
            lastLateRexmitAt = now;
        }
    }

    private void sendAck(long now) {
        ackNumber = ackNumber == Integer.MAX_VALUE ? 1 : ackNumber + 1;
        int seq = rcv.ackSequence();
        int i = ackNumber & (ACK_HISTORY - 1);
        ackNumbers[i] = ackNumber;
        ackSentAt[i] = now;
        int rate = 0;
        send(SrtAck.full(ackNumber, seq, rtt.rtt(), rtt.variance(), rcv.available(), rate, rate, rate,
                timestampNow(now), peerId), now);
        lastAckSent = seq;
        lastAckAt = now;
    }

    // ---- closing ----

    @Override
    public void close() {
        if (!loop.inEventLoop()) {
            loop.execute(this::close);
            return;
        }
        close("closed locally", true);
    }

    void close(String reason, boolean sendShutdown) {
        if (!open) {
            return;
        }
        if (sendShutdown) {
            send(new SrtShutdown(timestampNow(System.nanoTime()), peerId), System.nanoTime());
            endpoint.flush();
        }
        open = false;
        rcv.release();
        snd.release();
        endpoint.remove(this);
        log.debug("SRT connection {} with {} closed: {}", Integer.toHexString(localId), peer, reason);
        try {
            handler.onClosed(this, reason);
        } catch (Throwable t) {
            log.warn("SRT connection handler failed on close", t);
        }
        closeFuture.trySuccess(null);
    }

    // ---- SrtConnection ----

    @Override
    public int socketId() {
        return localId;
    }

    @Override
    public int peerSocketId() {
        return peerId;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return peer;
    }

    @Override
    public String streamId() {
        return streamId;
    }

    @Override
    public int receiveLatencyMillis() {
        return rcvLatencyMs;
    }

    @Override
    public int sendLatencyMillis() {
        return sndLatencyMs;
    }

    @Override
    public EventExecutor executor() {
        return loop;
    }

    @Override
    public boolean isOpen() {
        return open && !closeFuture.isDone();
    }

    @Override
    public Future<Void> closeFuture() {
        return closeFuture;
    }

    @Override
    public SrtConnectionStats stats() {
        long rd = receiveDropped + undecryptable;
        long sd = sendDropped;
        return new SrtConnectionStats(packetsSent, packetsRetransmitted, packetsReceived, packetsLost, rd + sd,
                bytesSent, bytesReceived, rttSnapshot, sd, rd, dropRequestsSent, dropRequestsReceived);
    }

    @Override
    public String toString() {
        return "SrtConnection[" + Integer.toHexString(localId) + " <-> " + peer + "/" + Integer.toHexString(peerId)
                + (streamId.isEmpty() ? "" : ", sid=" + streamId) + "]";
    }
}
