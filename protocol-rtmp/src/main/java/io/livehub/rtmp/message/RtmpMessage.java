package io.livehub.rtmp.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * Holds one RTMP message (RTMP spec §6.1): type id, message stream id, timestamp, the chunk
 * stream id it arrived on or should go on (§5.3.1.1), and the payload.
 *
 * <p>The timestamp is the 32-bit wire value as an unsigned number, 0..2^32-1; wrap-around is
 * undone by the session, not here. The message stream id is the 32-bit wire value; values above
 * 2^31-1 read as negative ints. A chunk stream id of {@link #CSID_AUTO} lets the encoder choose by
 * type.
 *
 * <p>Ownership: the message owns its payload; whoever receives a message from a decoder or
 * passes it to a writer transfers that reference and must release the message (or hand it on)
 * exactly once.
 *
 * <p>Thread-safety: the fields are immutable; the payload's indexes are not.
 */
public final class RtmpMessage extends DefaultByteBufHolder {

    /** Lets the chunk encoder choose the chunk stream id from the type. */
    public static final int CSID_AUTO = 0;
    /** Largest chunk stream id (RTMP spec §5.3.1.1: three-byte basic header). */
    public static final int CSID_MAX = 65599;
    /** Largest timestamp, the unsigned 32-bit maximum. */
    public static final long TIMESTAMP_MAX = 0xFFFF_FFFFL;

    private final int typeId;
    private final int messageStreamId;
    private final long timestamp;
    private final int chunkStreamId;

    /**
     * Creates a message.
     *
     * <p>Ownership: takes {@code payload}'s reference.
     *
     * @param typeId message type id, 0..255
     * @param messageStreamId message stream id (0 for the connection's control stream)
     * @param timestamp milliseconds, 0..2^32-1
     * @param chunkStreamId 2..65599, or {@link #CSID_AUTO}
     * @param payload the body
     */
    public RtmpMessage(int typeId, int messageStreamId, long timestamp, int chunkStreamId, ByteBuf payload) {
        super(payload);
        if (typeId < 0 || typeId > 255) {
            throw new IllegalArgumentException("typeId out of range: " + typeId);
        }
        if (timestamp < 0 || timestamp > TIMESTAMP_MAX) {
            throw new IllegalArgumentException("timestamp out of 32-bit range: " + timestamp);
        }
        if (chunkStreamId != CSID_AUTO && (chunkStreamId < 2 || chunkStreamId > CSID_MAX)) {
            throw new IllegalArgumentException("chunk stream id out of range 2.." + CSID_MAX + ": " + chunkStreamId);
        }
        this.typeId = typeId;
        this.messageStreamId = messageStreamId;
        this.timestamp = timestamp;
        this.chunkStreamId = chunkStreamId;
    }

    /** Returns the message type id; see {@link RtmpMessageType}. */
    public int typeId() {
        return typeId;
    }

    /** Returns the message stream id. */
    public int messageStreamId() {
        return messageStreamId;
    }

    /** Returns the timestamp in milliseconds, the unsigned 32-bit wire value. */
    public long timestamp() {
        return timestamp;
    }

    /** Returns the chunk stream id, or {@link #CSID_AUTO}. */
    public int chunkStreamId() {
        return chunkStreamId;
    }

    /** Returns the payload. Ownership: borrowed from this message. */
    @Override
    public ByteBuf content() {
        return super.content();
    }

    /** Returns a message with these fields and {@code content}, whose reference it takes. */
    @Override
    public RtmpMessage replace(ByteBuf content) {
        return new RtmpMessage(typeId, messageStreamId, timestamp, chunkStreamId, content);
    }

    /** Returns a message with another chunk stream id and this payload, taking this message's reference. */
    public RtmpMessage withChunkStreamId(int csid) {
        return new RtmpMessage(typeId, messageStreamId, timestamp, csid, content());
    }

    /** Returns a message with another timestamp and this payload, taking this message's reference. */
    public RtmpMessage withTimestamp(long newTimestamp) {
        return new RtmpMessage(typeId, messageStreamId, newTimestamp, chunkStreamId, content());
    }

    @Override
    public RtmpMessage copy() {
        return (RtmpMessage) super.copy();
    }

    @Override
    public RtmpMessage duplicate() {
        return (RtmpMessage) super.duplicate();
    }

    @Override
    public RtmpMessage retainedDuplicate() {
        return (RtmpMessage) super.retainedDuplicate();
    }

    @Override
    public RtmpMessage retain() {
        super.retain();
        return this;
    }

    @Override
    public RtmpMessage retain(int increment) {
        super.retain(increment);
        return this;
    }

    @Override
    public RtmpMessage touch() {
        super.touch();
        return this;
    }

    @Override
    public RtmpMessage touch(Object hint) {
        super.touch(hint);
        return this;
    }

    @Override
    public String toString() {
        return "RtmpMessage[" + RtmpMessageType.name(typeId) + " msid=" + messageStreamId + " ts=" + timestamp
                + " csid=" + chunkStreamId + " " + (refCnt() > 0 ? content().readableBytes() + "B" : "released") + "]";
    }
}
