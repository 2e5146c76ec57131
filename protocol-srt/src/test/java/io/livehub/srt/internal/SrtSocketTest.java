package io.livehub.srt.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.srt.SrtConfig;
import io.livehub.srt.SrtConnection;
import io.livehub.srt.SrtConnectionHandler;
import io.livehub.srt.SrtConnectionStats;
import io.livehub.srt.packet.SrtDataPacket;
import io.livehub.srt.packet.SrtDropRequest;
import io.livehub.srt.packet.SrtLossList;
import io.livehub.srt.packet.SrtNak;
import io.livehub.srt.packet.SrtPacket;
import io.livehub.srt.packet.SrtPacketDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Drives one {@link SrtSocket} on an {@link EmbeddedChannel} with a made-up clock: the
 * sender's too-late drop and drop requests, the receiver's handling of drop requests and its
 * own too-late drop (draft-sharabayko-srt sections 3.2.9 and 4.6).
 */
class SrtSocketTest {

    static final InetSocketAddress PEER = new InetSocketAddress(InetAddress.getLoopbackAddress(), 4000);
    static final int ISN = 1000;
    static final long MS = 1_000_000L;
    static final SrtPacketDecoder DECODER = new SrtPacketDecoder(1472);

    final EmbeddedChannel ch = new EmbeddedChannel();
    final List<Integer> delivered = new ArrayList<>();
    final long t0 = System.nanoTime();

    @AfterEach
    void close() {
        ch.finishAndReleaseAll();
    }

    SrtSocket socket(int latencyMs, SrtConfig config) {
        SrtEndpoint endpoint = new SrtEndpoint(config, null);
        ch.pipeline().addLast(endpoint);
        SrtConnectionHandler h = new SrtConnectionHandler() {
            @Override
            public void onPayload(SrtConnection c, ByteBuf payload) {
                delivered.add(payload.getInt(payload.readerIndex()));
            }
        };
        return new SrtSocket(endpoint, config, 7, 9, PEER, "", latencyMs, latencyMs, t0, 0, t0, ISN, ISN, 8192, h);
    }

    SrtSocket socket(int latencyMs) {
        return socket(latencyMs, SrtConfig.builder().latency(Duration.ofMillis(latencyMs)).build());
    }

    static ByteBuf payload(int n) {
        return Unpooled.buffer(188).writeInt(n).writeZero(184);
    }

    /** Returns every packet the socket wrote so far, decoded; data packets released. */
    List<SrtPacket> written() {
        ch.flush();
        List<SrtPacket> out = new ArrayList<>();
        for (Object o; (o = ch.readOutbound()) != null; ) {
            DatagramPacket d = (DatagramPacket) o;
            try {
                SrtPacket p = DECODER.decode(d.content());
                ReferenceCountUtil.release(p);
                out.add(p);
            } finally {
                d.release();
            }
        }
        return out;
    }

    static <T> List<T> of(List<SrtPacket> ps, Class<T> type) {
        List<T> out = new ArrayList<>();
        for (SrtPacket p : ps) {
            if (type.isInstance(p)) {
                out.add(type.cast(p));
            }
        }
        return out;
    }

    SrtDataPacket data(int seq, int tsMicros) {
        return SrtDataPacket.live(seq, seq - ISN + 1, tsMicros, 7, payload(seq));
    }

    @Test
    void senderDropsWhatCannotArriveInTimeAndSendsOneDropRequestForTheRun() {
        SrtSocket s = socket(120);
        for (int i = 0; i < 10; i++) {
            s.send(payload(i), t0 + i * MS);
        }
        assertEquals(10, of(written(), SrtDataPacket.class).size());
        // libsrt keeps a packet for max(latency, 1 s) + 2 SYN intervals.
        s.tick(t0 + 1000 * MS);
        assertTrue(of(written(), SrtDropRequest.class).isEmpty());
        assertEquals(0, s.stats().packetsSendDropped());
        s.tick(t0 + 1025 * MS);
        List<SrtDropRequest> drops = of(written(), SrtDropRequest.class);
        assertEquals(1, drops.size(), drops.toString());
        assertEquals(ISN, drops.get(0).firstSequence());
        assertEquals(ISN + 4, drops.get(0).lastSequence(), "packets 0..4 were sent over 1020 ms ago");
        assertEquals(1, drops.get(0).messageNumber());
        assertEquals(9, drops.get(0).destinationSocketId());
        s.tick(t0 + 1040 * MS);
        drops = of(written(), SrtDropRequest.class);
        assertEquals(ISN + 5, drops.get(0).firstSequence());
        assertEquals(ISN + 9, drops.get(0).lastSequence());
        SrtConnectionStats st = s.stats();
        assertEquals(10, st.packetsSendDropped());
        assertEquals(10, st.packetsDropped());
        assertEquals(2, st.dropRequestsSent());

        // A NAK for packets no longer kept is answered with a drop request, not a retransmission.
        s.send(payload(10), t0 + 1050 * MS);
        written();
        s.onPacket(new SrtNak(SrtLossList.ofRanges(ISN + 3, ISN + 4, ISN + 6, ISN + 6, ISN + 8, ISN + 10), 0, 7), 24,
                t0 + 1060 * MS);
        List<SrtPacket> out = written();
        drops = of(out, SrtDropRequest.class);
        assertEquals(1, drops.size(), "one drop request for the NAK's three ranges");
        assertEquals(ISN + 3, drops.get(0).firstSequence());
        assertEquals(ISN + 9, drops.get(0).lastSequence());
        List<SrtDataPacket> rexmit = of(out, SrtDataPacket.class);
        assertEquals(1, rexmit.size());
        assertEquals(ISN + 10, rexmit.get(0).sequenceNumber());
        assertTrue(rexmit.get(0).retransmitted());
    }

