package io.livehub.srt.packet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.livehub.media.MalformedMediaException;
import io.livehub.srt.Hex;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.junit.jupiter.api.Test;

class SrtKeyMaterialControlTest {

    @Test
    void encodesAsUserDefinedControlWithTheKmSubtype() {
        byte[] km = Hex.bytes("12202901 00000000 02000200 00000404 " + "00".repeat(16) + "11".repeat(24));
        SrtKeyMaterialControl p = new SrtKeyMaterialControl(SrtKeyMaterialControl.KMREQ, km, 0x1234, 0xABCDEF);
        ByteBuf b = SrtPacketEncoder.encode(p, ByteBufAllocator.DEFAULT);
        try {
            // F=1, type 0x7FFF, subtype 3; type-specific info 0; timestamp; destination; the KM message as is
            assertEquals("ffff0003" + "00000000" + "00001234" + "00abcdef" + Hex.hex(io.netty.buffer.Unpooled
                    .wrappedBuffer(km)), Hex.hex(b));
            SrtPacket back = new SrtPacketDecoder(1472).decode(b);
            SrtKeyMaterialControl k = assertInstanceOf(SrtKeyMaterialControl.class, back);
            assertEquals(SrtKeyMaterialControl.KMREQ, k.subtype());
            assertArrayEquals(km, k.content());
            assertEquals(0xABCDEF, k.destinationSocketId());
        } finally {
            b.release();
        }
    }

    @Test
    void aKmrspWithOneStateWordDecodesAndMalformedLengthsAreRejected() {
        SrtPacketDecoder d = new SrtPacketDecoder(1472);
        SrtKeyMaterialControl rsp = assertInstanceOf(SrtKeyMaterialControl.class,
                d.decode(Hex.buf("ffff0004 00000000 00000001 00000002 04000000")));
        assertEquals(SrtKeyMaterialControl.KMRSP, rsp.subtype());
        assertEquals(4, io.livehub.srt.handshake.SrtKeyMaterial.errorState(rsp.content()));
        assertThrows(MalformedMediaException.class, () -> d.decode(Hex.buf("ffff0003 00000000 00000001 00000002")));
        assertThrows(MalformedMediaException.class,
                () -> d.decode(Hex.buf("ffff0003 00000000 00000001 00000002 010203")));
        assertThrows(MalformedMediaException.class, () -> d.decode(Hex.buf("ffff0003 00000000 00000001 00000002"
                + "00".repeat(SrtKeyMaterialControl.MAX_CONTENT + 4))));
        // Other user-defined subtypes stay opaque.
        assertInstanceOf(SrtOtherControl.class, d.decode(Hex.buf("ffff0009 00000000 00000001 00000002 00000000")));
    }
}
