package io.livehub.rtmp.amf;

/** Lists the AMF3 type markers (AMF3 spec §3.1). */
public final class Amf3Marker {

    public static final int UNDEFINED = 0x00;
    public static final int NULL = 0x01;
    public static final int FALSE = 0x02;
    public static final int TRUE = 0x03;
    public static final int INTEGER = 0x04;
    public static final int DOUBLE = 0x05;
    public static final int STRING = 0x06;
    public static final int XML_DOC = 0x07;
    public static final int DATE = 0x08;
    public static final int ARRAY = 0x09;
    public static final int OBJECT = 0x0A;
    public static final int XML = 0x0B;
    public static final int BYTE_ARRAY = 0x0C;
    public static final int VECTOR_INT = 0x0D;
    public static final int VECTOR_UINT = 0x0E;
    public static final int VECTOR_DOUBLE = 0x0F;
    public static final int VECTOR_OBJECT = 0x10;
    public static final int DICTIONARY = 0x11;

    /** Smallest integer the AMF3 integer type holds: -2^28. */
    public static final int INTEGER_MIN = -(1 << 28);
    /** Largest integer the AMF3 integer type holds: 2^28 - 1. */
    public static final int INTEGER_MAX = (1 << 28) - 1;

    private Amf3Marker() {
    }
}
