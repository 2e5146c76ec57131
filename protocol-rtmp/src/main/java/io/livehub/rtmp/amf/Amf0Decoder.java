package io.livehub.rtmp.amf;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Decodes AMF0 values (AMF0 spec §2) into Java objects: {@link Double}, {@link Boolean},
 * {@link String}, {@code null}, {@link AmfUndefined}, {@link AmfObject} (also typed objects),
 * {@link AmfEcmaArray}, {@link List} (strict array), {@link AmfDate}, {@link AmfXml}, and, after
 * the avmplus marker (AMF0 spec §3.1), whatever {@link Amf3Decoder} returns.
 *
 * <p>One decoder holds the reference table of one AMF0 packet or RTMP message: create one per
 * message. The unsupported marker decodes as {@link AmfUndefined}; movie clips and record sets
 * are refused. Every length is checked against {@link AmfLimits} and the readable bytes before
 * anything is allocated.
 *
 * <p>Ownership: reads from a buffer the caller owns and keeps no reference to it.
 *
 * <p>Thread-safety: not thread-safe.
 */
public final class Amf0Decoder {

    private final AmfLimits limits;
    private final AmfReferenceTable.Budget budget = new AmfReferenceTable.Budget();
    private final AmfReferenceTable references;

    /** Creates a decoder with {@link AmfLimits#DEFAULT}. */
    public Amf0Decoder() {
        this(AmfLimits.DEFAULT);
    }

    /** Creates a decoder with the given limits. */
    public Amf0Decoder(AmfLimits limits) {
        this.limits = java.util.Objects.requireNonNull(limits, "limits");
        this.references = new AmfReferenceTable(limits, budget);
    }

    /**
     * Reads one value (AMF0 spec §2.1) from the reader index on.
     *
     * <p>Ownership: {@code in} is borrowed; its reader index moves past the value.
     *
     * @throws AmfException when the bytes are malformed or break a limit
     */
    public Object readValue(ByteBuf in) {
        return readValue(in, 0);
    }

    /**
     * Reads values until {@code in} has no readable bytes left, as in an RTMP command or data
     * message body (RTMP spec §7.1.1).
     *
     * <p>Ownership: {@code in} is borrowed; it is fully read on success.
     *
     * @throws AmfException when the bytes are malformed or break a limit
     */
    public List<Object> readAll(ByteBuf in) {
        List<Object> out = new ArrayList<>();
        while (in.isReadable()) {
            AmfBytes.checkElements(out.size() + 1L, limits, "AMF0 value sequence");
            out.add(readValue(in, 0));
        }
        return out;
    }

    Object readValue(ByteBuf in, int depth) {
        AmfBytes.need(in, 1, "AMF0 type marker");
        budget.charge(1, limits);
        int marker = in.readUnsignedByte();
        switch (marker) {
            case Amf0Marker.NUMBER:
                AmfBytes.need(in, 8, "AMF0 number");
                return in.readDouble();
            case Amf0Marker.BOOLEAN:
                AmfBytes.need(in, 1, "AMF0 boolean");
                return in.readByte() != 0;
            case Amf0Marker.STRING:
                return readShortString(in, "AMF0 string");
            case Amf0Marker.OBJECT:
                return readMembers(in, new AmfObject(), depth + 1, "AMF0 object");
            case Amf0Marker.NULL:
                return null;
            case Amf0Marker.UNDEFINED:
            case Amf0Marker.UNSUPPORTED:
                return AmfUndefined.INSTANCE;
            case Amf0Marker.REFERENCE: {
                AmfBytes.need(in, 2, "AMF0 reference");
                return references.resolve(in.readUnsignedShort(), "AMF0");
            }
            case Amf0Marker.ECMA_ARRAY:
                // The count is a hint that encoders often get wrong; the object-end marker decides.
                AmfBytes.need(in, 4, "AMF0 ECMA array count");
                in.skipBytes(4);
                return readMembers(in, new AmfEcmaArray(), depth + 1, "AMF0 ECMA array");
            case Amf0Marker.OBJECT_END:
                throw new AmfException("AMF0 object-end marker outside an object");
            case Amf0Marker.STRICT_ARRAY:
                return readStrictArray(in, depth + 1);
            case Amf0Marker.DATE: {
                AmfBytes.need(in, 10, "AMF0 date");
                double millis = in.readDouble();
                return new AmfDate(millis, in.readShort());
            }
            case Amf0Marker.LONG_STRING:
                return readLongString(in, "AMF0 long string");
            case Amf0Marker.XML_DOCUMENT:
                return new AmfXml(readLongString(in, "AMF0 XML document"), true);
            case Amf0Marker.TYPED_OBJECT: {
                String className = readShortString(in, "AMF0 class name");
                return readMembers(in, new AmfObject(className), depth + 1, "AMF0 typed object");
            }
            case Amf0Marker.AVMPLUS_OBJECT:
                return new Amf3Decoder(limits, budget).readValue(in, depth);
            case Amf0Marker.MOVIECLIP:
            case Amf0Marker.RECORDSET:
                throw new AmfException(String.format("AMF0 type 0x%02x is reserved and not supported", marker));
            default:
                throw new AmfException(String.format("unknown AMF0 type marker 0x%02x", marker));
        }
    }

    private String readShortString(ByteBuf in, String what) {
        AmfBytes.need(in, 2, what + " length");
        return AmfBytes.readUtf8(in, in.readUnsignedShort(), limits, what);
    }

    private String readLongString(ByteBuf in, String what) {
        AmfBytes.need(in, 4, what + " length");
        return AmfBytes.readUtf8(in, in.readUnsignedInt(), limits, what);
    }

    private <M extends Map<String, Object>> M readMembers(ByteBuf in, M target, int depth, String what) {
        AmfBytes.checkDepth(depth, limits);
        long before = budget.used();
        int index = references.open(target);
        int count = 0;
        while (true) {
            AmfBytes.need(in, 2, what + " member name");
            int keyLength = in.getUnsignedShort(in.readerIndex());
            if (keyLength == 0 && in.readableBytes() >= 3
                    && in.getUnsignedByte(in.readerIndex() + 2) == Amf0Marker.OBJECT_END) {
                in.skipBytes(3);
                break;
            }
            String key = readShortString(in, what + " member name");
            AmfBytes.checkElements(++count, limits, what);
            target.put(key, readValue(in, depth));
        }
        references.close(index, budget.used() - before + 1);
        return target;
    }

    private List<Object> readStrictArray(ByteBuf in, int depth) {
        AmfBytes.checkDepth(depth, limits);
        AmfBytes.need(in, 4, "AMF0 strict array count");
        long count = in.readUnsignedInt();
        AmfBytes.checkElements(count, limits, "AMF0 strict array");
        // Every element takes at least its marker byte.
        AmfBytes.need(in, count, "AMF0 strict array");
        long before = budget.used();
        List<Object> list = new ArrayList<>((int) count);
        int index = references.open(list);
        for (int i = 0; i < count; i++) {
            list.add(readValue(in, depth));
        }
        references.close(index, budget.used() - before + 1);
        return list;
    }
}
