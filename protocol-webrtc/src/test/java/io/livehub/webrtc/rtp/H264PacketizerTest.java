package io.livehub.webrtc.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 6184 packetization both ways: single NAL, STAP-A before IDR, FU-A, and loss. */
class H264PacketizerTest {

    private static final byte[] SPS = HexFormat.of().parseHex("6742c01e8c8d40");
    private static final byte[] PPS = HexFormat.of().parseHex("68ce3c80");

    /** A 4-byte length-prefixed access unit of the given NAL units. */
    private static ByteBuf au(byte[]... nals) {
        ByteBuf b = Unpooled.buffer();
        for (byte[] n : nals) {
            b.writeInt(n.length).writeBytes(n);
        }
        return b;
    }

    private static byte[] nal(int header, int size) {
        byte[] n = new byte[size];
        n[0] = (byte) header;
        for (int i = 1; i < size; i++) {
            n[i] = (byte) (i * 7);
        }
        return n;
    }

    private static List<byte[]> payloads(ByteBuf run, List<Boolean> markers) {
        List<byte[]> out = new ArrayList<>();
        RtpPayloadRun.forEach(run, (b, off, len, marker) -> {
            out.add(ByteBufUtil.getBytes(b, off, len));
            markers.add(marker);
        });
        return out;
    }

    @Test
    void sendsSmallNalUnitsWholeWithTheMarkerOnTheLast() {
        ByteBuf au = au(new byte[] {0x09, (byte) 0xf0}, nal(0x41, 50), nal(0x01, 20)); // AUD, two P slices
        ByteBuf run = Unpooled.buffer();
        H264Packetizer.packetize(au, List.of(SPS, PPS), 1178, run);
        List<Boolean> markers = new ArrayList<>();
        List<byte[]> p = payloads(run, markers);
        assertEquals(2, p.size(), "the AUD is left out, no STAP-A without an IDR");
        assertArrayEquals(nal(0x41, 50), p.get(0));
        assertEquals(List.of(false, true), markers);
        au.release();
        run.release();
    }

    @Test
    void putsSpsAndPpsInAStapABeforeAnIdrAndFragmentsLargeNalUnits() {
        byte[] idr = nal(0x65, 3000);
        ByteBuf au = au(idr);
        ByteBuf run = Unpooled.buffer();
        H264Packetizer.packetize(au, List.of(SPS, PPS), 1178, run);
        List<Boolean> markers = new ArrayList<>();
        List<byte[]> p = payloads(run, markers);
        // STAP-A: F/NRI of the parameter sets (0x60) | 24, then 16-bit sizes and the NAL units.
        assertEquals("78" + "0007" + "6742c01e8c8d40" + "0004" + "68ce3c80", HexFormat.of().formatHex(p.get(0)));
        // FU-A: indicator NRI 0x60 | 28 = 0x7c; header S=1 type 5 = 0x85, then E=1 type 5 = 0x45.
        assertEquals(0x7c, p.get(1)[0] & 0xFF);
        assertEquals(0x85, p.get(1)[1] & 0xFF);
        assertEquals(0x05, p.get(2)[1] & 0xFF);
        assertEquals(0x45, p.get(3)[1] & 0xFF);
        assertEquals(4, p.size(), "2999 bytes after the header in chunks of 1176");
        assertEquals(List.of(false, false, false, true), markers);
        for (byte[] b : p) {
            assertTrue(b.length <= 1178);
        }
        au.release();
        run.release();
    }

