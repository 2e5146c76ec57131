package io.livehub.srt.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SrtSequenceTest {

    @Test
    void wrapsAt31Bits() {
        assertEquals(0, SrtSequence.next(SrtSequence.MAX));
        assertEquals(SrtSequence.MAX, SrtSequence.previous(0));
        assertEquals(4, SrtSequence.add(SrtSequence.MAX, 5));
        assertEquals(SrtSequence.MAX - 1, SrtSequence.add(1, -3));
    }

    @Test
    void offsetTakesTheShortWayRound() {
        assertEquals(5, SrtSequence.offset(10, 15));
        assertEquals(-5, SrtSequence.offset(15, 10));
        assertEquals(3, SrtSequence.offset(SrtSequence.MAX - 1, 1));
        assertEquals(-3, SrtSequence.offset(1, SrtSequence.MAX - 1));
        assertTrue(SrtSequence.compare(0, SrtSequence.MAX) > 0);
        assertTrue(SrtSequence.compare(SrtSequence.MAX, 0) < 0);
        assertEquals(0, SrtSequence.compare(7, 7));
    }

    @Test
    void lossListBuilderMergesNeighbours() {
        SrtLossList l = new SrtLossList.Builder().add(1, 1).add(2, 4).add(6, 6).add(SrtSequence.MAX, SrtSequence.MAX)
                .add(0, 0).build();
        assertEquals(SrtLossList.ofRanges(1, 4, 6, 6, SrtSequence.MAX, 0), l);
        assertEquals("[1..4, 6, 2147483647..0]", l.toString());
        assertEquals(7, l.count());
        assertEquals(8 + 4 + 8, l.encodedLength());
    }
}
