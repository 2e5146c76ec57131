package io.livehub.ts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.media.TrackKind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Damaged input: the demuxer counts what it drops, resynchronises, never throws and never
 * leaks (every test releases what it gets; the leak extension checks).
 */
class TsDemuxerRobustnessTest {

    private static final int VIDEO = 50;
    private static final int AUDIO = 88;

    @Test
    void survivesTruncationAnywhere() throws IOException {
        ByteBuf file = TsTestSupport.resource("h264_aac.ts");
        try {
            for (int len = 0; len < file.readableBytes(); len += 997) {
                ByteBuf part = file.retainedSlice(0, len);
                try (TsTestSupport.Demuxed d = TsTestSupport.demux(part)) {
                    assertTrue(d.frames.size() <= VIDEO + AUDIO);
                } finally {
                    part.release();
                }
            }
        } finally {
            file.release();
        }
    }

    @Test
    void resynchronisesAfterGarbageBetweenPackets() throws IOException {
        ByteBuf file = TsTestSupport.resource("h264_aac.ts");
        ByteBuf damaged = Unpooled.buffer();
        Random random = new Random(42);
        long garbage = 0;
        try {
            for (int i = 0; i < file.readableBytes(); i += TsPacket.SIZE) {
                if (i % (10 * TsPacket.SIZE) == 0) {
                    int n = 1 + random.nextInt(300);
                    for (int k = 0; k < n; k++) {
                        int b = random.nextInt(256);
                        damaged.writeByte(b == 0x47 ? 0x48 : b); // the confirmation rule is tested below
                    }
                    garbage += n;
                }
                damaged.writeBytes(file, i, TsPacket.SIZE);
            }
            try (TsTestSupport.Demuxed d = TsTestSupport.demux(damaged, 1316, TsDemuxerConfig.defaults())) {
                assertEquals(garbage, d.demuxer.skippedBytes());
                assertEquals(VIDEO, d.frames(TrackKind.VIDEO).size(), "no packet was lost");
                assertEquals(AUDIO, d.frames(TrackKind.AUDIO).size());
            }
        } finally {
            file.release();
            damaged.release();
        }
    }

    @Test
    void aFalseSyncByteInGarbageIsNotTakenForAPacket() throws IOException {
        ByteBuf file = TsTestSupport.resource("h264_aac.ts");
        ByteBuf damaged = Unpooled.buffer();
        try {
            damaged.writeBytes(new byte[] {0x47, 1, 2, 0x47, 0x47, 9}); // sync bytes not followed by one 188 later
            damaged.writeBytes(file, file.readerIndex(), file.readableBytes());
            try (TsTestSupport.Demuxed d = TsTestSupport.demux(damaged, 188, TsDemuxerConfig.defaults())) {
                assertEquals(6, d.demuxer.skippedBytes());
                assertEquals(VIDEO + AUDIO, d.frames.size());
            }
        } finally {
            file.release();
            damaged.release();
        }
    }

    @Test
    void dropsThePesThatLostAPacketAndCountsIt() throws IOException {
        ByteBuf file = TsTestSupport.resource("h264_aac.ts");
        ByteBuf damaged = Unpooled.buffer();
        try {
            // Drop the second packet of the first video PES (PID 0x100, no unit start).
            int dropped = -1;
            boolean seenStart = false;
            for (int i = 0; i < file.readableBytes(); i += TsPacket.SIZE) {
                int pid = (file.getUnsignedByte(i + 1) & 0x1F) << 8 | file.getUnsignedByte(i + 2);
                boolean start = (file.getUnsignedByte(i + 1) & 0x40) != 0;
                if (pid == 0x100 && dropped < 0) {
                    if (seenStart && !start) {
                        dropped = i;
                        continue;
                    }
                    seenStart |= start;
                }
                damaged.writeBytes(file, i, TsPacket.SIZE);
            }
            try (TsTestSupport.Demuxed d = TsTestSupport.demux(damaged)) {
                assertEquals(1, d.demuxer.continuityErrors());
                assertEquals(1, d.demuxer.droppedPes());
                // The first frame carried the parameter sets, so the rest of its GOP has no track.
                assertEquals(0, d.frames(TrackKind.VIDEO).stream().filter(f -> f.dts() < 126000 + 90000).count());
                assertEquals(VIDEO - 25, d.frames(TrackKind.VIDEO).size());
                assertEquals(24, d.demuxer.droppedFrames());
                assertEquals(AUDIO, d.frames(TrackKind.AUDIO).size());
            }
        } finally {
            file.release();
            damaged.release();
        }
    }