    @Test
    void depacketizesWhatItPacketized() {
        byte[] idr = nal(0x65, 5000);
        byte[] slice = nal(0x41, 300);
        ByteBuf au = au(idr, slice);
        ByteBuf run = Unpooled.buffer();
        H264Packetizer.packetize(au, List.of(SPS, PPS), 1178, run);
        List<byte[]> got = new ArrayList<>();
        List<Boolean> keys = new ArrayList<>();
        H264Depacketizer d = new H264Depacketizer(1 << 20, (a, ts, key) -> {
            got.add(a);
            keys.add(key);
        });
        int[] seq = {65530};
        RtpPayloadRun.forEach(run, (b, off, len, marker) -> {
            d.packet(seq[0], 9000, marker, ByteBufUtil.getBytes(b, off, len), 0, len);
            seq[0] = (seq[0] + 1) & 0xFFFF;
        });
        assertEquals(1, got.size());
        assertTrue(keys.get(0));
        ByteBuf expected = au(SPS, PPS, idr, slice);
        assertArrayEquals(ByteBufUtil.getBytes(expected), got.get(0));
        au.release();
        run.release();
        expected.release();
    }

    @Test
    void dropsAnAccessUnitThatLostAPacket() {
        ByteBuf first = au(nal(0x65, 4000));
        ByteBuf second = au(nal(0x41, 200));
        ByteBuf run1 = Unpooled.buffer();
        ByteBuf run2 = Unpooled.buffer();
        H264Packetizer.packetize(first, List.of(), 1178, run1);
        H264Packetizer.packetize(second, List.of(), 1178, run2);
        List<byte[]> got = new ArrayList<>();
        H264Depacketizer d = new H264Depacketizer(1 << 20, (a, ts, key) -> got.add(a));
        int[] seq = {0};
        RtpPayloadRun.forEach(run1, (b, off, len, marker) -> {
            if (seq[0] != 1) { // the second FU-A fragment is lost
                d.packet(seq[0], 0, marker, ByteBufUtil.getBytes(b, off, len), 0, len);
            }
            seq[0]++;
        });
        assertTrue(got.isEmpty(), "a frame with a missing packet is not passed on");
        assertEquals(1, d.dropped());
        RtpPayloadRun.forEach(run2, (b, off, len, marker) -> {
            d.packet(seq[0]++, 3000, marker, ByteBufUtil.getBytes(b, off, len), 0, len);
        });
        assertEquals(1, got.size(), "the next whole frame is");
        assertFalse(got.get(0).length == 0);
        first.release();
        second.release();
        run1.release();
        run2.release();
    }

    @Test
    void paddingOnlyPacketsKeepTheSequenceWhole() {
        ByteBuf first = au(nal(0x65, 2000));
        ByteBuf run = Unpooled.buffer();
        H264Packetizer.packetize(first, List.of(), 1178, run);
        List<byte[]> got = new ArrayList<>();
        H264Depacketizer d = new H264Depacketizer(1 << 20, (a, ts, key) -> got.add(a));
        int[] seq = {10};
        RtpPayloadRun.forEach(run, (b, off, len, marker) -> {
            d.packet(seq[0]++, 0, marker, ByteBufUtil.getBytes(b, off, len), 0, len);
            d.padding(seq[0]++); // a bandwidth probe between the fragments
        });
        assertEquals(1, got.size());
        assertEquals(0, d.dropped());
        first.release();
        run.release();
    }

    @Test
    void dropsAnAccessUnitWhoseMarkerPacketWasLost() {
        ByteBuf first = au(nal(0x41, 3000));
        ByteBuf run = Unpooled.buffer();
        H264Packetizer.packetize(first, List.of(), 1178, run);
        List<byte[]> got = new ArrayList<>();
        H264Depacketizer d = new H264Depacketizer(1 << 20, (a, ts, key) -> got.add(a));
        int[] seq = {0};
        RtpPayloadRun.forEach(run, (b, off, len, marker) -> {
            if (!marker) {
                d.packet(seq[0], 0, false, ByteBufUtil.getBytes(b, off, len), 0, len);
            }
            seq[0]++;
        });
        d.packet(seq[0], 3000, true, new byte[] {0x41, 1, 2}, 0, 3);
        assertTrue(got.isEmpty(), "neither the cut frame nor the one after the gap: " + got.size());
        assertEquals(2, d.dropped());
        first.release();
        run.release();
    }
}
