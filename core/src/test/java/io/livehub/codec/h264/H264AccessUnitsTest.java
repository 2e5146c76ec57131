package io.livehub.codec.h264;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livehub.codec.Hex;
import io.livehub.media.MalformedMediaException;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class H264AccessUnitsTest {

    @Test
    void findsIdrInLengthPrefixedAndAnnexBForms() {
        // AUD, SEI, IDR slice (type 5)
        assertTrue(H264AccessUnits.containsIdr(Unpooled.wrappedBuffer(Hex.bytes("0002 0910 0002 0605 0003 658884")), 2));
        // AUD, non-IDR slice (type 1)
        assertFalse(H264AccessUnits.containsIdr(Unpooled.wrappedBuffer(Hex.bytes("00000002 0910 00000003 419a00")), 4));
        assertTrue(H264AccessUnits.containsIdrAnnexB(Unpooled.wrappedBuffer(Hex.bytes("00000001 6764 000001 658884"))));
        assertFalse(H264AccessUnits.containsIdrAnnexB(Unpooled.wrappedBuffer(Hex.bytes("00000001 419a"))));
    }

    @Test
    void rejectsLengthPastTheEnd() {
        assertThrows(MalformedMediaException.class,
                () -> H264AccessUnits.containsIdr(Unpooled.wrappedBuffer(Hex.bytes("00000009 0910")), 4));
    }
}
