package io.livehub.rtmp.amf;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes AMF3 values (AMF3 spec §3) into Java objects: {@link AmfUndefined}, {@code null},
 * {@link Boolean}, {@link Integer} (integer type), {@link Double}, {@link String}, {@link AmfXml},
 * {@link AmfDate}, {@link List} (array without associative members), {@link AmfEcmaArray}
 * (array with associative members, dense elements keyed by index after them), {@link AmfObject}
 * (sealed members first, then dynamic ones) and {@code byte[]}.
 *
 * <p>One decoder holds the string, object and traits reference tables (AMF3 spec §2.2) of one
 * AMF3 context: create one per message, or per avmplus switch inside AMF0. Externalizable
 * objects, vectors and dictionaries are refused with an {@link AmfException}: RTMP peers do not
 * send them in commands or metadata. Every length is checked against {@link AmfLimits} and the
 * readable bytes before anything is allocated.
 *
 * <p>Ownership: reads from a buffer the caller owns and keeps no reference to it.
 *
 * <p>Thread-safety: not thread-safe.
 */
public final class Amf3Decoder {

    private final AmfLimits limits;
    private final AmfReferenceTable.Budget budget;
    private final AmfReferenceTable objects;
    private final List<String> strings = new ArrayList<>();
    private final List<Traits> traitsTable = new ArrayList<>();

    /** Creates a decoder with {@link AmfLimits#DEFAULT}. */
    public Amf3Decoder() {
        this(AmfLimits.DEFAULT);
    }

    /** Creates a decoder with the given limits. */
    public Amf3Decoder(AmfLimits limits) {
        this(limits, new AmfReferenceTable.Budget());
    }

    Amf3Decoder(AmfLimits limits, AmfReferenceTable.Budget budget) {
        this.limits = java.util.Objects.requireNonNull(limits, "limits");
        this.budget = budget;
        this.objects = new AmfReferenceTable(limits, budget);
    }

    /**
     * Reads one value (AMF3 spec §3.1) from the reader index on.
     *
     * <p>Ownership: {@code in} is borrowed; its reader index moves past the value.
     *
     * @throws AmfException when the bytes are malformed or break a limit
     */
    public Object readValue(ByteBuf in) {
        return readValue(in, 0);
    }

    Object readValue(ByteBuf in, int depth) {
        AmfBytes.need(in, 1, "AMF3 type marker");
        budget.charge(1, limits);
        int marker = in.readUnsignedByte();
        switch (marker) {
            case Amf3Marker.UNDEFINED:
                return AmfUndefined.INSTANCE;
            case Amf3Marker.NULL:
                return null;
            case Amf3Marker.FALSE:
                return Boolean.FALSE;
            case Amf3Marker.TRUE:
                return Boolean.TRUE;
            case Amf3Marker.INTEGER: {
                int u29 = readU29(in);
                // Sign-extend the 29-bit two's complement value.
                return (u29 << 3) >> 3;
            }
            case Amf3Marker.DOUBLE:
                AmfBytes.need(in, 8, "AMF3 double");
                return in.readDouble();
            case Amf3Marker.STRING:
                return readString(in);
            case Amf3Marker.XML_DOC:
                return readXml(in, true);
            case Amf3Marker.XML:
                return readXml(in, false);
            case Amf3Marker.DATE:
                return readDate(in);
            case Amf3Marker.ARRAY:
                return readArray(in, depth + 1);
            case Amf3Marker.OBJECT:
                return readObject(in, depth + 1);
            case Amf3Marker.BYTE_ARRAY:
                return readByteArray(in);
            case Amf3Marker.VECTOR_INT:
            case Amf3Marker.VECTOR_UINT:
            case Amf3Marker.VECTOR_DOUBLE:
            case Amf3Marker.VECTOR_OBJECT:
                throw new AmfException(String.format("AMF3 vector (type 0x%02x) is not supported", marker));
            case Amf3Marker.DICTIONARY:
                throw new AmfException("AMF3 dictionary (type 0x11) is not supported");
            default:
                throw new AmfException(String.format("unknown AMF3 type marker 0x%02x", marker));
        }
    }

