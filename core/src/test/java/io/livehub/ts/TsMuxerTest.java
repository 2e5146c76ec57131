package io.livehub.ts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.codec.h264.H264NalUnitType;
import io.livehub.codec.h265.H265NalUnitType;
import io.livehub.media.CodecId;
import io.livehub.media.MalformedMediaException;
import io.livehub.media.MediaFrame;
import io.livehub.media.Timebase;
import io.livehub.media.Track;
import io.livehub.media.TrackKind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Checks the packet structure {@link TsMuxer} writes, packet by packet. */
class TsMuxerTest {

    /** One transport packet as read back by the test. */
    record Packet(int index, int pid, boolean unitStart, int cc, boolean hasPayload, int adaptationFlags, long pcr,
            int payloadOffset) {
        boolean randomAccess() {
            return (adaptationFlags & 0x40) != 0;
        }
    }

    static List<Packet> packets(ByteBuf ts) {
        assertEquals(0, ts.readableBytes() % TsPacket.SIZE, "whole packets");
        List<Packet> out = new ArrayList<>();
        for (int i = ts.readerIndex(); i < ts.writerIndex(); i += TsPacket.SIZE) {
            assertEquals(0x47, ts.getUnsignedByte(i), "sync byte");
            int pid = (ts.getUnsignedByte(i + 1) & 0x1F) << 8 | ts.getUnsignedByte(i + 2);
            int control = ts.getUnsignedByte(i + 3) >>> 4 & 3;
            int flags = 0;
            long pcr = -1;
            int payload = i + 4;
            if ((control & 2) != 0) {
                int len = ts.getUnsignedByte(i + 4);
                if (len > 0) {
                    flags = ts.getUnsignedByte(i + 5);
                    if ((flags & 0x10) != 0) {
                        pcr = ts.getUnsignedInt(i + 6) << 1 | ts.getUnsignedByte(i + 10) >>> 7;
                    }
                    for (int k = i + 6 + ((flags & 0x10) != 0 ? 6 : 0); k < i + 5 + len; k++) {
                        assertEquals(0xFF, ts.getUnsignedByte(k), "stuffing byte");
                    }
                }
                payload += 1 + len;
            }
            out.add(new Packet((i - ts.readerIndex()) / TsPacket.SIZE, pid, (ts.getUnsignedByte(i + 1) & 0x40) != 0,
                    ts.getUnsignedByte(i + 3) & 0x0F, (control & 1) != 0, flags, pcr, payload));
        }
        return out;
    }

