package io.livehub.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

/** Counts TS packets as {@link SrtLoadPlayer} does, on hand-made packets. */
class SrtLoadPlayerTest {

    /** Makes a 188-byte TS packet: PUSI, an adaptation field with the random access bit when asked, then a PES start. */
    static byte[] pesStart(int pid, int streamId, boolean randomAccess, long dts) {
        byte[] p = new byte[188];
        p[0] = 0x47;
        p[1] = (byte) (0x40 | pid >> 8); // PUSI
        p[2] = (byte) pid;
        int at = 4;
        if (randomAccess) {
            p[3] = 0x30; // adaptation field and payload
            p[4] = 1; // adaptation field length
            p[5] = 0x40; // random_access_indicator
            at = 6;
        } else {
            p[3] = 0x10; // payload only
        }
        p[at + 2] = 1; // 00 00 01
        p[at + 3] = (byte) streamId;
        p[at + 6] = (byte) 0x80;
        p[at + 7] = (byte) 0xC0; // PTS and DTS
        p[at + 8] = 10;
        writeTimestamp(p, at + 9, dts + 3000);
        writeTimestamp(p, at + 14, dts);
        return p;
    }

    static void writeTimestamp(byte[] p, int at, long t) {
        p[at] = (byte) (0x21 | (t >> 29) & 0x0E);
        p[at + 1] = (byte) (t >> 22);
        p[at + 2] = (byte) ((t >> 14) | 1);
        p[at + 3] = (byte) (t >> 7);
        p[at + 4] = (byte) ((t << 1) | 1);
    }

    static byte[] continuation(int pid) {
        byte[] p = new byte[188];
        p[0] = 0x47;
        p[1] = (byte) (pid >> 8);
        p[2] = (byte) pid;
        p[3] = 0x10;
        return p;
    }

    static ByteBuf payload(byte[]... packets) {
        return Unpooled.wrappedBuffer(packets);
    }

    @Test
    void countsPesStartsBytesAndTimestampRegressions() {
        LoadStats stats = new LoadStats();
        SrtLoadPlayer player = new SrtLoadPlayer(stats, 1000);
        ByteBuf a = payload(pesStart(0x100, 0xE0, true, 90_000), continuation(0x100), pesStart(0x101, 0xC0, false, 0),
                continuation(0x101));
        player.onPayload(null, a);
        ByteBuf b = payload(pesStart(0x100, 0xE0, false, 93_000), pesStart(0x100, 0xE0, false, 80_000));
        player.onPayload(null, b);
        LoadStats.Snapshot s = stats.snapshot();
        assertEquals(1, s.playing());
        assertEquals(6 * 188, s.bytes());
        assertEquals(3, s.videoFrames());
        assertEquals(1, s.audioFrames());
        assertEquals(4, s.messages());
        assertEquals(0, s.nonKeyframeStarts());
        assertEquals(1, s.timestampRegressions());
        a.release();
        b.release();
    }

    @Test
    void aStreamThatDoesNotStartOnARandomAccessPointIsCounted() {
        LoadStats stats = new LoadStats();
        SrtLoadPlayer player = new SrtLoadPlayer(stats, 1000);
        ByteBuf a = payload(pesStart(0x100, 0xE0, false, 0));
        player.onPayload(null, a);
        assertEquals(1, stats.snapshot().nonKeyframeStarts());
        a.release();
    }
}