    @Test
    void dropsPacketsMarkedWithTransportErrors() throws IOException {
        ByteBuf file = TsTestSupport.resource("h264_aac.ts");
        ByteBuf damaged = file.copy();
        try {
            // Mark every packet of the audio PID 0x101 that starts a PES as damaged.
            int marked = 0;
            for (int i = 0; i < damaged.readableBytes(); i += TsPacket.SIZE) {
                if (damaged.getUnsignedByte(i + 1) == 0x41 && damaged.getUnsignedByte(i + 2) == 0x01) {
                    damaged.setByte(i + 1, 0xC1);
                    marked++;
                }
            }
            try (TsTestSupport.Demuxed d = TsTestSupport.demux(damaged)) {
                assertEquals(marked, d.demuxer.transportErrors());
                assertEquals(0, d.frames(TrackKind.AUDIO).size());
                assertEquals(VIDEO, d.frames(TrackKind.VIDEO).size());
            }
        } finally {
            file.release();
            damaged.release();
        }
    }

    @Test
    void dropsPesPacketsOverTheSizeLimit() throws IOException {
        ByteBuf file = TsTestSupport.resource("h264_aac.ts");
        try (TsTestSupport.Demuxed d = TsTestSupport.demux(file, file.readableBytes(),
                TsDemuxerConfig.builder().maxPesSize(2048).build())) {
            assertTrue(d.demuxer.droppedPes() > 0);
            assertEquals(AUDIO, d.frames(TrackKind.AUDIO).size(), "ffmpeg's audio PES (about 15 ADTS frames) stay below 2 KiB; two video frames are bigger");
            assertTrue(d.frames(TrackKind.VIDEO).size() < VIDEO);
        } finally {
            file.release();
        }
    }

    @Test
    void survivesRandomBytesAndBitFlips() throws IOException {
        Random random = new Random(7);
        for (int round = 0; round < 50; round++) {
            byte[] noise = new byte[random.nextInt(20 * TsPacket.SIZE)];
            random.nextBytes(noise);
            for (int i = 0; i < noise.length; i += TsPacket.SIZE) {
                if (random.nextBoolean()) {
                    noise[i] = 0x47; // so that the noise parses as packets
                }
            }
            ByteBuf b = Unpooled.wrappedBuffer(noise);
            try (TsTestSupport.Demuxed d = TsTestSupport.demux(b, 1 + random.nextInt(400), TsDemuxerConfig.defaults())) {
                assertTrue(d.frames.size() >= 0);
            } finally {
                b.release();
            }
        }
        for (String name : new String[] {"h264_aac.ts", "hevc_opus.ts"}) {
            ByteBuf file = TsTestSupport.resource(name);
            try {
                for (int round = 0; round < 20; round++) {
                    ByteBuf damaged = file.copy();
                    for (int k = 0; k < 30; k++) {
                        int i = random.nextInt(damaged.readableBytes());
                        damaged.setByte(i, damaged.getByte(i) ^ (1 << random.nextInt(8)));
                    }
                    try (TsTestSupport.Demuxed d = TsTestSupport.demux(damaged, 1316, TsDemuxerConfig.defaults())) {
                        assertTrue(d.frames.size() <= 200);
                    } finally {
                        damaged.release();
                    }
                }
            } finally {
                file.release();
            }
        }
    }
}
