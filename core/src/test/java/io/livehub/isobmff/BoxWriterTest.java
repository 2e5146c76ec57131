package io.livehub.isobmff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class BoxWriterTest {

    @Test
    void nestsBoxesAndFillsInTheirSizes() {
        ByteBuf out = Unpooled.buffer();
        try {
            BoxWriter w = new BoxWriter(out);
            w.begin("moov").beginFull("mvex", 1, 0x020304).u8(0xAA).end().box("free", new byte[] {1, 2}).end();
            assertEquals(0, w.depth());
            Golden.assertBytes("""
                    0000001f 6d6f6f76   // size 31, 'moov'
                    0000000d 6d766578   // size 13, 'mvex'
                    01 020304           // version 1, flags 0x020304
                    aa                  // one payload byte
                    0000000a 66726565   // size 10, 'free'
                    0102                // payload
                    """, out);
        } finally {
            out.release();
        }
    }

    @Test
    void writesLargeSizeOnlyWhenTheBoxNeedsIt() {
        ByteBuf out = Unpooled.buffer();
        try {
            assertEquals(8, BoxWriter.headerLength(0xFFFF_FFF7L));
            assertEquals(16, BoxWriter.headerLength(0xFFFF_FFF8L));
            BoxWriter.writeHeader(out, BoxWriter.fourCc("mdat"), 0xFFFF_FFF7L);
            BoxWriter.writeHeader(out, BoxWriter.fourCc("mdat"), 0xFFFF_FFF8L);
            Golden.assertBytes("""
                    ffffffff 6d646174                    // size 2^32 - 1 still fits 32 bits, 'mdat'
                    00000001 6d646174 0000000100000008   // size 1 says a largesize follows: 2^32 + 8
                    """, out);
        } finally {
            out.release();
        }
    }

    @Test
    void packsAndUnpacksFourCharacterCodes() {
        assertEquals(0x6d6f6f76, BoxWriter.fourCc("moov"));
        assertEquals(0x75726c20, BoxWriter.fourCc("url "));
        assertEquals("Opus", BoxWriter.fourCcString(BoxWriter.fourCc("Opus")));
        assertThrows(IllegalArgumentException.class, () -> BoxWriter.fourCc("moo"));
        assertThrows(IllegalArgumentException.class, () -> BoxWriter.fourCc("mo\u0100v"));
    }

    @Test
    void refusesToCloseABoxThatIsNotOpen() {
        ByteBuf out = Unpooled.buffer();
        try {
            BoxWriter w = new BoxWriter(out);
            assertThrows(IllegalStateException.class, w::end);
        } finally {
            out.release();
        }
    }
}
