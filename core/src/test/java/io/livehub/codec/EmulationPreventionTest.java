package io.livehub.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class EmulationPreventionTest {

    @Test
    void removesTheThreeAfterTwoZeros() {
        // From the x264 High SPS below: 11 00 00 03 00 01 00 00 03 00 32 -> 11 00 00 00 01 00 00 00 32
        assertArrayEquals(Hex.bytes("1100000001000000 32"),
                EmulationPrevention.unescape(Hex.bytes("11000003000100000300 32")));
    }

    @Test
    void keepsAThreeThatDoesNotFollowTwoZeros() {
        assertArrayEquals(Hex.bytes("00 03 00 00 00 03"), EmulationPrevention.unescape(Hex.bytes("0003 0000 0300 03")));
    }

    @Test
    void escapeAndUnescapeRoundTrip() {
        byte[] rbsp = Hex.bytes("00 00 00 00 00 01 00 00 02 00 00 03 00 00 04 ff");
        byte[] escaped = EmulationPrevention.escape(rbsp);
        assertArrayEquals(Hex.bytes("0000 03 0000 03 00 01 0000 03 02 0000 03 03 0000 04 ff"), escaped);
        assertArrayEquals(rbsp, EmulationPrevention.unescape(escaped));
    }

    @Test
    void protectsATrailingZero() {
        byte[] rbsp = Hex.bytes("80 00 00");
        byte[] escaped = EmulationPrevention.escape(rbsp);
        assertArrayEquals(Hex.bytes("80 0000 03"), escaped);
        assertArrayEquals(rbsp, EmulationPrevention.unescape(escaped));
    }
}
