package io.livehub.flv;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;
import java.util.Objects;

/**
 * One FLV tag as read from a file or HTTP-FLV stream (Adobe FLV v10.1, Annex E.4.1, "FLV
 * tags"): its type, its 32-bit timestamp in milliseconds (Timestamp plus TimestampExtended)
 * and its body (the AUDIODATA, VIDEODATA or SCRIPTDATA bytes). StreamID is always 0 and not
 * kept.
 *
 * <p>Ownership: the tag holds one reference to its body; whoever receives a tag from
 * {@link FlvTagDecoder} releases it.
 */
public final class FlvTag extends DefaultByteBufHolder {

    private final FlvTagType type;
    private final long timestamp;

    /**
     * Makes a tag.
     *
     * <p>Ownership: takes {@code body}'s reference; the tag releases it.
     *
     * @param timestamp milliseconds, 0 to 2^32-1
     */
    public FlvTag(FlvTagType type, long timestamp, ByteBuf body) {
        super(body);
        this.type = Objects.requireNonNull(type, "type");
        if (timestamp < 0 || timestamp > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("FLV timestamp out of 32-bit range: " + timestamp);
        }
        this.timestamp = timestamp;
    }

    public FlvTagType type() {
        return type;
    }

    /** Returns the unsigned 32-bit timestamp in milliseconds; it wraps after about 49.7 days. */
    public long timestamp() {
        return timestamp;
    }

    @Override
    public FlvTag replace(ByteBuf content) {
        return new FlvTag(type, timestamp, content);
    }

    @Override
    public FlvTag copy() {
        return (FlvTag) super.copy();
    }

    @Override
    public FlvTag duplicate() {
        return (FlvTag) super.duplicate();
    }

    @Override
    public FlvTag retainedDuplicate() {
        return (FlvTag) super.retainedDuplicate();
    }

    @Override
    public FlvTag retain() {
        super.retain();
        return this;
    }

    @Override
    public FlvTag retain(int increment) {
        super.retain(increment);
        return this;
    }

    @Override
    public FlvTag touch() {
        super.touch();
        return this;
    }

    @Override
    public FlvTag touch(Object hint) {
        super.touch(hint);
        return this;
    }

    @Override
    public String toString() {
        return "FlvTag[" + type + " ts=" + timestamp + " " + content().readableBytes() + "B]";
    }
}
