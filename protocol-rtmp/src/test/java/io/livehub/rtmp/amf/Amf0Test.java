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

class Amf0Test {

    /** The body of the connect command FFmpeg 5.1 (Lavf59.27.100) sent when publishing, captured on loopback. */
    static final String FFMPEG_CONNECT = """
            02 0007 636f6e6e656374                              # string "connect"
            00 3ff0000000000000                                 # number 1.0 (transaction id)
            03                                                  # object
              0003 617070 02 0004 6c697665                      #   app: "live"
              0004 74797065 02 000a 6e6f6e70726976617465        #   type: "nonprivate"
              0008 666c617368566572 02 0024                     #   flashVer:
                464d4c452f332e302028636f6d70617469626c653b204c61766635392e32372e31303029
                                                                #     "FMLE/3.0 (compatible; Lavf59.27.100)"
              0005 746355726c 02 001b                           #   tcUrl:
                72746d703a2f2f3132372e302e302e313a31393335302f6c697665
                                                                #     "rtmp://127.0.0.1:19350/live"
              0000 09                                           #   object end
            """;

    private static ByteBuf buf(String annotated) {
        return Unpooled.wrappedBuffer(Hex.bytes(annotated));
    }

    private static byte[] encode(Object v) {
        ByteBuf b = Unpooled.buffer();
        try {
            Amf0Encoder.writeValue(b, v);
            byte[] out = new byte[b.readableBytes()];
            b.readBytes(out);
            return out;
        } finally {
            b.release();
        }
    }

    private static Object decode(byte[] bytes) {
        ByteBuf b = Unpooled.wrappedBuffer(bytes);
        Object v = new Amf0Decoder().readValue(b);
        assertFalse(b.isReadable(), "bytes left after the value");
        return v;
    }

    @Test
    void decodesFfmpegConnect() {
        ByteBuf b = buf(FFMPEG_CONNECT);
        List<Object> values = new Amf0Decoder().readAll(b);
        assertEquals(3, values.size());
        assertEquals("connect", values.get(0));
        assertEquals(1.0, values.get(1));
        AmfObject o = assertInstanceOf(AmfObject.class, values.get(2));
        assertNull(o.className());
        assertEquals(List.of("app", "type", "flashVer", "tcUrl"), List.copyOf(o.keySet()));
        assertEquals("live", o.string("app"));
        assertEquals("FMLE/3.0 (compatible; Lavf59.27.100)", o.string("flashVer"));
        assertEquals("rtmp://127.0.0.1:19350/live", o.string("tcUrl"));

        // Encoding gives back the same bytes.
        ByteBuf out = Unpooled.buffer();
        Amf0Encoder.writeValues(out, values);
        assertEquals(Hex.of(Hex.bytes(FFMPEG_CONNECT)), Hex.of(out));
        out.release();
    }

    @Test
    void goldenScalars() {
        assertArrayEquals(Hex.bytes("00 4045000000000000"), encode(42.0));      // number 42
        assertArrayEquals(Hex.bytes("00 4045000000000000"), encode(42));        // ints are numbers
        assertArrayEquals(Hex.bytes("01 01"), encode(true));                    // boolean true
        assertArrayEquals(Hex.bytes("01 00"), encode(false));
        assertArrayEquals(Hex.bytes("02 0002 6869"), encode("hi"));             // string "hi"
        assertArrayEquals(Hex.bytes("05"), encode(null));                       // null
        assertArrayEquals(Hex.bytes("06"), encode(AmfUndefined.INSTANCE));      // undefined
        assertArrayEquals(Hex.bytes("0b 0000000000000000 0000"), encode(new AmfDate(0, (short) 0))); // date 0, tz 0
        assertEquals(42.0, decode(Hex.bytes("00 4045000000000000")));
        assertEquals(Boolean.TRUE, decode(Hex.bytes("01 02")));                 // any non-zero is true
        assertSame(AmfUndefined.INSTANCE, decode(Hex.bytes("0d")));             // unsupported reads as undefined
        assertEquals(new AmfDate(1.5e12, (short) 60), decode(Hex.bytes("0b 4275d3ef79800000 003c")));
    }

