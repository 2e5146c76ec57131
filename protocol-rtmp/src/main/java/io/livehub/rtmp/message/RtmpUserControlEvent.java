package io.livehub.rtmp.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Holds one user control event (RTMP spec §6.2 and §7.1.7): a 16-bit event type and its data.
 *
 * <p>{@code value} is the message stream id for Stream Begin, Stream EOF, Stream Dry, Set Buffer
 * Length and Stream Is Recorded, and the timestamp for Ping Request and Ping Response; for other
 * types it is the first four data bytes, or 0. {@code bufferLengthMillis} is used by Set Buffer
 * Length only.
 *
 * @param eventType the event type, 0..65535
 * @param value the message stream id or timestamp, unsigned 32 bits
 * @param bufferLengthMillis the buffer length of Set Buffer Length, unsigned 32 bits, else 0
 */
public record RtmpUserControlEvent(int eventType, long value, long bufferLengthMillis) {

    public static final int STREAM_BEGIN = 0;
    public static final int STREAM_EOF = 1;
    public static final int STREAM_DRY = 2;
    public static final int SET_BUFFER_LENGTH = 3;
    public static final int STREAM_IS_RECORDED = 4;
    public static final int PING_REQUEST = 6;
    public static final int PING_RESPONSE = 7;

    /** Makes Stream Begin (RTMP spec §7.1.7) for a message stream. */
    public static RtmpUserControlEvent streamBegin(long streamId) {
        return new RtmpUserControlEvent(STREAM_BEGIN, streamId, 0);
    }

    /** Makes Stream EOF (RTMP spec §7.1.7) for a message stream. */
    public static RtmpUserControlEvent streamEof(long streamId) {
        return new RtmpUserControlEvent(STREAM_EOF, streamId, 0);
    }

    /** Makes Stream Dry (RTMP spec §7.1.7) for a message stream. */
    public static RtmpUserControlEvent streamDry(long streamId) {
        return new RtmpUserControlEvent(STREAM_DRY, streamId, 0);
    }

    /** Makes Set Buffer Length (RTMP spec §7.1.7) for a message stream. */
    public static RtmpUserControlEvent setBufferLength(long streamId, long bufferLengthMillis) {
        return new RtmpUserControlEvent(SET_BUFFER_LENGTH, streamId, bufferLengthMillis);
    }

    /** Makes Stream Is Recorded (RTMP spec §7.1.7) for a message stream. */
    public static RtmpUserControlEvent streamIsRecorded(long streamId) {
        return new RtmpUserControlEvent(STREAM_IS_RECORDED, streamId, 0);
    }

    /** Makes Ping Request (RTMP spec §7.1.7) carrying the sender's time. */
    public static RtmpUserControlEvent pingRequest(long timestamp) {
        return new RtmpUserControlEvent(PING_REQUEST, timestamp, 0);
    }

    /** Makes Ping Response (RTMP spec §7.1.7) echoing the request's timestamp. */
    public static RtmpUserControlEvent pingResponse(long timestamp) {
        return new RtmpUserControlEvent(PING_RESPONSE, timestamp, 0);
    }

    /**
     * Reads an event from a user control message (RTMP spec §6.2).
     *
     * <p>Ownership: {@code message} is borrowed; its indexes do not move.
     *
     * @throws RtmpMessageException when the body is shorter than its event type needs
     */
    public static RtmpUserControlEvent parse(RtmpMessage message) {
        if (message.typeId() != RtmpMessageType.USER_CONTROL) {
            throw new IllegalArgumentException("not a user control message: " + message);
        }
        ByteBuf b = message.content();
        int at = b.readerIndex();
        int n = b.readableBytes();
        if (n < 2) {
            throw new RtmpMessageException("user control message of " + n + " bytes has no event type");
        }
        int type = b.getUnsignedShort(at);
        int need = switch (type) {
            case SET_BUFFER_LENGTH -> 10;
            case STREAM_BEGIN, STREAM_EOF, STREAM_DRY, STREAM_IS_RECORDED, PING_REQUEST, PING_RESPONSE -> 6;
            default -> 2;
        };
        if (n < need) {
            throw new RtmpMessageException("user control event " + type + " needs " + need + " bytes, got " + n);
        }
        long value = n >= 6 ? b.getUnsignedInt(at + 2) : 0;
        long buffer = type == SET_BUFFER_LENGTH ? b.getUnsignedInt(at + 6) : 0;
        return new RtmpUserControlEvent(type, value, buffer);
    }

    /**
     * Builds the user control message (type 4, chunk stream 2, message stream 0, RTMP spec §6.2).
     *
     * <p>Ownership: the caller owns the returned message.
     */
    public RtmpMessage toMessage(ByteBufAllocator alloc, long timestamp) {
        ByteBuf b = alloc.buffer(10);
        b.writeShort(eventType);
        b.writeInt((int) value);
        if (eventType == SET_BUFFER_LENGTH) {
            b.writeInt((int) bufferLengthMillis);
        }
        return new RtmpMessage(RtmpMessageType.USER_CONTROL, 0, timestamp, RtmpProtocolControl.CHUNK_STREAM_ID, b);
    }
}
