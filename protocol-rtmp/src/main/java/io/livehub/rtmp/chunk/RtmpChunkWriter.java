package io.livehub.rtmp.chunk;

import io.livehub.rtmp.message.RtmpMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Turns one message into a self-contained chunk run (RTMP spec §5.3): a type 0 header on the
 * first chunk, type 3 headers on the continuations, and the extended timestamp (§5.3.1.3)
 * repeated on every continuation when the timestamp needs it.
 *
 * <p>The run depends only on the chunk size, the chunk stream id and the message fields, not on
 * anything a connection sent before, so a server builds it once per media message and writes the
 * same bytes to every player whose outgoing chunk size matches: see
 * {@link RtmpChunkEncoder}, which passes such runs through untouched.
 *
 * <p>Thread-safety: stateless, safe from any thread.
 */
public final class RtmpChunkWriter {

    /** The 24-bit timestamp value that announces an extended timestamp (RTMP spec §5.3.1.3). */
    static final int EXTENDED_TIMESTAMP_MARKER = 0xFFFFFF;

    private RtmpChunkWriter() {
    }

    /**
     * Returns the bytes a full-header chunk run of a message takes.
     *
     * @param payloadLength the message length
     * @param chunkStreamId 2..65599
     * @param timestamp 0..2^32-1
     * @param chunkSize the outgoing chunk size, at least 1
     */
    public static int runLength(int payloadLength, int chunkStreamId, long timestamp, int chunkSize) {
        int chunks = payloadLength == 0 ? 1 : (payloadLength + chunkSize - 1) / chunkSize;
        int basic = basicHeaderLength(chunkStreamId);
        int ext = timestamp >= EXTENDED_TIMESTAMP_MARKER ? 4 : 0;
        return basic + 11 + ext + (chunks - 1) * (basic + ext) + payloadLength;
    }

    /**
     * Returns a new buffer holding the full-header chunk run of a message.
     *
     * <p>Ownership: {@code payload} is borrowed and its indexes do not move; the caller owns the
     * returned buffer. To share it among connections, hand each a {@code retainedDuplicate()}.
     *
     * @param chunkStreamId 2..65599
     * @param chunkSize the outgoing chunk size of the connections that will receive the run
     */
    public static ByteBuf encode(ByteBufAllocator alloc, int typeId, int messageStreamId, long timestamp,
            ByteBuf payload, int chunkStreamId, int chunkSize) {
        ByteBuf out = alloc.ioBuffer(runLength(payload.readableBytes(), chunkStreamId, timestamp, chunkSize));
        try {
            write(out, typeId, messageStreamId, timestamp, payload, chunkStreamId, chunkSize);
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
        return out;
    }

    /**
     * Returns a new buffer holding the full-header chunk run of {@code message}, on the message's
     * chunk stream id, or the one {@link RtmpChunkStreamIds#forType} picks for {@link RtmpMessage#CSID_AUTO}.
     *
     * <p>Ownership: {@code message} is borrowed (the caller still releases it); the caller owns
     * the returned buffer.
     */
    public static ByteBuf encode(ByteBufAllocator alloc, RtmpMessage message, int chunkSize) {
        return encode(alloc, message.typeId(), message.messageStreamId(), message.timestamp(), message.content(),
                chunkStreamId(message), chunkSize);
    }

    /**
     * Appends the full-header chunk run of a message to {@code out}.
     *
     * <p>Ownership: {@code out} and {@code payload} are borrowed; {@code payload}'s indexes do not
     * move.
     */
    public static void write(ByteBuf out, int typeId, int messageStreamId, long timestamp, ByteBuf payload,
            int chunkStreamId, int chunkSize) {
        writeRun(out, 0, typeId, messageStreamId, timestamp, payload, chunkStreamId, chunkSize);
    }

    /** Returns the message's chunk stream id, choosing one by type for {@link RtmpMessage#CSID_AUTO}. */
    static int chunkStreamId(RtmpMessage message) {
        int csid = message.chunkStreamId();
        return csid != RtmpMessage.CSID_AUTO ? csid : RtmpChunkStreamIds.forType(message.typeId(), message.messageStreamId());
    }

    /**
     * Appends a chunk run whose first header has format {@code fmt} (0, 1 or 2) and carries
     * {@code timestampField}: the absolute timestamp for type 0, the delta for types 1 and 2.
     */
    static void writeRun(ByteBuf out, int fmt, int typeId, int messageStreamId, long timestampField,
            ByteBuf payload, int chunkStreamId, int chunkSize) {
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunk size must be positive: " + chunkSize);
        }
        if (timestampField < 0 || timestampField > RtmpMessage.TIMESTAMP_MAX) {
            throw new IllegalArgumentException("timestamp out of 32-bit range: " + timestampField);
        }
        int length = payload.readableBytes();
        if (length > 0xFFFFFF) {
            throw new IllegalArgumentException("message of " + length + " bytes exceeds the 24-bit length field");
        }
        boolean extended = timestampField >= EXTENDED_TIMESTAMP_MARKER;
        writeBasicHeader(out, fmt, chunkStreamId);
        out.writeMedium(extended ? EXTENDED_TIMESTAMP_MARKER : (int) timestampField);
        if (fmt <= 1) {
            out.writeMedium(length);
            out.writeByte(typeId);
        }
        if (fmt == 0) {
            out.writeIntLE(messageStreamId);
        }
        if (extended) {
            out.writeInt((int) timestampField);
        }
        int at = payload.readerIndex();
        int first = Math.min(length, chunkSize);
        out.writeBytes(payload, at, first);
        for (int done = first; done < length; done += chunkSize) {
            writeBasicHeader(out, 3, chunkStreamId);
            if (extended) {
                out.writeInt((int) timestampField);
            }
            out.writeBytes(payload, at + done, Math.min(chunkSize, length - done));
        }
    }

    static int basicHeaderLength(int chunkStreamId) {
        checkChunkStreamId(chunkStreamId);
        return chunkStreamId < 64 ? 1 : chunkStreamId < 320 ? 2 : 3;
    }

    static void writeBasicHeader(ByteBuf out, int fmt, int chunkStreamId) {
        checkChunkStreamId(chunkStreamId);
        if (chunkStreamId < 64) {
            out.writeByte(fmt << 6 | chunkStreamId);
        } else if (chunkStreamId < 320) {
            out.writeByte(fmt << 6);
            out.writeByte(chunkStreamId - 64);
        } else {
            int id = chunkStreamId - 64;
            out.writeByte(fmt << 6 | 1);
            out.writeByte(id & 0xFF);
            out.writeByte(id >>> 8);
        }
    }

    private static void checkChunkStreamId(int chunkStreamId) {
        if (chunkStreamId < 2 || chunkStreamId > RtmpMessage.CSID_MAX) {
            throw new IllegalArgumentException("chunk stream id out of range 2.." + RtmpMessage.CSID_MAX + ": " + chunkStreamId);
        }
    }
}
