package io.livehub.webrtc.rtp;

import java.io.ByteArrayOutputStream;

/**
 * Reassembles H.264 access units from RTP payloads (RFC 6184, packetization mode 1: single
 * NAL units, STAP-A and FU-A) into the hub's form, 4-byte length-prefixed NAL units. An
 * access unit ends at the marker bit or when the timestamp changes.
 *
 * <p>Loss: a gap in sequence numbers, or an FU-A that does not run from its start to its end
 * bit, marks the access unit broken; a broken access unit is dropped, never passed on as
 * whole, and the loss is counted.
 *
 * <p>Limits: an access unit larger than {@code maxAccessUnitBytes} is dropped too, so a peer
 * cannot make the buffer grow without bound.
 *
 * <p>Thread-safety: not thread-safe; one per received SSRC.
 */
public final class H264Depacketizer {

    /** Receives whole access units. */
    @FunctionalInterface
    public interface Sink {
        /** @param accessUnit length-prefixed NAL units; the array is the sink's */
        void accessUnit(byte[] accessUnit, long rtpTimestamp, boolean keyframe);
    }

    private final int maxAccessUnitBytes;
    private final Sink sink;
    private final ByteArrayOutputStream au = new ByteArrayOutputStream();
    private ByteArrayOutputStream fu;
    private long timestamp = -1;
    private int lastSeq = -1;
    private boolean broken;
    private boolean keyframe;
    private long dropped;

    public H264Depacketizer(int maxAccessUnitBytes, Sink sink) {
        this.maxAccessUnitBytes = maxAccessUnitBytes;
        this.sink = sink;
    }

    /** Returns how many access units were dropped as broken or too large. */
    public long dropped() {
        return dropped;
    }

    /**
     * Takes a packet without payload (RTP padding only, which senders use to probe
     * bandwidth): it keeps the sequence numbers contiguous.
     */
    public void padding(int seq) {
        if (lastSeq >= 0 && ((lastSeq + 1) & 0xFFFF) != seq) {
            broken = true;
        }
        lastSeq = seq;
    }

    /** Takes one packet's payload {@code payload[off, off+len)}. */
    public void packet(int seq, long rtpTimestamp, boolean marker, byte[] payload, int off, int len) {
        boolean gap = lastSeq >= 0 && ((lastSeq + 1) & 0xFFFF) != seq;
        if (timestamp >= 0 && rtpTimestamp != timestamp) {
            // The previous access unit lost its marker packet, and maybe more.
            broken |= gap;
            finish();
        }
        // Whose packets a gap took cannot be known: the access unit that follows it is
        // dropped too.
        broken |= gap;
        lastSeq = seq;
        timestamp = rtpTimestamp;
        if (len < 1) {
            broken = true;
        } else {
            int type = payload[off] & 0x1F;
            if (type >= 1 && type <= 23) {
                nal(payload, off, len);
            } else if (type == H264Packetizer.STAP_A) {
                int p = off + 1;
                int end = off + len;
                while (p + 2 <= end) {
                    int n = ((payload[p] & 0xFF) << 8) | (payload[p + 1] & 0xFF);
                    if (n == 0 || p + 2 + n > end) {
                        broken = true;
                        break;
                    }
                    nal(payload, p + 2, n);
                    p += 2 + n;
                }
            } else if (type == H264Packetizer.FU_A && len >= 2) {
                int fuHeader = payload[off + 1] & 0xFF;
                boolean start = (fuHeader & 0x80) != 0;
                boolean stop = (fuHeader & 0x40) != 0;
                if (start) {
                    fu = new ByteArrayOutputStream();
                    fu.write((payload[off] & 0xE0) | (fuHeader & 0x1F));
                } else if (fu == null) {
                    broken = true;
                }
                if (fu != null) {
                    fu.write(payload, off + 2, len - 2);
                    if (fu.size() > maxAccessUnitBytes) {
                        broken = true;
                        fu = null;
                    } else if (stop) {
                        byte[] n = fu.toByteArray();
                        fu = null;
                        nal(n, 0, n.length);
                    }
                }
            } else {
                broken = true;
            }
        }
        if (marker) {
            finish();
        }
    }

    private void nal(byte[] b, int off, int len) {
        if (au.size() + 4 + len > maxAccessUnitBytes) {
            broken = true;
            return;
        }
        keyframe |= (b[off] & 0x1F) == 5;
        au.write(len >>> 24);
        au.write(len >>> 16);
        au.write(len >>> 8);
        au.write(len);
        au.write(b, off, len);
    }

    private void finish() {
        if (fu != null) {
            broken = true; // an FU-A without its end
            fu = null;
        }
        if (broken) {
            dropped++;
        } else if (au.size() > 0) {
            sink.accessUnit(au.toByteArray(), timestamp, keyframe);
        }
        au.reset();
        broken = false;
        keyframe = false;
        timestamp = -1;
    }
}