    /** Reads a U29, the variable-length 29-bit unsigned integer of AMF3 spec §1.3.1. */
    static int readU29(ByteBuf in) {
        int value = 0;
        for (int i = 0; i < 3; i++) {
            AmfBytes.need(in, 1, "AMF3 U29");
            int b = in.readUnsignedByte();
            value = (value << 7) | (b & 0x7F);
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        AmfBytes.need(in, 1, "AMF3 U29");
        return (value << 8) | in.readUnsignedByte();
    }

    private String readString(ByteBuf in) {
        int u29 = readU29(in);
        if ((u29 & 1) == 0) {
            int index = u29 >>> 1;
            if (index >= strings.size()) {
                throw new AmfException("AMF3 string reference " + index + " out of range (table holds " + strings.size() + ")");
            }
            return strings.get(index);
        }
        String s = AmfBytes.readUtf8(in, u29 >>> 1, limits, "AMF3 string");
        if (!s.isEmpty()) {
            strings.add(s);
        }
        return s;
    }

    private Object readXml(ByteBuf in, boolean legacyDocument) {
        int u29 = readU29(in);
        if ((u29 & 1) == 0) {
            return objects.resolve(u29 >>> 1, "AMF3 XML");
        }
        AmfXml xml = new AmfXml(AmfBytes.readUtf8(in, u29 >>> 1, limits, "AMF3 XML"), legacyDocument);
        objects.close(objects.open(xml), 1);
        return xml;
    }

    private Object readDate(ByteBuf in) {
        int u29 = readU29(in);
        if ((u29 & 1) == 0) {
            return objects.resolve(u29 >>> 1, "AMF3 date");
        }
        AmfBytes.need(in, 8, "AMF3 date");
        AmfDate date = new AmfDate(in.readDouble(), (short) 0);
        objects.close(objects.open(date), 1);
        return date;
    }

    private Object readByteArray(ByteBuf in) {
        int u29 = readU29(in);
        if ((u29 & 1) == 0) {
            return objects.resolve(u29 >>> 1, "AMF3 byte array");
        }
        int length = u29 >>> 1;
        if (length > limits.maxStringLength()) {
            throw new AmfException("AMF3 byte array of " + length + " bytes exceeds the limit of " + limits.maxStringLength());
        }
        AmfBytes.need(in, length, "AMF3 byte array");
        byte[] bytes = new byte[length];
        in.readBytes(bytes);
        objects.close(objects.open(bytes), 1);
        return bytes;
    }

    private Object readArray(ByteBuf in, int depth) {
        int u29 = readU29(in);
        if ((u29 & 1) == 0) {
            return objects.resolve(u29 >>> 1, "AMF3 array");
        }
        AmfBytes.checkDepth(depth, limits);
        int denseCount = u29 >>> 1;
        AmfBytes.checkElements(denseCount, limits, "AMF3 array");
        long before = budget.used();
        int index = objects.open(null);
        AmfEcmaArray associative = null;
        int count = 0;
        while (true) {
            String key = readString(in);
            if (key.isEmpty()) {
                break;
            }
            if (associative == null) {
                associative = new AmfEcmaArray();
            }
            AmfBytes.checkElements(++count + (long) denseCount, limits, "AMF3 array");
            associative.put(key, readValue(in, depth));
        }
        // Every dense element takes at least its marker byte.
        AmfBytes.need(in, denseCount, "AMF3 array");
        Object result;
        if (associative == null) {
            List<Object> dense = new ArrayList<>(denseCount);
            for (int i = 0; i < denseCount; i++) {
                dense.add(readValue(in, depth));
            }
            result = dense;
        } else {
            for (int i = 0; i < denseCount; i++) {
                associative.put(Integer.toString(i), readValue(in, depth));
            }
            result = associative;
        }
        objects.set(index, result);
        objects.close(index, budget.used() - before + 1);
        return result;
    }

    private Object readObject(ByteBuf in, int depth) {
        int u29 = readU29(in);
        if ((u29 & 1) == 0) {
            return objects.resolve(u29 >>> 1, "AMF3 object");
        }
        AmfBytes.checkDepth(depth, limits);
        Traits traits;
        if ((u29 & 2) == 0) {
            int ref = u29 >>> 2;
            if (ref >= traitsTable.size()) {
                throw new AmfException("AMF3 traits reference " + ref + " out of range (table holds " + traitsTable.size() + ")");
            }
            traits = traitsTable.get(ref);
        } else if ((u29 & 4) != 0) {
            String className = readString(in);
            throw new AmfException("AMF3 externalizable object of class '" + className + "' is not supported");
        } else {
            boolean dynamic = (u29 & 8) != 0;
            int sealedCount = u29 >>> 4;
            AmfBytes.checkElements(sealedCount, limits, "AMF3 class");
            String className = readString(in);
            // Every sealed member name takes at least one byte.
            AmfBytes.need(in, sealedCount, "AMF3 sealed member names");
            String[] names = new String[sealedCount];
            for (int i = 0; i < sealedCount; i++) {
                names[i] = readString(in);
            }
            traits = new Traits(className, dynamic, names);
            traitsTable.add(traits);
        }
        long before = budget.used();
        AmfObject object = new AmfObject(traits.className);
        int index = objects.open(object);
        for (String name : traits.sealedNames) {
            object.put(name, readValue(in, depth));
        }
        if (traits.dynamic) {
            int count = traits.sealedNames.length;
            while (true) {
                String key = readString(in);
                if (key.isEmpty()) {
                    break;
                }
                AmfBytes.checkElements(++count, limits, "AMF3 object");
                object.put(key, readValue(in, depth));
            }
        }
        objects.close(index, budget.used() - before + 1);
        return object;
    }

    /** Holds the traits of an AMF3 class (AMF3 spec §3.12). */
    private record Traits(String className, boolean dynamic, String[] sealedNames) {
    }
}
