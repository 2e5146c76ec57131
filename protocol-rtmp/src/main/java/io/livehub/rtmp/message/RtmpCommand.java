package io.livehub.rtmp.message;

import io.livehub.rtmp.amf.Amf0Decoder;
import io.livehub.rtmp.amf.Amf0Encoder;
import io.livehub.rtmp.amf.AmfLimits;
import io.livehub.rtmp.amf.AmfObject;
import io.livehub.rtmp.amf.AmfUndefined;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Holds an RTMP command (RTMP spec §7.1.1, §7.2): a name such as {@code connect} or
 * {@code publish}, a transaction id, a command object ({@code null} when the peer sent null or
 * undefined) and the further arguments.
 *
 * <p>Decodes from an AMF0 command message (type 20) or an AMF3 command message (type 17), whose
 * body starts with a 0x00 format byte and then holds AMF0 values, any of which may switch to AMF3
 * with the avmplus marker; always encodes as AMF0 (type 20).
 *
 * <p>Thread-safety: the record is immutable; the command object and arguments are the decoder's
 * mutable maps and lists, not to be changed while shared.
 *
 * @param name the command name
 * @param transactionId the transaction id; 0 when the peer sent none
 * @param commandObject the command object, usually an {@link AmfObject}, or {@code null}
 * @param arguments the values after the command object, unmodifiable
 */
public record RtmpCommand(String name, double transactionId, Object commandObject, List<Object> arguments) {

    /** Checks the name and makes the argument list unmodifiable. */
    public RtmpCommand {
        java.util.Objects.requireNonNull(name, "name");
        arguments = arguments == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(arguments));
    }

    /** Makes a command with the given arguments. */
    public static RtmpCommand of(String name, double transactionId, Object commandObject, Object... arguments) {
        return new RtmpCommand(name, transactionId, commandObject, Arrays.asList(arguments));
    }

    /**
     * Decodes a command message (RTMP spec §7.1.1) with {@link AmfLimits#DEFAULT}.
     *
     * <p>Ownership: {@code message} is borrowed; its indexes do not move.
     *
     * @throws io.livehub.media.MalformedMediaException when the body is not a command
     */
    public static RtmpCommand decode(RtmpMessage message) {
        return decode(message, AmfLimits.DEFAULT);
    }

    /**
     * Decodes a command message (RTMP spec §7.1.1).
     *
     * <p>Ownership: {@code message} is borrowed; its indexes do not move.
     *
     * @throws io.livehub.media.MalformedMediaException when the body is not a command
     */
    public static RtmpCommand decode(RtmpMessage message, AmfLimits limits) {
        int type = message.typeId();
        if (type != RtmpMessageType.AMF0_COMMAND && type != RtmpMessageType.AMF3_COMMAND) {
            throw new IllegalArgumentException("not a command message: " + message);
        }
        List<Object> values = readAmf0Body(message, limits);
        if (values.isEmpty() || !(values.get(0) instanceof String name)) {
            throw new RtmpMessageException("command message does not start with a name string");
        }
        double transactionId = 0;
        if (values.size() > 1) {
            if (!(values.get(1) instanceof Number n)) {
                throw new RtmpMessageException("command '" + name + "' has a transaction id that is not a number");
            }
            transactionId = n.doubleValue();
        }
        Object object = values.size() > 2 ? values.get(2) : null;
        if (object == AmfUndefined.INSTANCE) {
            object = null;
        }
        List<Object> args = values.size() > 3 ? values.subList(3, values.size()) : List.of();
        return new RtmpCommand(name, transactionId, object, args);
    }

    /**
     * Reads the AMF0 values of a command or data message body, skipping the leading format byte
     * that AMF3 command (17) and AMF3 data (15) messages carry (RTMP spec §7.1.1, §7.1.2).
     */
    static List<Object> readAmf0Body(RtmpMessage message, AmfLimits limits) {
        ByteBuf body = message.content().duplicate();
        boolean amf3 = message.typeId() == RtmpMessageType.AMF3_COMMAND || message.typeId() == RtmpMessageType.AMF3_DATA;
        // The format byte is 0x00; a body that starts with another byte has no format byte.
        if (amf3 && body.isReadable() && body.getByte(body.readerIndex()) == 0) {
            body.skipBytes(1);
        }
        return new Amf0Decoder(limits).readAll(body);
    }

    /** Returns the command object if it is a map ({@link AmfObject}), else an empty one. */
    public AmfObject commandObjectOrEmpty() {
        if (commandObject instanceof AmfObject o) {
            return o;
        }
        if (commandObject instanceof Map<?, ?> m) {
            AmfObject o = new AmfObject();
            m.forEach((k, v) -> o.put(String.valueOf(k), v));
            return o;
        }
        return new AmfObject();
    }

    /** Returns argument {@code index} (0 is the first after the command object), or {@code null}. */
    public Object argument(int index) {
        return index < arguments.size() ? arguments.get(index) : null;
    }

    /** Returns argument {@code index} if it is a string, else {@code null}. */
    public String stringArgument(int index) {
        return argument(index) instanceof String s ? s : null;
    }

    /**
     * Writes the AMF0 body: name, transaction id, command object, arguments (RTMP spec §7.1.1).
     *
     * <p>Ownership: {@code out} is borrowed.
     */
    public void writeTo(ByteBuf out) {
        Amf0Encoder.writeValue(out, name);
        Amf0Encoder.writeValue(out, transactionId);
        Amf0Encoder.writeValue(out, commandObject);
        Amf0Encoder.writeValues(out, arguments);
    }

    /**
     * Builds an AMF0 command message (type 20) with timestamp 0 on an automatic chunk stream.
     *
     * <p>Ownership: the caller owns the returned message.
     */
    public RtmpMessage toMessage(ByteBufAllocator alloc, int messageStreamId) {
        ByteBuf b = alloc.buffer();
        try {
            writeTo(b);
        } catch (RuntimeException e) {
            b.release();
            throw e;
        }
        return new RtmpMessage(RtmpMessageType.AMF0_COMMAND, messageStreamId, 0, RtmpMessage.CSID_AUTO, b);
    }
}
