package io.livehub.webrtc.rtp;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.livehub.media.MalformedMediaException;
import io.netty.buffer.Unpooled;

/**
 * Fuzzes what this module reads of a peer's RTP and RTCP: {@link RtcpParser} on whole
 * datagrams (only {@link MalformedMediaException} may escape, NACKs stay under the cap) and
 * {@link H264Depacketizer} on packet sequences (nothing escapes; access units are whole
 * length-prefixed NAL units under the size limit).
 *
 * <p>An {@code h264} input is a run of records {@code [u16 seq][u8 flags][u8 length][payload]},
 * flag bit 7 being the marker and bits 0-6 the timestamp step. Seeds live in
 * {@code RtpFuzzTestInputs/<method>/} and run as regression tests in a plain {@code mvn test};
 * set {@code JAZZER_FUZZ=1} to fuzz.
 */
class RtpFuzzTest {

    private static final int MAX_NACKS = 64;
    private static final int MAX_AU = 4096;

    @FuzzTest(maxDuration = "60s")
    void rtcp(byte[] datagram) {
        try {
            new RtcpParser(MAX_NACKS).parse(Unpooled.wrappedBuffer(datagram), new RtcpListener() {
                @Override
                public void onNack(int mediaSsrc, int[] lost, int count) {
                    if (count < 1 || count > MAX_NACKS) {
                        throw new AssertionError("NACK with " + count + " sequences");
                    }
                }
            });
        } catch (MalformedMediaException expected) {
            // refused as a whole
        }
    }

    @FuzzTest(maxDuration = "60s")
    void h264(byte[] records) {
        H264Depacketizer d = new H264Depacketizer(MAX_AU, (au, ts, key) -> {
            if (au.length > MAX_AU) {
                throw new AssertionError("access unit of " + au.length + " bytes over the limit");
            }
            int i = 0;
            while (i < au.length) {
                if (i + 4 > au.length) {
                    throw new AssertionError("cut length prefix");
                }
                int n = ((au[i] & 0xFF) << 24) | ((au[i + 1] & 0xFF) << 16) | ((au[i + 2] & 0xFF) << 8) | (au[i + 3] & 0xFF);
                if (n <= 0 || i + 4 + n > au.length) {
                    throw new AssertionError("NAL unit length " + n + " at " + i + " of " + au.length);
                }
                i += 4 + n;
            }
        });
        long ts = 0;
        int i = 0;
        while (i + 4 <= records.length) {
            int seq = ((records[i] & 0xFF) << 8) | (records[i + 1] & 0xFF);
            int flags = records[i + 2] & 0xFF;
            int len = Math.min(records[i + 3] & 0xFF, records.length - i - 4);
            ts += flags & 0x7F;
            d.packet(seq, ts, (flags & 0x80) != 0, records, i + 4, len);
            i += 4 + len;
        }
    }
}
