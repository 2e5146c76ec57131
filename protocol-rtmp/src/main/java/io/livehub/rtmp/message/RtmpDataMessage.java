package io.livehub.rtmp.message;

import io.livehub.rtmp.amf.Amf0Encoder;
import io.livehub.rtmp.amf.AmfLimits;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Holds a data message (RTMP spec §7.1.2) such as {@code onMetaData} or the publisher's
 * {@code @setDataFrame("onMetaData", {...})}: a handler name and its values.
 *
 * <p>Decodes from AMF0 data (type 18) or AMF3 data (type 15, optional leading 0x00 format byte);
 * encodes as AMF0 data (type 18).
 *
 * <p>Thread-safety: the record is immutable; the values are the decoder's mutable maps and lists.
 *
 * @param name the handler name, such as {@code onMetaData}
 * @param values the values after the name, unmodifiable
 */
public record RtmpDataMessage(String name, List<Object> values) {

    /** The wrapper a publisher puts around metadata for the server to keep. */
    public static final String SET_DATA_FRAME = "@setDataFrame";
    /** The metadata handler name. */
    public static final String ON_META_DATA = "onMetaData";

    /** Checks the name and makes the value list unmodifiable. */
    public RtmpDataMessage {
        java.util.Objects.requireNonNull(name, "name");
        values = values == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(values));
    }

    /**
     * Decodes a data message with {@link AmfLimits#DEFAULT}.
     *
     * <p>Ownership: {@code message} is borrowed; its indexes do not move.
     *
     * @throws io.livehub.media.MalformedMediaException when the body is malformed
     */
    public static RtmpDataMessage decode(RtmpMessage message) {
        return decode(message, AmfLimits.DEFAULT);
    }

    /**
     * Decodes a data message (RTMP spec §7.1.2).
     *
     * <p>Ownership: {@code message} is borrowed; its indexes do not move.
     *
     * @throws io.livehub.media.MalformedMediaException when the body is malformed or has no name
     */
    public static RtmpDataMessage decode(RtmpMessage message, AmfLimits limits) {
        int type = message.typeId();
        if (type != RtmpMessageType.AMF0_DATA && type != RtmpMessageType.AMF3_DATA) {
            throw new IllegalArgumentException("not a data message: " + message);
        }
        List<Object> values = RtmpCommand.readAmf0Body(message, limits);
        if (values.isEmpty() || !(values.get(0) instanceof String name)) {
            throw new RtmpMessageException("data message does not start with a name string");
        }
        return new RtmpDataMessage(name, values.subList(1, values.size()));
    }

    /** Returns whether this is {@code @setDataFrame}. */
    public boolean isSetDataFrame() {
        return SET_DATA_FRAME.equals(name);
    }

    /**
     * Returns the inner message of {@code @setDataFrame("onMetaData", ...)}, that is
     * {@code onMetaData(...)}, or this message when it is not wrapped.
     */
    public RtmpDataMessage unwrapSetDataFrame() {
        if (isSetDataFrame() && !values.isEmpty() && values.get(0) instanceof String inner) {
            return new RtmpDataMessage(inner, values.subList(1, values.size()));
        }
        return this;
    }

    /** Returns the first value that is a map (the metadata of {@code onMetaData}), or {@code null}. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> firstMap() {
        for (Object v : values) {
            if (v instanceof Map<?, ?> m) {
                return (Map<String, Object>) m;
            }
        }
        return null;
    }

    /**
     * Writes the AMF0 body: the name, then the values (RTMP spec §7.1.2).
     *
     * <p>Ownership: {@code out} is borrowed.
     */
    public void writeTo(ByteBuf out) {
        Amf0Encoder.writeValue(out, name);
        Amf0Encoder.writeValues(out, values);
    }

    /**
     * Builds an AMF0 data message (type 18) on an automatic chunk stream.
     *
     * <p>Ownership: the caller owns the returned message.
     */
    public RtmpMessage toMessage(ByteBufAllocator alloc, int messageStreamId, long timestamp) {
        ByteBuf b = alloc.buffer();
        try {
            writeTo(b);
        } catch (RuntimeException e) {
            b.release();
            throw e;
        }
        return new RtmpMessage(RtmpMessageType.AMF0_DATA, messageStreamId, timestamp, RtmpMessage.CSID_AUTO, b);
    }
}
