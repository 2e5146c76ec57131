package io.livehub.rtmp.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Builds and reads the protocol control messages of RTMP spec §5.4: Set Chunk Size (1), Abort (2),
 * Acknowledgement (3), Window Acknowledgement Size (5) and Set Peer Bandwidth (6). They travel on
 * chunk stream 2 and message stream 0 with timestamp 0.
 *
 * <p>Readers use absolute indexes and leave the message's indexes alone.
 *
 * <p>Thread-safety: stateless, safe from any thread.
 */
public final class RtmpProtocolControl {

    /** Chunk stream id of protocol control and user control messages (RTMP spec §5.4). */
    public static final int CHUNK_STREAM_ID = 2;
    /** The chunk size both ends start with (RTMP spec §5.4.1). */
    public static final int DEFAULT_CHUNK_SIZE = 128;
    /** Largest chunk size the wire allows (RTMP spec §5.4.1: 31 bits). */
    public static final int MAX_CHUNK_SIZE = 0x7FFF_FFFF;
    /** Set Peer Bandwidth limit type Hard (RTMP spec §5.4.5). */
    public static final int LIMIT_HARD = 0;
    /** Set Peer Bandwidth limit type Soft (RTMP spec §5.4.5). */
    public static final int LIMIT_SOFT = 1;
    /** Set Peer Bandwidth limit type Dynamic (RTMP spec §5.4.5). */
    public static final int LIMIT_DYNAMIC = 2;

    private RtmpProtocolControl() {
    }

    /**
     * Builds Set Chunk Size (RTMP spec §5.4.1).
     *
     * <p>Ownership: the caller owns the returned message.
     *
     * @param chunkSize 1..2^31-1
     */
    public static RtmpMessage setChunkSize(ByteBufAllocator alloc, int chunkSize) {
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunk size must be in 1.." + MAX_CHUNK_SIZE + ": " + chunkSize);
        }
        return u32(alloc, RtmpMessageType.SET_CHUNK_SIZE, chunkSize);
    }

    /**
     * Builds Abort (RTMP spec §5.4.2) for the partly sent message on {@code chunkStreamId}.
     *
     * <p>Ownership: the caller owns the returned message.
     */
    public static RtmpMessage abort(ByteBufAllocator alloc, int chunkStreamId) {
        return u32(alloc, RtmpMessageType.ABORT, chunkStreamId);
    }

    /**
     * Builds Acknowledgement (RTMP spec §5.4.3) carrying the bytes received so far, modulo 2^32.
     *
     * <p>Ownership: the caller owns the returned message.
     */
    public static RtmpMessage acknowledgement(ByteBufAllocator alloc, long sequenceNumber) {
        return u32(alloc, RtmpMessageType.ACKNOWLEDGEMENT, sequenceNumber);
    }

    /**
     * Builds Window Acknowledgement Size (RTMP spec §5.4.4).
     *
     * <p>Ownership: the caller owns the returned message.
     */
    public static RtmpMessage windowAckSize(ByteBufAllocator alloc, long windowSize) {
        return u32(alloc, RtmpMessageType.WINDOW_ACK_SIZE, windowSize);
    }

    /**
     * Builds Set Peer Bandwidth (RTMP spec §5.4.5).
     *
     * <p>Ownership: the caller owns the returned message.
     *
     * @param limitType {@link #LIMIT_HARD}, {@link #LIMIT_SOFT} or {@link #LIMIT_DYNAMIC}
     */
    public static RtmpMessage setPeerBandwidth(ByteBufAllocator alloc, long windowSize, int limitType) {
        if (limitType < 0 || limitType > 2) {
            throw new IllegalArgumentException("limit type must be 0, 1 or 2: " + limitType);
        }
        ByteBuf b = alloc.buffer(5);
        b.writeInt((int) windowSize);
        b.writeByte(limitType);
        return new RtmpMessage(RtmpMessageType.SET_PEER_BANDWIDTH, 0, 0, CHUNK_STREAM_ID, b);
    }

    /**
     * Reads the chunk size of Set Chunk Size (RTMP spec §5.4.1).
     *
     * <p>Ownership: {@code message} is borrowed.
     *
     * @throws RtmpMessageException when the body is short, bit 31 is set, or the size is 0
     */
    public static int readChunkSize(RtmpMessage message) {
        long v = readU32(message, RtmpMessageType.SET_CHUNK_SIZE);
        if (v == 0 || v > MAX_CHUNK_SIZE) {
            throw new RtmpMessageException("Set Chunk Size of " + v + " is outside 1.." + MAX_CHUNK_SIZE);
        }
        return (int) v;
    }

    /**
     * Reads the chunk stream id of Abort (RTMP spec §5.4.2).
     *
     * <p>Ownership: {@code message} is borrowed.
     */
    public static long readAbortChunkStreamId(RtmpMessage message) {
        return readU32(message, RtmpMessageType.ABORT);
    }

    /**
     * Reads the sequence number of Acknowledgement (RTMP spec §5.4.3).
     *
     * <p>Ownership: {@code message} is borrowed.
     */
    public static long readAcknowledgement(RtmpMessage message) {
        return readU32(message, RtmpMessageType.ACKNOWLEDGEMENT);
    }

    /**
     * Reads the window size of Window Acknowledgement Size (RTMP spec §5.4.4) or Set Peer
     * Bandwidth (§5.4.5).
     *
     * <p>Ownership: {@code message} is borrowed.
     */
    public static long readWindowSize(RtmpMessage message) {
        if (message.typeId() == RtmpMessageType.SET_PEER_BANDWIDTH) {
            return readU32(message, RtmpMessageType.SET_PEER_BANDWIDTH);
        }
        return readU32(message, RtmpMessageType.WINDOW_ACK_SIZE);
    }

    /**
     * Reads the limit type of Set Peer Bandwidth (RTMP spec §5.4.5).
     *
     * <p>Ownership: {@code message} is borrowed.
     */
    public static int readLimitType(RtmpMessage message) {
        ByteBuf b = body(message, RtmpMessageType.SET_PEER_BANDWIDTH, 5);
        int t = b.getUnsignedByte(b.readerIndex() + 4);
        if (t > 2) {
            throw new RtmpMessageException("Set Peer Bandwidth limit type " + t + " is not 0, 1 or 2");
        }
        return t;
    }

    private static RtmpMessage u32(ByteBufAllocator alloc, int type, long value) {
        ByteBuf b = alloc.buffer(4);
        b.writeInt((int) value);
        return new RtmpMessage(type, 0, 0, CHUNK_STREAM_ID, b);
    }

    private static long readU32(RtmpMessage message, int type) {
        ByteBuf b = body(message, type, 4);
        return b.getUnsignedInt(b.readerIndex());
    }

    private static ByteBuf body(RtmpMessage message, int type, int minLength) {
        if (message.typeId() != type) {
            throw new IllegalArgumentException("expected " + RtmpMessageType.name(type) + ", got " + message);
        }
        ByteBuf b = message.content();
        if (b.readableBytes() < minLength) {
            throw new RtmpMessageException(RtmpMessageType.name(type) + " body of " + b.readableBytes()
                    + " bytes is shorter than " + minLength);
        }
        return b;
    }
}
