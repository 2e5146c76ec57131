package io.livehub.rtmp.amf;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Encodes Java objects as AMF3 values (AMF3 spec §3), the inverse of {@link Amf3Decoder}:
 * {@link Integer}, {@link Short} and {@link Byte} in -2^28..2^28-1 as integer, other numbers as
 * double, {@link Boolean}, {@link String}, {@code null}, {@link AmfUndefined}, {@link AmfObject}
 * as a dynamic object with inline traits and its class name, {@link AmfEcmaArray} and other
 * {@link Map}s as an array with associative members only, {@link List} and {@code Object[]} as a
 * dense array, {@link AmfDate}, {@link Instant}, {@link AmfXml} and {@code byte[]}. The encoder
 * writes every string and object inline; references are optional for writers.
 *
 * <p>Ownership: writes into a buffer the caller owns.
 *
 * <p>Thread-safety: stateless, safe from any thread.
 */
public final class Amf3Encoder {

    private static final int MAX_DEPTH = AmfLimits.MAX_DEPTH_CAP;
    private static final int U29_MAX = (1 << 29) - 1;

    private Amf3Encoder() {
    }

    /**
     * Writes one value at the writer index.
     *
     * <p>Ownership: {@code out} is borrowed.
     *
     * @throws IllegalArgumentException for a type AMF3 cannot hold, an empty dynamic member name,
     *     a length above 2^28-1, or nesting deeper than {@value AmfLimits#MAX_DEPTH_CAP}
     */
    public static void writeValue(ByteBuf out, Object value) {
        write(out, value, 0);
    }

    /** Writes a U29 (AMF3 spec §1.3.1); {@code value} must be in 0..2^29-1. */
    static void writeU29(ByteBuf out, int value) {
        if (value < 0 || value > U29_MAX) {
            throw new IllegalArgumentException("value out of U29 range: " + value);
        }
        if (value < 0x80) {
            out.writeByte(value);
        } else if (value < 0x4000) {
            out.writeByte(value >> 7 | 0x80);
            out.writeByte(value & 0x7F);
        } else if (value < 0x200000) {
            out.writeByte(value >> 14 | 0x80);
            out.writeByte(value >> 7 & 0x7F | 0x80);
            out.writeByte(value & 0x7F);
        } else {
            out.writeByte(value >> 22 | 0x80);
            out.writeByte(value >> 15 & 0x7F | 0x80);
            out.writeByte(value >> 8 & 0x7F | 0x80);
            out.writeByte(value & 0xFF);
        }
    }

    private static void write(ByteBuf out, Object value, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("AMF3 value nested deeper than " + MAX_DEPTH + " (a cycle?)");
        }
        if (value == null) {
            out.writeByte(Amf3Marker.NULL);
        } else if (value == AmfUndefined.INSTANCE) {
            out.writeByte(Amf3Marker.UNDEFINED);
        } else if (value instanceof Boolean b) {
            out.writeByte(b ? Amf3Marker.TRUE : Amf3Marker.FALSE);
        } else if ((value instanceof Integer || value instanceof Short || value instanceof Byte)
                && ((Number) value).intValue() >= Amf3Marker.INTEGER_MIN
                && ((Number) value).intValue() <= Amf3Marker.INTEGER_MAX) {
            out.writeByte(Amf3Marker.INTEGER);
            writeU29(out, ((Number) value).intValue() & U29_MAX);
        } else if (value instanceof Number n) {
            out.writeByte(Amf3Marker.DOUBLE);
            out.writeDouble(n.doubleValue());
        } else if (value instanceof String s) {
            out.writeByte(Amf3Marker.STRING);
            writeString(out, s);
        } else if (value instanceof AmfObject o) {
            out.writeByte(Amf3Marker.OBJECT);
            // Inline object (1), inline traits (2), not externalizable, dynamic (8), no sealed members.
            writeU29(out, 0x0B);
            writeString(out, o.className() == null ? "" : o.className());
            writeAssociative(out, o, depth);
        } else if (value instanceof Map<?, ?> m) {
            out.writeByte(Amf3Marker.ARRAY);
            writeU29(out, 1); // no dense elements
            writeAssociative(out, m, depth);
        } else if (value instanceof List<?> list) {
            out.writeByte(Amf3Marker.ARRAY);
            writeU29(out, list.size() << 1 | 1);
            out.writeByte(0x01); // empty associative part
            for (Object e : list) {
                write(out, e, depth + 1);
            }
        } else if (value instanceof Object[] array) {
            write(out, List.of(array), depth);
        } else if (value instanceof AmfDate d) {
            out.writeByte(Amf3Marker.DATE);
            out.writeByte(0x01);
            out.writeDouble(d.epochMillis());
        } else if (value instanceof Instant i) {
            write(out, AmfDate.of(i), depth);
        } else if (value instanceof AmfXml x) {
            out.writeByte(x.legacyDocument() ? Amf3Marker.XML_DOC : Amf3Marker.XML);
            writeString(out, x.text());
        } else if (value instanceof byte[] bytes) {
            out.writeByte(Amf3Marker.BYTE_ARRAY);
            writeLength(out, bytes.length);
            out.writeBytes(bytes);
        } else {
            throw new IllegalArgumentException("no AMF3 form for " + value.getClass().getName());
        }
    }

    private static void writeAssociative(ByteBuf out, Map<?, ?> members, int depth) {
        for (Map.Entry<?, ?> e : members.entrySet()) {
            String key = String.valueOf(e.getKey());
            if (key.isEmpty()) {
                throw new IllegalArgumentException("AMF3 cannot encode an empty member name");
            }
            writeString(out, key);
            write(out, e.getValue(), depth + 1);
        }
        out.writeByte(0x01); // empty string ends the members
    }

    private static void writeString(ByteBuf out, String s) {
        int length = ByteBufUtil.utf8Bytes(s);
        writeLength(out, length);
        ByteBufUtil.reserveAndWriteUtf8(out, s, length);
    }

    private static void writeLength(ByteBuf out, int length) {
        if (length > U29_MAX >> 1) {
            throw new IllegalArgumentException("AMF3 length above 2^28-1: " + length);
        }
        writeU29(out, length << 1 | 1);
    }
}