    @Test
    void longStringAboveU16() {
        char[] chars = new char[70000];
        Arrays.fill(chars, 'x');
        String s = new String(chars);
        byte[] bytes = encode(s);
        assertEquals(0x0c, bytes[0]);                                          // long string marker
        assertEquals("00011170", Hex.of(Arrays.copyOfRange(bytes, 1, 5)));   // u32 length 70000
        AmfLimits roomy = AmfLimits.builder().maxStringLength(100_000).build();
        assertEquals(s, new Amf0Decoder(roomy).readValue(Unpooled.wrappedBuffer(bytes)));
        // The default limit is 64 KiB.
        AmfException e = assertThrows(AmfException.class, () -> decode(bytes));
        assertTrue(e.getMessage().contains("exceeds the limit"), e.getMessage());
    }

    @Test
    void ecmaArrayStrictArrayTypedObjectRoundTrip() {
        AmfEcmaArray meta = new AmfEcmaArray().with("duration", 0.0).with("width", 1280.0).with("encoder", "Lavf");
        AmfObject typed = new AmfObject("flex.Foo").with("a", 1.0);
        List<Object> list = Arrays.asList(1.0, "two", null, AmfUndefined.INSTANCE, true);
        for (Object v : List.of(meta, typed, list, new AmfObject(), new AmfEcmaArray(), new AmfXml("<a/>", true))) {
            assertEquals(v, decode(encode(v)), "round trip of " + v);
        }
        assertArrayEquals(Hex.bytes("""
                08 00000001          # ECMA array, count 1
                  0001 61 00 3ff0000000000000   # a: 1.0
                  0000 09            # end
                """), encode(new AmfEcmaArray().with("a", 1.0)));
        assertArrayEquals(Hex.bytes("""
                10 0001 43           # typed object, class "C"
                  0000 09            # end
                """), encode(new AmfObject("C")));
        assertArrayEquals(Hex.bytes("0a 00000002 05 01 00"), encode(Arrays.asList(null, false))); // strict array [null, false]
        // ECMA array and object stay apart after a round trip.
        assertInstanceOf(AmfEcmaArray.class, decode(encode(meta)));
        assertInstanceOf(AmfObject.class, decode(encode(new AmfObject())));
        // An ECMA array whose count is wrong (0, as some encoders write) still decodes by its end marker.
        assertEquals(new AmfEcmaArray().with("a", true), decode(Hex.bytes("08 00000000 0001 61 0101 0000 09")));
    }

    @Test
    void referencesResolveToEarlierObjects() {
        Object v = decode(Hex.bytes("""
                0a 00000002          # strict array of 2 (reference index 0)
                  03 0001 78 05 0000 09   # {x: null} (reference index 1)
                  07 0001            # reference to index 1
                """));
        List<?> list = assertInstanceOf(List.class, v);
        assertSame(list.get(0), list.get(1));
    }

    @Test
    void refusesBadReferences() {
        // Out of range.
        assertThrows(AmfException.class, () -> decode(Hex.bytes("07 0000")));
        // To an enclosing object: a cycle.
        AmfException e = assertThrows(AmfException.class, () -> decode(Hex.bytes("03 0001 61 07 0000 0000 09")));
        assertTrue(e.getMessage().contains("cycles"), e.getMessage());
    }

    @Test
    void refusesExponentialReferenceExpansion() {
        // Each array holds the previous one twice: 40 levels would stand for 2^40 values.
        ByteBuf b = Unpooled.buffer();
        b.writeBytes(Hex.bytes("0a 00000001 05"));       // level 0: [null]
        for (int i = 1; i <= 40; i++) {
            b.writeByte(0x0a).writeInt(2);
            b.writeByte(0x07).writeShort(i - 1);
            b.writeByte(0x07).writeShort(i - 1);
        }
        Amf0Decoder d = new Amf0Decoder(AmfLimits.builder().maxDepth(64).build());
        List<Object> values = new java.util.ArrayList<>();
        AmfException e = assertThrows(AmfException.class, () -> {
            while (b.isReadable()) {
                values.add(d.readValue(b));
            }
        });
        assertTrue(e.getMessage().contains("values"), e.getMessage());
        b.release();
    }

