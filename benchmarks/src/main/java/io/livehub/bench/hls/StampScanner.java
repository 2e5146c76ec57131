package io.livehub.bench.hls;

import io.livehub.bench.load.SeiTimestamp;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the latency probe's SEI stamps ({@link SeiTimestamp}: UUID {@code LivehubLatencyT1},
 * text {@code sequence:epochMicros}) in HLS media bytes: fMP4 segments and parts, whose samples
 * hold the NAL units as they are, and MPEG-TS, whose PES payloads are first put back together
 * per PID (a stamp may straddle two 188-byte packets).
 *
 * <p>Thread-safety: stateless.
 */
public final class StampScanner {

    private static final byte[] UUID = "LivehubLatencyT1".getBytes(StandardCharsets.US_ASCII);
    private static final int TS_PACKET = 188;

    private StampScanner() {
    }

    /** A stamp: the probe's frame sequence number and its send time. */
    public record Stamp(long sequence, long epochMicros) {
    }

    /** Returns the stamps in {@code bytes}, MPEG-TS when it starts with a sync byte every 188 bytes. */
    public static List<Stamp> scan(byte[] bytes) {
        return isTs(bytes) ? scan(tsPayloads(bytes)) : scanRaw(bytes);
    }

    private static List<Stamp> scan(List<byte[]> chunks) {
        List<Stamp> all = new ArrayList<>();
        for (byte[] c : chunks) {
            all.addAll(scanRaw(c));
        }
        return all;
    }

    /** Returns the stamps found anywhere in {@code b}. */
    static List<Stamp> scanRaw(byte[] b) {
        List<Stamp> out = new ArrayList<>();
        outer:
        for (int i = 0; i + UUID.length < b.length; i++) {
            for (int k = 0; k < UUID.length; k++) {
                if (b[i + k] != UUID[k]) {
                    continue outer;
                }
            }
            int at = i + UUID.length;
            long seq = 0;
            int digits = 0;
            while (at < b.length && b[at] >= '0' && b[at] <= '9' && digits < 18) {
                seq = seq * 10 + (b[at++] - '0');
                digits++;
            }
            if (digits == 0 || at >= b.length || b[at] != ':') {
                continue;
            }
            at++;
            long micros = 0;
            digits = 0;
            while (at < b.length && b[at] >= '0' && b[at] <= '9' && digits < 18) {
                micros = micros * 10 + (b[at++] - '0');
                digits++;
            }
            if (digits > 0) {
                out.add(new Stamp(seq, micros));
                i = at;
            }
        }
        return out;
    }

    static boolean isTs(byte[] b) {
        if (b.length < TS_PACKET || b.length % TS_PACKET != 0) {
            return false;
        }
        for (int i = 0; i < b.length; i += TS_PACKET) {
            if (b[i] != 0x47) {
                return false;
            }
        }
        return true;
    }

    /** Returns the concatenated payloads of each PID (ISO/IEC 13818-1 §2.4.3.2). */
    static List<byte[]> tsPayloads(byte[] b) {
        Map<Integer, ByteArrayOutputStream> byPid = new HashMap<>();
        for (int i = 0; i + TS_PACKET <= b.length; i += TS_PACKET) {
            int pid = ((b[i + 1] & 0x1F) << 8) | (b[i + 2] & 0xFF);
            int control = (b[i + 3] >> 4) & 0x3;
            int start = i + 4;
            if (control == 2 || control == 0) {
                continue; // adaptation field only, or reserved
            }
            if (control == 3) {
                start += 1 + (b[i + 4] & 0xFF);
            }
            if (start < i + TS_PACKET) {
                byPid.computeIfAbsent(pid, p -> new ByteArrayOutputStream()).write(b, start, i + TS_PACKET - start);
            }
        }
        List<byte[]> out = new ArrayList<>();
        for (ByteArrayOutputStream s : byPid.values()) {
            out.add(s.toByteArray());
        }
        return out;
    }
}
