package io.livehub.webrtc.rtp;

import io.netty.buffer.ByteBuf;

/**
 * What a receiver reports about one incoming SSRC (RFC 3550 section 6.4.1 and appendix A):
 * the extended highest sequence number, cumulative and interval loss, interarrival jitter,
 * and the timing of the sender's last report, written as a report block.
 *
 * <p>Thread-safety: not thread-safe; used on the receiving session's executor.
 */
public final class ReceptionStatistics {

    private final int clockRate;
    private int ssrc;
    private boolean started;
    private int baseSeq;
    private int maxSeq;
    private long cycles;
    private long received;
    private long expectedPrior;
    private long receivedPrior;
    private long lastTransit = Long.MIN_VALUE;
    private double jitter;
    private long lastSenderReport;
    private long lastSenderReportNanos;

    /** @param clockRate the RTP clock of the stream (90,000 for video, 48,000 for Opus) */
    public ReceptionStatistics(int clockRate) {
        this.clockRate = clockRate;
    }

    /** Returns whether a packet was received, so that a block can be written. */
    public boolean started() {
        return started;
    }

    public int ssrc() {
        return ssrc;
    }

    /** Counts a packet (appendix A.1 and A.8). */
    public void packet(int packetSsrc, int seq, long rtpTimestamp, long arrivalNanos) {
        if (!started || packetSsrc != ssrc) {
            started = true;
            ssrc = packetSsrc;
            baseSeq = seq;
            maxSeq = seq;
            cycles = 0;
            received = 0;
            expectedPrior = 0;
            receivedPrior = 0;
            lastTransit = Long.MIN_VALUE;
            jitter = 0;
        }
        int delta = (seq - maxSeq) & 0xFFFF;
        if (delta != 0 && delta < 0x8000) {
            if (seq < maxSeq) {
                cycles += 0x10000;
            }
            maxSeq = seq;
        }
        received++;
        long arrival = arrivalNanos / 1000 * clockRate / 1_000_000;
        long transit = arrival - rtpTimestamp;
        if (lastTransit != Long.MIN_VALUE) {
            long d = Math.abs(transit - lastTransit);
            jitter += (d - jitter) / 16.0;
        }
        lastTransit = transit;
    }

    /** Notes the sender's report: the middle 32 bits of its NTP time and when it came. */
    public void senderReport(long ntp, long arrivalNanos) {
        lastSenderReport = (ntp >>> 16) & 0xFFFFFFFFL;
        lastSenderReportNanos = arrivalNanos;
    }

    /** Appends this SSRC's 24-byte report block and starts the next interval. */
    public void writeBlock(ByteBuf out, long nowNanos) {
        long extendedMax = cycles + maxSeq;
        long expected = extendedMax - baseSeq + 1;
        long lost = Math.max(-0x800000, Math.min(0x7FFFFF, expected - received));
        long expectedInterval = expected - expectedPrior;
        long receivedInterval = received - receivedPrior;
        expectedPrior = expected;
        receivedPrior = received;
        long lostInterval = expectedInterval - receivedInterval;
        int fraction = expectedInterval == 0 || lostInterval <= 0 ? 0 : (int) ((lostInterval << 8) / expectedInterval);
        out.writeInt(ssrc);
        out.writeByte(Math.min(fraction, 255));
        out.writeMedium((int) lost);
        out.writeInt((int) extendedMax);
        out.writeInt((int) jitter);
        out.writeInt((int) lastSenderReport);
        long dlsr = lastSenderReport == 0 ? 0 : (nowNanos - lastSenderReportNanos) * 65536 / 1_000_000_000L;
        out.writeInt((int) dlsr);
    }
}