    @Test
    void aBurstAfterTheInputIsMeasuredLeavesPacedNotAtOnce() {
        SrtSocket s = socket(120);
        for (int i = 0; i <= 50; i++) {
            s.send(payload(i), t0 + i * 20 * MS);
        }
        assertEquals(51, of(written(), SrtDataPacket.class).size(), "one packet at a time goes out at once");
        long burstAt = t0 + 1020 * MS;
        for (int i = 0; i < 40; i++) {
            s.send(payload(100 + i), burstAt);
        }
        int atOnce = of(written(), SrtDataPacket.class).size();
        assertTrue(atOnce >= 1 && atOnce <= 3, atOnce + " of a 40-packet burst left at once");
        assertEquals(0, s.stats().packetsSendDropped());
    }

    @Test
    void withoutTooLateDropTheSenderKeepsUnacknowledgedPackets() {
        SrtSocket s = socket(120);
        s.tooLateDrop(false);
        s.send(payload(0), t0);
        s.tick(t0 + 3000 * MS);
        assertTrue(of(written(), SrtDropRequest.class).isEmpty());
        assertEquals(0, s.stats().packetsSendDropped());
    }

    @Test
    void receiverGivesUpARangeOnADropRequestAndStopsReportingIt() {
        SrtSocket s = socket(100);
        s.onPacket(data(ISN, 0), 204, t0);
        s.onPacket(data(ISN + 3, 3000), 204, t0 + 3 * MS);
        List<SrtNak> naks = of(written(), SrtNak.class);
        assertEquals(SrtLossList.ofRanges(ISN + 1, ISN + 2), naks.get(0).losses());

        s.onPacket(new SrtDropRequest(2, ISN + 1, ISN + 2, 0, 7), 24, t0 + 5 * MS);
        // Delivery goes on at each packet's play time, without waiting for the given-up ones.
        s.tick(t0 + 100 * MS);
        assertEquals(List.of(ISN), delivered);
        s.tick(t0 + 103 * MS);
        assertEquals(List.of(ISN, ISN + 3), delivered);
        // No periodic NAK for the given-up range any more.
        s.tick(t0 + 500 * MS);
        assertTrue(of(written(), SrtNak.class).isEmpty());
        SrtConnectionStats st = s.stats();
        assertEquals(2, st.packetsReceiveDropped());
        assertEquals(1, st.dropRequestsReceived());
        // A late retransmission of a given-up packet is not delivered.
        s.onPacket(data(ISN + 1, 1000), 204, t0 + 600 * MS);
        s.tick(t0 + 700 * MS);
        assertEquals(List.of(ISN, ISN + 3), delivered);
    }

    @Test
    void receiverSkipsAMissingPacketWhenTheNextOnesPlayTimeComes() {
        SrtSocket s = socket(100);
        s.onPacket(data(ISN, 0), 204, t0);
        s.onPacket(data(ISN + 2, 2000), 204, t0 + 2 * MS);
        s.tick(t0 + 101 * MS);
        assertEquals(List.of(ISN), delivered);
        s.tick(t0 + 102 * MS);
        assertEquals(List.of(ISN, ISN + 2), delivered);
        assertEquals(1, s.stats().packetsReceiveDropped());
        assertEquals(0, s.stats().dropRequestsReceived());
    }

    @Test
    void withoutTooLateDropTheReceiverWaitsForTheMissingPacket() {
        SrtSocket s = socket(100);
        s.tooLateDrop(false);
        s.onPacket(data(ISN, 0), 204, t0);
        s.onPacket(data(ISN + 2, 2000), 204, t0 + 2 * MS);
        s.tick(t0 + 500 * MS);
        assertEquals(List.of(ISN), delivered);
        s.onPacket(data(ISN + 1, 1000), 204, t0 + 510 * MS);
        assertEquals(List.of(ISN, ISN + 1, ISN + 2), delivered);
        assertEquals(0, s.stats().packetsReceiveDropped());
    }

    @Test
    void aPeerShutdownHandsOverWhatWaitsForItsPlayTime() {
        SrtSocket s = socket(100);
        s.onPacket(data(ISN, 0), 204, t0);
        s.onPacket(data(ISN + 1, 1000), 204, t0 + MS);
        s.onPacket(data(ISN + 3, 3000), 204, t0 + 3 * MS);
        s.onPacket(new io.livehub.srt.packet.SrtShutdown(4000, 7), 20, t0 + 4 * MS);
        assertEquals(List.of(ISN, ISN + 1, ISN + 3), delivered);
        assertEquals(1, s.stats().packetsReceiveDropped());
        assertTrue(!s.isOpen());
    }

    @Test
    void aDropRequestBeyondTheBufferIsIgnored() {
        SrtSocket s = socket(100);
        s.onPacket(new SrtDropRequest(0, ISN + 100_000, ISN + 100_010, 0, 7), 24, t0);
        // A range that wraps the sequence circle from far ahead of the receiver to behind it
        // (found by SrtEndpointFuzzTest: it walked a billion slots).
        s.onPacket(new SrtDropRequest(0, 0x4000_0000 + ISN - 3, ISN - 5, 0, 7), 24, t0);
        s.onPacket(data(ISN, 0), 204, t0);
        s.tick(t0 + 100 * MS);
        assertEquals(List.of(ISN), delivered);
        assertEquals(0, s.stats().packetsReceiveDropped());
    }
}