    @Test
    void writesContinuousCountersPcrAndPsiBeforeEveryKeyframe() throws IOException {
        ByteBuf file = TsTestSupport.resource("h264_aac.ts");
        ByteBuf ts = null;
        try (TsTestSupport.Demuxed d = TsTestSupport.demux(file)) {
            List<MediaFrame> frames = TsRoundTripTest.inDtsOrder(d.frames);
            ts = TsTestSupport.mux(TsTestSupport.programOf(d.tracks), frames);
            List<Packet> packets = packets(ts);
            int[] lastCc = new int[8192];
            java.util.Arrays.fill(lastCc, -1);
            for (Packet p : packets) {
                assertTrue(p.pid == 0 || p.pid == 0x1000 || p.pid == 0x100 || p.pid == 0x101, "PID " + p.pid);
                assertTrue(p.hasPayload, "every packet carries payload");
                if (lastCc[p.pid] >= 0) {
                    assertEquals((lastCc[p.pid] + 1) & 15, p.cc, "continuity of PID " + p.pid + " at " + p.index);
                }
                lastCc[p.pid] = p.cc;
            }
            List<Packet> videoStarts = packets.stream().filter(p -> p.pid == 0x100 && p.unitStart).toList();
            assertEquals(50, videoStarts.size());
            assertEquals(88, packets.stream().filter(p -> p.pid == 0x101 && p.unitStart).count());
            List<MediaFrame> video = d.frames(TrackKind.VIDEO);
            for (int i = 0; i < videoStarts.size(); i++) {
                Packet p = videoStarts.get(i);
                assertEquals(video.get(i).dts(), p.pcr, "PCR = DTS on every video PES start");
                assertEquals(video.get(i).isKeyframe(), p.randomAccess(), "random_access_indicator " + i);
                if (video.get(i).isKeyframe()) {
                    assertEquals(0, packets.get(p.index - 2).pid, "PAT before keyframe " + i);
                    assertEquals(0x1000, packets.get(p.index - 1).pid, "PMT before keyframe " + i);
                }
            }
            assertTrue(packets.stream().filter(p -> p.pid == 0x101 && p.unitStart).allMatch(Packet::randomAccess),
                    "every audio frame is a random access point");
            // 2 s of media: keyframes at 0 and 1 s, plus the periodic 100 ms repetition.
            long pats = packets.stream().filter(p -> p.pid == 0).count();
            assertTrue(pats >= 19 && pats <= 22, "PAT count " + pats);
        } finally {
            file.release();
            if (ts != null) {
                ts.release();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h264_aac.ts", "hevc_opus.ts"})
    void insertsParameterSetsFromTheConfigBeforeRandomAccessPoints(String name) throws IOException {
        ByteBuf file = TsTestSupport.resource(name);
        List<MediaFrame> stripped = new ArrayList<>();
        ByteBuf ts = null;
        try (TsTestSupport.Demuxed d = TsTestSupport.demux(file)) {
            Track video = d.demuxer.videoTrack();
            boolean h264 = video.codec() == CodecId.H264;
            for (MediaFrame f : d.frames(TrackKind.VIDEO)) {
                ByteBuf p = f.content();
                ByteBuf without = Unpooled.buffer();
                for (int i = p.readerIndex(); i < p.writerIndex(); ) {
                    int len = p.getInt(i);
                    int type = h264 ? H264NalUnitType.of(p.getUnsignedByte(i + 4))
                            : H265NalUnitType.of(p.getUnsignedByte(i + 4));
                    boolean parameterSet = h264 ? type == H264NalUnitType.SPS || type == H264NalUnitType.PPS
                            : type >= H265NalUnitType.VPS && type <= H265NalUnitType.PPS;
                    if (!parameterSet) {
                        without.writeBytes(p, i, 4 + len);
                    }
                    i += 4 + len;
                }
                stripped.add(MediaFrame.of(video, f.dts(), f.pts(), f.isKeyframe(), without));
            }
            ts = TsTestSupport.mux(List.of(video), stripped);
            try (TsTestSupport.Demuxed again = TsTestSupport.demux(ts)) {
                assertEquals(stripped.size(), again.frames.size());
                assertArrayEquals(video.config(), again.demuxer.videoTrack().config(), "config rebuilt from in-band sets");
                assertEquals(0, again.demuxer.droppedFrames(), "the first frame already has its parameter sets");
                for (int i = 0; i < stripped.size(); i++) {
                    int extra = again.frames.get(i).content().readableBytes() - stripped.get(i).content().readableBytes();
                    assertEquals(stripped.get(i).isKeyframe(), extra > 0, "parameter sets only before keyframes: " + i);
                }
            }
        } finally {
            stripped.forEach(MediaFrame::release);
            file.release();
            if (ts != null) {
                ts.release();
            }
        }
    }

    @Test
    void putsPcrOnAudioWithoutVideoAndRepeatsPsiByTime() throws IOException {
        ByteBuf file = TsTestSupport.resource("h264_aac.ts");
        ByteBuf ts = null;
        try (TsTestSupport.Demuxed d = TsTestSupport.demux(file)) {
            ts = TsTestSupport.mux(List.of(d.demuxer.audioTrack()), d.frames(TrackKind.AUDIO));
            List<Packet> packets = packets(ts);
            assertTrue(packets.stream().filter(p -> p.pid == 0x100 && p.unitStart).allMatch(p -> p.pcr >= 0));
            long pats = packets.stream().filter(p -> p.pid == 0).count();
            // 88 frames of 23.2 ms span 2.02 s; PSI goes before the first frame at least 100 ms
            // after the last, every fifth frame (116 ms): 18 times.
            assertEquals(18, pats, "PAT count");
        } finally {
            file.release();
            if (ts != null) {
                ts.release();
            }
        }
    }

    @Test
    void startsASegmentWithPsiWithoutRepeatingIt() {
        Track video = Track.builder(CodecId.H264).timebase(Timebase.MPEG_90K).build();
        TsMuxer m = TsMuxer.of(video);
        ByteBuf out = Unpooled.buffer();
        MediaFrame key = MediaFrame.of(video, 0, 0, true, Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 2, 0x65, 1}));
        try {
            m.writePsi(out);
            m.write(key, out);
            List<Packet> packets = packets(out);
            assertEquals(List.of(0, 0x1000, 0x100), packets.stream().map(Packet::pid).toList());
            // A one-packet PES: header, AUD, start code, the 2-byte IDR NAL unit, then stuffing.
            Packet p = packets.get(2);
            int pesLength = 19 - 5 + 6 + 4 + 2; // PTS only: 14-byte header
            assertEquals(TsPacket.SIZE - pesLength, p.payloadOffset - TsPacket.SIZE * 2, "stuffed to the end");
            assertEquals(0, m.pid(video.id()) - 0x100);
        } finally {
            key.release();
            out.release();
        }
    }

    @Test
    void rejectsWhatItCannotWriteAndWritesNothingThen() {
        Track video = Track.builder(CodecId.H264).timebase(Timebase.MPEG_90K).build();
        TsMuxer m = TsMuxer.of(video);
        ByteBuf out = Unpooled.buffer();
        MediaFrame bad = MediaFrame.of(video, 0, 0, true, Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 9, 0x65}));
        Track other = Track.builder(CodecId.H264).id(7).timebase(Timebase.MPEG_90K).build();
        MediaFrame stranger = MediaFrame.of(other, 0, 0, true, Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 1, 0x65}));
        try {
            assertThrows(MalformedMediaException.class, () -> m.write(bad, out));
            assertThrows(IllegalArgumentException.class, () -> m.write(stranger, out));
            assertEquals(0, out.readableBytes());
            assertThrows(IllegalArgumentException.class, () -> TsMuxer.of(Track.builder(CodecId.AV1).build()));
            assertThrows(IllegalArgumentException.class, () -> TsMuxer.of(Track.builder(CodecId.AAC).build()),
                    "AAC needs its AudioSpecificConfig");
        } finally {
            bad.release();
            stranger.release();
            out.release();
        }
    }

    @Test
    void chunksPacketsIntoDatagramsOfSeven() {
        TsChunker chunker = new TsChunker(TsTestSupport.ALLOC);
        assertEquals(1316, chunker.chunkSize());
        List<ByteBuf> out = new ArrayList<>();
        ByteBuf ten = Unpooled.buffer().writeZero(10 * TsPacket.SIZE);
        ByteBuf five = Unpooled.buffer().writeZero(5 * TsPacket.SIZE);
        try {
            chunker.add(ten, out);
            assertEquals(1, out.size(), "7 of 10 packets, 3 wait");
            chunker.add(five, out);
            assertEquals(2, out.size(), "3 + 4 packets, 1 waits");
            out.forEach(b -> assertEquals(1316, b.readableBytes()));
            ByteBuf rest = chunker.flush();
            assertEquals(TsPacket.SIZE, rest.readableBytes());
            rest.release();
            assertNull(chunker.flush());
            assertThrows(IllegalArgumentException.class, () -> chunker.add(Unpooled.buffer(0).writeZero(100), out));
            chunker.add(Unpooled.wrappedBuffer(new byte[TsPacket.SIZE]), out);
        } finally {
            chunker.close();
            out.forEach(ByteBuf::release);
            ten.release();
            five.release();
        }
    }

    @Test
    void addAndFlushSendsEveryPacketAtOnceAsSlicesWhenNothingWaits() {
        TsChunker chunker = new TsChunker(TsTestSupport.ALLOC);
        List<ByteBuf> out = new ArrayList<>();
        ByteBuf ten = Unpooled.buffer().writeZero(10 * TsPacket.SIZE);
        ByteBuf three = Unpooled.buffer().writeZero(3 * TsPacket.SIZE);
        ByteBuf five = Unpooled.buffer().writeZero(5 * TsPacket.SIZE);
        try {
            chunker.addAndFlush(ten, out);
            assertEquals(List.of(1316, 3 * TsPacket.SIZE), out.stream().map(ByteBuf::readableBytes).toList());
            out.forEach(b -> assertTrue(b.unwrap() != null, "a slice of the input, not a copy"));
            assertNull(chunker.flush(), "nothing waits");
            chunker.add(three, out);
            chunker.addAndFlush(five, out);
            assertEquals(List.of(1316, 3 * TsPacket.SIZE, 1316, TsPacket.SIZE),
                    out.stream().map(ByteBuf::readableBytes).toList(), "3 waiting + 4, then the last one");
            assertNull(chunker.flush());
        } finally {
            chunker.close();
            out.forEach(ByteBuf::release);
            ten.release();
            three.release();
            five.release();
        }
    }
}
