package io.livehub.ts;

/**
 * Names the fixed numbers of the transport packet (ITU-T H.222.0 §2.4.3.2, Table 2-2, and
 * the PID assignments of Table 2-3) shared by the muxer and the demuxer.
 */
public final class TsPacket {

    /** Every transport packet is 188 bytes. */
    public static final int SIZE = 188;
    /** {@code sync_byte}, the first byte of every packet. */
    public static final int SYNC_BYTE = 0x47;
    /** Bytes of the packet header before the adaptation field or payload. */
    public static final int HEADER_SIZE = 4;
    /** Bytes after the header: adaptation field plus payload. */
    public static final int BODY_SIZE = SIZE - HEADER_SIZE;
    /** The PID of the program association table. */
    public static final int PAT_PID = 0x0000;
    /** The PID of null packets, which carry nothing. */
    public static final int NULL_PID = 0x1FFF;
    /** The largest PID: PIDs are 13 bits. */
    public static final int MAX_PID = 0x1FFF;
    /** The payload of seven packets, 1316 bytes: what fits a 1500-byte MTU over UDP or SRT. */
    public static final int CHUNK_SIZE = 7 * SIZE;

    private TsPacket() {
    }
}
