package io.livehub.media;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** One unwrapper for RTMP's 32-bit and MPEG-TS's 33-bit clocks. */
class TimestampUnwrapperTest {

    @Test
    void rtmpMillisecondsWrapForwardAndStepBackSmall() {
        TimestampUnwrapper u = TimestampUnwrapper.ofBits(32);
        assertEquals(0xFFFF_FF00L, u.unwrap(0xFFFF_FF00L));
        assertEquals(0x1_0000_0010L, u.unwrap(0x10), "past 2^32 it goes on");
        assertEquals(0x1_0000_0008L, u.unwrap(0x08), "a small step back (B-frames) stays back");
        assertEquals(0xFFFF_FFF0L, u.unwrap(0xFFFF_FFF0L), "and back over the wrap too");
    }

    @Test
    void mpegTsNinetyKilohertzWrapsAt33Bits() {
        TimestampUnwrapper u = TimestampUnwrapper.ofBits(33);
        long top = (1L << 33) - 900;
        assertEquals(top, u.unwrap(top));
        assertEquals((1L << 33) + 2700, u.unwrap(2700));
        assertEquals(-3600, u.difference(top, 2700), "top is 3600 ticks before 2700, modulo 2^33");
    }
}
