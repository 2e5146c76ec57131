package io.livehub.rtmp.amf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.rtmp.message.Hex;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class Amf3Test {

    private static byte[] encode(Object v) {
        ByteBuf b = Unpooled.buffer();
        try {
            Amf3Encoder.writeValue(b, v);
            byte[] out = new byte[b.readableBytes()];
            b.readBytes(out);
            return out;
        } finally {
            b.release();
        }
    }

    private static Object decode(byte[] bytes) {
        return decode(bytes, AmfLimits.DEFAULT);
    }

    private static Object decode(byte[] bytes, AmfLimits limits) {
        ByteBuf b = Unpooled.wrappedBuffer(bytes);
        Object v = new Amf3Decoder(limits).readValue(b);
        assertFalse(b.isReadable(), "bytes left after the value");
        return v;
    }

    @Test
    void u29Golden() {
        // The four U29 widths at their boundaries (AMF3 spec §1.3.1), as integers.
        assertArrayEquals(Hex.bytes("04 00"), encode(0));
        assertArrayEquals(Hex.bytes("04 7f"), encode(0x7f));
        assertArrayEquals(Hex.bytes("04 8100"), encode(0x80));
        assertArrayEquals(Hex.bytes("04 ff7f"), encode(0x3fff));
        assertArrayEquals(Hex.bytes("04 818000"), encode(0x4000));
        assertArrayEquals(Hex.bytes("04 ffff7f"), encode(0x1fffff));
        assertArrayEquals(Hex.bytes("04 80c08000"), encode(0x200000));
        assertArrayEquals(Hex.bytes("04 bfffffff"), encode(Amf3Marker.INTEGER_MAX));   // 2^28-1
        assertArrayEquals(Hex.bytes("04 ffffffff"), encode(-1));                       // sign bit 28 set
        assertArrayEquals(Hex.bytes("04 c0808000"), encode(Amf3Marker.INTEGER_MIN));   // -2^28
        for (int v : new int[] {0, 1, 0x7f, 0x80, 0x3fff, 0x4000, 0x1fffff, 0x200000, Amf3Marker.INTEGER_MAX, -1, -300,
                Amf3Marker.INTEGER_MIN}) {
            assertEquals(v, decode(encode(v)));
        }
        // Outside the 29-bit range an int becomes a double.
        assertArrayEquals(Hex.bytes("05 41b0000000000000"), encode(1 << 28));
    }

    @Test
    void scalarsGolden() {
        assertSame(AmfUndefined.INSTANCE, decode(Hex.bytes("00")));
        assertNull(decode(Hex.bytes("01")));
        assertEquals(Boolean.FALSE, decode(Hex.bytes("02")));
        assertEquals(Boolean.TRUE, decode(Hex.bytes("03")));
        assertEquals(0.5, decode(Hex.bytes("05 3fe0000000000000")));
        assertArrayEquals(Hex.bytes("06 05 6869"), encode("hi"));                 // string, U29 (2<<1)|1
        assertArrayEquals(Hex.bytes("06 01"), encode(""));                       // empty string
        assertArrayEquals(Hex.bytes("08 01 0000000000000000"), encode(new AmfDate(0, (short) 0)));
        assertArrayEquals(Hex.bytes("0c 05 0102"), encode(new byte[] {1, 2}));
        assertArrayEquals(Hex.bytes("07 09 3c612f3e"), encode(new AmfXml("<a/>", true)));
        assertArrayEquals(Hex.bytes("0b 09 3c612f3e"), encode(new AmfXml("<a/>", false)));
    }

    @Test
    void stringReferences() {
        Object v = decode(Hex.bytes("""
                09 05 01             # dense array of 2, no associative members
                  06 07 616263       #   "abc" (string table index 0)
                  06 00              #   reference to string 0
                """));
        assertEquals(List.of("abc", "abc"), v);
        assertThrows(AmfException.class, () -> decode(Hex.bytes("06 02")));     // string reference 1 out of range
    }

    @Test
    void objectsWithTraitsAndReferences() {
        Object v = decode(Hex.bytes("""
                09 07 01                 # dense array of 3 (object table index 0)
                  0a 13 03 50            #   object: inline, traits inline, sealed, 1 member (0x13); class "P"
                    03 78                #     sealed member name "x"
                    04 01                #     x = 1
                  0a 01                  #   object: traits reference 0 (0x01) -> class P
                    04 02                #     x = 2
                  0a 02                  #   object reference 1 -> the first P
                """));
        List<?> list = assertInstanceOf(List.class, v);
        AmfObject p1 = (AmfObject) list.get(0);
        assertEquals("P", p1.className());
        assertEquals(1, p1.get("x"));
        assertEquals(2, ((AmfObject) list.get(1)).get("x"));
        assertSame(p1, list.get(2));

        Object dyn = decode(Hex.bytes("""
                0a 1b 01                 # object: dynamic, 1 sealed member (0x1b), anonymous
                  03 61                  #   sealed "a"
                  06 03 7a               #   a = "z"
                  03 62 03               #   dynamic b = true
                  01                     #   end
                """));
        assertEquals(new AmfObject().with("a", "z").with("b", true), dyn);
    }

    @Test
    void arrayWithAssociativePart() {
        Object v = decode(Hex.bytes("""
                09 03                    # array, 1 dense element
                  03 6b 06 03 76         #   associative k = "v"
                  01                     #   end of associative part
                  04 07                  #   dense [0] = 7
                """));
        assertEquals(new AmfEcmaArray().with("k", "v").with("0", 7), v);
    }

    @Test
    void roundTrips() {
        AmfObject o = new AmfObject("cls").with("n", 1.5).with("i", 7).with("s", "x").with("b", false)
                .with("nil", null).with("u", AmfUndefined.INSTANCE)
                .with("list", Arrays.asList(1, "a", null))
                .with("map", new AmfEcmaArray().with("k", 2))
                .with("date", new AmfDate(1.7e12, (short) 0))
                .with("xml", new AmfXml("<x/>", false));
        assertEquals(o, decode(encode(o)));
        byte[] bytes = {9, 8, 7};
        AmfObject withBytes = new AmfObject().with("ba", bytes);
        assertArrayEquals(bytes, (byte[]) ((AmfObject) decode(encode(withBytes))).get("ba"));
    }

    @Test
    void refusesUnsupportedTypes() {
        assertTrue(assertThrows(AmfException.class, () -> decode(Hex.bytes("0d 03 00"))).getMessage().contains("vector"));
        assertTrue(assertThrows(AmfException.class, () -> decode(Hex.bytes("11 03 00"))).getMessage().contains("dictionary"));
        AmfException e = assertThrows(AmfException.class, () -> decode(Hex.bytes("0a 07 03 58")));
        assertTrue(e.getMessage().contains("externalizable"), e.getMessage());
        assertThrows(AmfException.class, () -> decode(Hex.bytes("12")));
    }

    @Test
    void refusesBadReferencesAndCycles() {
        assertThrows(AmfException.class, () -> decode(Hex.bytes("0a 00")));      // object reference 0, empty table
        assertThrows(AmfException.class, () -> decode(Hex.bytes("0a 05")));      // traits reference 1, empty table
        // An array holding a reference to itself.
        AmfException e = assertThrows(AmfException.class, () -> decode(Hex.bytes("09 03 01 09 00")));
        assertTrue(e.getMessage().contains("cycles"), e.getMessage());
    }

    @Test
    void deepNestingFailsCleanly() {
        ByteBuf b = Unpooled.buffer();
        for (int i = 0; i < 10000; i++) {
            b.writeBytes(Hex.bytes("09 03 01"));   // array of one element, which is the next array
        }
        AmfException e = assertThrows(AmfException.class, () -> new Amf3Decoder().readValue(b));
        assertTrue(e.getMessage().contains("nesting"), e.getMessage());
        b.release();
        ByteBuf objects = Unpooled.buffer();
        for (int i = 0; i < 10000; i++) {
            objects.writeBytes(Hex.bytes("0a 0b 01 03 61"));   // {a: {a: ...
        }
        assertThrows(AmfException.class, () -> new Amf3Decoder().readValue(objects));
        objects.release();
    }

    @Test
    void refusesOversizedLengths() {
        assertThrows(AmfException.class, () -> decode(Hex.bytes("06 ffffffff")));     // string of 2^28-1 bytes
        assertThrows(AmfException.class, () -> decode(Hex.bytes("0c ffffffff")));     // byte array of 2^28-1
        assertThrows(AmfException.class, () -> decode(Hex.bytes("09 ffffffff")));     // dense count 2^28-1
        assertThrows(AmfException.class, () -> decode(Hex.bytes("0a ffffffef")));     // 2^24 sealed members
        AmfLimits small = AmfLimits.builder().maxElements(1).build();
        assertThrows(AmfException.class, () -> decode(Hex.bytes("09 05 01 01 01"), small));
        for (String hex : List.of("04", "04 80", "05 00", "06 05 68", "09 03", "0a 0b 01 03 61", "08 01 00", "0c 03")) {
            assertThrows(AmfException.class, () -> decode(Hex.bytes(hex)), hex);
        }
    }
}
