package io.livehub.webrtc.rtp;

import io.netty.buffer.ByteBuf;

/**
 * The shared, per-stream form of one frame's RTP payloads: a run of entries
 * {@code [u16 length][u8 flags][payload]}, where flag bit 0 is the RTP marker. Every viewer
 * reads the same run and adds only its own 12-byte header (sequence number, timestamp,
 * SSRC, payload type), so a frame is packetized once per stream, not once per viewer.
 *
 * <p>Thread-safety: stateless; a run is read-only once built. Ownership: readers borrow it.
 */
public final class RtpPayloadRun {

    /** Flag bit: the RTP marker (the last packet of an access unit, RFC 6184 section 5.1). */
    public static final int MARKER = 1;

    private RtpPayloadRun() {
    }

    /** Receives one entry of a run. */
    @FunctionalInterface
    public interface Visitor {
        /**
         * @param run    the run, borrowed; read {@code [offset, offset+length)} with absolute indexes
         * @param marker whether this payload ends the access unit
         */
        void payload(ByteBuf run, int offset, int length, boolean marker);
    }

    /** Appends an entry's header; the caller writes {@code length} payload bytes after it. */
    public static void writeHeader(ByteBuf run, int length, boolean marker) {
        run.writeShort(length);
        run.writeByte(marker ? MARKER : 0);
    }

    /** Visits every entry of {@code run} from its reader index, without moving it. */
    public static void forEach(ByteBuf run, Visitor visitor) {
        int i = run.readerIndex();
        int end = run.writerIndex();
        while (i + 3 <= end) {
            int len = run.getUnsignedShort(i);
            boolean marker = (run.getByte(i + 2) & MARKER) != 0;
            visitor.payload(run, i + 3, len, marker);
            i += 3 + len;
        }
    }

    /** Returns the number of entries in {@code run}. */
    public static int count(ByteBuf run) {
        int n = 0;
        int i = run.readerIndex();
        while (i + 3 <= run.writerIndex()) {
            i += 3 + run.getUnsignedShort(i);
            n++;
        }
        return n;
    }
}
