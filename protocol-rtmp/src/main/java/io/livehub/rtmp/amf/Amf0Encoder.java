package io.livehub.rtmp.amf;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Encodes Java objects as AMF0 values (AMF0 spec §2), the inverse of {@link Amf0Decoder}:
 * {@link Number} as number, {@link Boolean}, {@link String} as string or long string by its
 * UTF-8 length, {@code null}, {@link AmfUndefined}, {@link AmfObject} as object or typed object,
 * {@link AmfEcmaArray} and any other {@link Map} (keys as strings) as ECMA array or object,
 * {@link List} and {@code Object[]} as strict array, {@link AmfDate} and {@link Instant} as date,
 * {@link AmfXml} as XML document, and {@code byte[]} as an AMF3 byte array after the avmplus
 * marker (AMF0 spec §3.1). The encoder writes no references.
 *
 * <p>Ownership: writes into a buffer the caller owns.
 *
 * <p>Thread-safety: stateless, safe from any thread.
 */
public final class Amf0Encoder {

    /** Caps nesting on encode, which also stops a cyclic graph. */
    private static final int MAX_DEPTH = AmfLimits.MAX_DEPTH_CAP;

    private Amf0Encoder() {
    }

    /**
     * Writes one value at the writer index.
     *
     * <p>Ownership: {@code out} is borrowed.
     *
     * @throws IllegalArgumentException for a type AMF0 cannot hold, a member name longer than
     *     65535 UTF-8 bytes, or nesting deeper than {@value AmfLimits#MAX_DEPTH_CAP}
     */
    public static void writeValue(ByteBuf out, Object value) {
        write(out, value, 0);
    }

    /** Writes the values one after another, as in a command or data message body (RTMP spec §7.1). */
    public static void writeValues(ByteBuf out, List<?> values) {
        for (Object v : values) {
            write(out, v, 0);
        }
    }

    private static void write(ByteBuf out, Object value, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("AMF0 value nested deeper than " + MAX_DEPTH + " (a cycle?)");
        }
        if (value == null) {
            out.writeByte(Amf0Marker.NULL);
        } else if (value == AmfUndefined.INSTANCE) {
            out.writeByte(Amf0Marker.UNDEFINED);
        } else if (value instanceof Boolean b) {
            out.writeByte(Amf0Marker.BOOLEAN);
            out.writeByte(b ? 1 : 0);
        } else if (value instanceof Number n) {
            out.writeByte(Amf0Marker.NUMBER);
            out.writeDouble(n.doubleValue());
        } else if (value instanceof String s) {
            int length = ByteBufUtil.utf8Bytes(s);
            if (length <= 0xFFFF) {
                out.writeByte(Amf0Marker.STRING);
                out.writeShort(length);
            } else {
                out.writeByte(Amf0Marker.LONG_STRING);
                out.writeInt(length);
            }
            ByteBufUtil.reserveAndWriteUtf8(out, s, length);
        } else if (value instanceof AmfEcmaArray a) {
            out.writeByte(Amf0Marker.ECMA_ARRAY);
            out.writeInt(a.size());
            writeMembers(out, a, depth);
        } else if (value instanceof AmfObject o) {
            if (o.className() != null) {
                out.writeByte(Amf0Marker.TYPED_OBJECT);
                writeName(out, o.className());
            } else {
                out.writeByte(Amf0Marker.OBJECT);
            }
            writeMembers(out, o, depth);
        } else if (value instanceof Map<?, ?> m) {
            out.writeByte(Amf0Marker.OBJECT);
            writeMembers(out, m, depth);
        } else if (value instanceof List<?> list) {
            out.writeByte(Amf0Marker.STRICT_ARRAY);
            out.writeInt(list.size());
            for (Object e : list) {
                write(out, e, depth + 1);
            }
        } else if (value instanceof Object[] array) {
            write(out, List.of(array), depth);
        } else if (value instanceof AmfDate d) {
            out.writeByte(Amf0Marker.DATE);
            out.writeDouble(d.epochMillis());
            out.writeShort(d.timeZone());
        } else if (value instanceof Instant i) {
            write(out, AmfDate.of(i), depth);
        } else if (value instanceof AmfXml x) {
            out.writeByte(Amf0Marker.XML_DOCUMENT);
            out.writeInt(ByteBufUtil.utf8Bytes(x.text()));
            ByteBufUtil.writeUtf8(out, x.text());
        } else if (value instanceof byte[]) {
            out.writeByte(Amf0Marker.AVMPLUS_OBJECT);
            Amf3Encoder.writeValue(out, value);
        } else {
            throw new IllegalArgumentException("no AMF0 form for " + value.getClass().getName());
        }
    }

    private static void writeMembers(ByteBuf out, Map<?, ?> members, int depth) {
        for (Map.Entry<?, ?> e : members.entrySet()) {
            writeName(out, String.valueOf(e.getKey()));
            write(out, e.getValue(), depth + 1);
        }
        out.writeShort(0);
        out.writeByte(Amf0Marker.OBJECT_END);
    }

    private static void writeName(ByteBuf out, String name) {
        int length = ByteBufUtil.utf8Bytes(name);
        if (length > 0xFFFF) {
            throw new IllegalArgumentException("AMF0 member or class name longer than 65535 bytes");
        }
        out.writeShort(length);
        ByteBufUtil.reserveAndWriteUtf8(out, name, length);
    }
}
