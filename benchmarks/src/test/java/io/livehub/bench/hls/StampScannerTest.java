package io.livehub.bench.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.livehub.bench.load.SeiTimestamp;
import java.io.ByteArrayOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Finds SEI stamps in fMP4-like bytes and in MPEG-TS packets that split a stamp. */
class StampScannerTest {

    @Test
    void findsStampsAmongOtherBytes() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[] {0, 0, 0, 9, 'm', 'o', 'o', 'f', 1});
        b.writeBytes(SeiTimestamp.encode(41, 1_767_322_800_123_456L));
        b.writeBytes(new byte[] {0, 0, 0, 2, 0x65, 0x10});
        b.writeBytes(SeiTimestamp.encode(42, 1_767_322_800_163_456L));
        assertEquals(List.of(new StampScanner.Stamp(41, 1_767_322_800_123_456L),
                new StampScanner.Stamp(42, 1_767_322_800_163_456L)), StampScanner.scan(b.toByteArray()));
    }

    @Test
    void joinsTsPayloadsPerPid() {
        byte[] sei = SeiTimestamp.encode(7, 1_700_000_000_000_001L);
        byte[] ts = new byte[188 * 3];
        // Packet 1, PID 256: payload only, the stamp's first 20 bytes at its end.
        packet(ts, 0, 256, false);
        System.arraycopy(sei, 0, ts, 188 - 20, 20);
        // Packet 2, PID 257 (audio) in between.
        packet(ts, 188, 257, false);
        // Packet 3, PID 256 with an adaptation field of 10 bytes, then the rest of the stamp.
        packet(ts, 376, 256, true);
        ts[376 + 4] = 10;
        System.arraycopy(sei, 20, ts, 376 + 4 + 11, sei.length - 20);
        assertEquals(List.of(new StampScanner.Stamp(7, 1_700_000_000_000_001L)), StampScanner.scan(ts));
    }

    private static void packet(byte[] ts, int at, int pid, boolean adaptation) {
        ts[at] = 0x47;
        ts[at + 1] = (byte) (pid >> 8);
        ts[at + 2] = (byte) pid;
        ts[at + 3] = (byte) (adaptation ? 0x30 : 0x10);
    }
}
