package io.livehub.webrtc.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.livehub.media.MalformedMediaException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RTCP from a viewer (RR, NACK, PLI, FIR) and the sender report this side writes. */
class RtcpTest {

    static ByteBuf hex(String s) {
        return Unpooled.wrappedBuffer(HexFormat.of().parseHex(s.replace(" ", "")));
    }

    private static final class Recorder implements RtcpListener {
        final List<String> events = new ArrayList<>();

        @Override
        public void onReceiverReport(int ssrc, int fractionLost, int cumulativeLost, long jitter) {
            events.add(String.format("rr %08x %d %d %d", ssrc, fractionLost, cumulativeLost, jitter));
        }

        @Override
        public void onNack(int ssrc, int[] lost, int count) {
            events.add(String.format("nack %08x %s", ssrc, Arrays.toString(Arrays.copyOf(lost, count))));
        }

        @Override
        public void onPictureLoss(int ssrc) {
            events.add(String.format("pli %08x", ssrc));
        }

        @Override
        public void onFullIntraRequest(int ssrc) {
            events.add(String.format("fir %08x", ssrc));
        }

        @Override
        public void onBye(int ssrc) {
            events.add(String.format("bye %08x", ssrc));
        }
    }

    @Test
    void readsACompoundPacketFromChromium() {
        ByteBuf compound = hex(""
                // RR: V=2 RC=1, PT 201, length 7, sender SSRC 1
                + "81c90007 00000001"
                // block: media SSRC, fraction lost 16/256, cumulative lost 3, ext. highest seq,
                // jitter 42, LSR, DLSR
                + "11111111 10000003 0001ffff 0000002a 00000000 00000000"
                // generic NACK: V=2 FMT=1, PT 205, length 3, sender 1, media SSRC,
                // PID 0xfffe with BLP bits 0 and 2 (0xffff and 0x0001 lost too)
                + "81cd0003 00000001 11111111 fffe0005"
                // PLI: FMT=1, PT 206, length 2
                + "81ce0002 00000001 11111111"
                // FIR: FMT=4, PT 206, length 4, media SSRC 0, FCI SSRC + seq nr
                + "84ce0004 00000001 00000000 11111111 07000000"
                // BYE: SC=1, PT 203, length 1, the leaving SSRC
                + "81cb0001 00000001");
        Recorder r = new Recorder();
        new RtcpParser(256).parse(compound, r);
        assertEquals(List.of("rr 11111111 16 3 42", "nack 11111111 [65534, 65535, 1]", "pli 11111111",
                "fir 11111111", "bye 00000001"), r.events);
    }

    @Test
    void readsASenderReport() {
        List<String> got = new ArrayList<>();
        new RtcpParser(8).parse(hex("80c80006 4d617273 ed003780 80000000 01020304 0000000a 000003e8"),
                new RtcpListener() {
                    @Override
                    public void onSenderReport(int ssrc, long ntp, long rtpTimestamp) {
                        got.add(String.format("%08x %016x %d", ssrc, ntp, rtpTimestamp));
                    }
                });
        assertEquals(List.of("4d617273 ed00378080000000 16909060"), got);
    }

    @Test
    void reportsLossAcrossTheSequenceWrap() {
        ReceptionStatistics s = new ReceptionStatistics(90_000);
        for (int seq : new int[] {65534, 65535, 0, 2}) { // 1 is lost
            s.packet(0x11111111, seq, 3000L * seq, 0);
        }
        s.senderReport(0xed00378080000000L, 0);
        ByteBuf out = Unpooled.buffer();
        s.writeBlock(out, 500_000_000L);
        assertEquals(""
                + "11111111" // SSRC
                + "33" // fraction lost: 1 of 5 expected = 51/256
                + "000001" // cumulative lost
                + "00010002" // extended highest sequence number: one wrap, then 2
                + ByteBufUtil.hexDump(out, 12, 4) // jitter, whatever the arrival times made it
                + "37808000" // LSR: the middle 32 bits of the SR's NTP time
                + "00008000", // DLSR: 0.5 s in 1/65536 s
                ByteBufUtil.hexDump(out));
        out.release();
    }

    @Test
    void capsTheNackedSequences() {
        ByteBuf nack = hex("81cd0003 00000001 11111111 0000ffff");
        Recorder r = new Recorder();
        new RtcpParser(5).parse(nack, r);
        assertEquals(List.of("nack 11111111 [0, 1, 2, 3, 4]"), r.events);
    }

    @Test
    void refusesAPacketLongerThanTheDatagram() {
        assertThrows(MalformedMediaException.class,
                () -> new RtcpParser(8).parse(hex("81c90007 00000001"), new Recorder()));
        assertThrows(MalformedMediaException.class,
                () -> new RtcpParser(8).parse(hex("01c90000"), new Recorder()));
    }

    @Test
    void writesASenderReportWithTheCname() {
        ByteBuf out = Unpooled.buffer();
        // 2026-01-01T00:00:00.5Z
        RtcpSenderReport.write(out, 0x11111111, 1_767_225_600_500_000L, 0x01020304L, 10, 1000, "livehub");
        assertEquals((""
                + "80c80006 11111111" // SR, length 6, SSRC
                + "ed003780 80000000" // NTP: 3975961600 s since 1900, .5 s
                + "01020304 0000000a 000003e8" // RTP timestamp, packets, octets
                + "81ca0004 11111111" // SDES, one chunk, length 4
                + "0107 6c697665687562 000000").replace(" ", ""), // CNAME "livehub", END, padding
                ByteBufUtil.hexDump(out));
        out.release();
    }

    @Test
    void keepsPacketsForRetransmissionUntilReplaced() {
        RetransmissionBuffer b = new RetransmissionBuffer(4);
        ByteBuf p1 = Unpooled.wrappedBuffer(new byte[] {1});
        ByteBuf p5 = Unpooled.wrappedBuffer(new byte[] {5});
        b.put(1, p1);
        assertEquals(p1, b.get(1));
        b.put(5, p5);
        assertEquals(0, p1.refCnt(), "replaced and released");
        assertNull(b.get(1));
        assertArrayEquals(new byte[] {5}, ByteBufUtil.getBytes(b.get(5)));
        b.clear();
        assertEquals(0, p5.refCnt());
    }
}