    @Test
    void deepNestingFailsCleanly() {
        // 10000 nested objects {a:{a:{...}}}: must be an AmfException, not a StackOverflowError.
        ByteBuf b = Unpooled.buffer();
        for (int i = 0; i < 10000; i++) {
            b.writeByte(0x03).writeShort(1).writeByte('a');
        }
        AmfException e = assertThrows(AmfException.class, () -> new Amf0Decoder().readValue(b));
        assertTrue(e.getMessage().contains("nesting deeper than 32"), e.getMessage());
        b.release();

        ByteBuf arrays = Unpooled.buffer();
        for (int i = 0; i < 10000; i++) {
            arrays.writeByte(0x0a).writeInt(1);
        }
        assertThrows(AmfException.class, () -> new Amf0Decoder().readValue(arrays));
        arrays.release();

        // Exactly at the limit works.
        AmfObject deep = new AmfObject();
        AmfObject cur = deep;
        for (int i = 1; i < 32; i++) {
            AmfObject next = new AmfObject();
            cur.put("a", next);
            cur = next;
        }
        assertEquals(deep, decode(encode(deep)));
        cur.put("a", new AmfObject());
        assertThrows(AmfException.class, () -> decode(encode(deep)));
    }

    @Test
    void refusesOversizedCountsBeforeAllocating() {
        // A strict array claiming 4 billion elements.
        assertThrows(AmfException.class, () -> decode(Hex.bytes("0a ffffffff")));
        // More elements than the limit.
        AmfLimits small = AmfLimits.builder().maxElements(2).build();
        assertThrows(AmfException.class, () -> new Amf0Decoder(small).readValue(
                Unpooled.wrappedBuffer(Hex.bytes("03 0001 61 05 0001 62 05 0001 63 05 0000 09"))));
        // A long string claiming 4 GiB.
        assertThrows(AmfException.class, () -> decode(Hex.bytes("0c ffffffff 00")));
    }

    @Test
    void refusesTruncatedAndUnknownInput() {
        for (String hex : List.of("", "00 40", "02 0005 6869", "03 0001", "03 0001 61", "03 0001 61 05", "0b 00",
                "08 0000", "10 0003 41")) {
            assertThrows(AmfException.class, () -> decode(Hex.bytes(hex)), hex);
        }
        AmfException e = assertThrows(AmfException.class, () -> decode(Hex.bytes("12")));
        assertTrue(e.getMessage().contains("0x12"), e.getMessage());
        assertThrows(AmfException.class, () -> decode(Hex.bytes("09")));     // object end alone
        assertThrows(AmfException.class, () -> decode(Hex.bytes("04")));     // movie clip
        assertThrows(AmfException.class, () -> decode(Hex.bytes("0e")));     // record set
    }

    @Test
    void avmplusSwitchesToAmf3() {
        Object v = decode(Hex.bytes("""
                11                   # avmplus: next value is AMF3
                0a 0b 01             # AMF3 object, inline dynamic traits, anonymous class ""
                  03 61 04 05        #   a: integer 5
                  01                 #   end of dynamic members
                """));
        AmfObject o = assertInstanceOf(AmfObject.class, v);
        assertEquals(5, o.get("a"));
        // byte[] has no AMF0 form and goes through the switch.
        assertArrayEquals(Hex.bytes("11 0c 07 010203"), encode(new byte[] {1, 2, 3}));
        assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) decode(encode(new byte[] {1, 2, 3})));
    }

    @Test
    void encoderRefusesCyclesAndUnknownTypes() {
        AmfObject a = new AmfObject();
        a.put("self", List.of(a));
        assertThrows(IllegalArgumentException.class, () -> encode(a));
        assertThrows(IllegalArgumentException.class, () -> encode(new Object()));
    }
}
