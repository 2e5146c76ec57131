package io.livehub.webrtc.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Packets back in order, NACKs for what is missing, and giving up after the delay. */
class ReorderBufferTest {

    private final List<Integer> delivered = new ArrayList<>();
    private final ReorderBuffer<String> buffer = new ReorderBuffer<>(16, 100, (seq, p) -> delivered.add(seq));

    @Test
    void putsReorderedPacketsBackInOrderAcrossTheWrap() {
        buffer.add(65534, "a", 0);
        buffer.add(0, "c", 1);
        assertEquals(List.of(65534), delivered, "65535 is awaited");
        assertEquals(List.of(65535), buffer.newlyMissing(10));
        assertEquals(List.of(), buffer.newlyMissing(10), "asked for once");
        buffer.add(65535, "b", 2);
        assertEquals(List.of(65534, 65535, 0), delivered);
        buffer.add(65535, "b again", 3);
        assertEquals(3, delivered.size(), "a late duplicate is dropped");
    }

    @Test
    void givesUpOnAMissingPacketAfterTheDelay() {
        buffer.add(10, "a", 0);
        buffer.add(12, "c", 10);
        buffer.add(13, "d", 20);
        assertEquals(List.of(10), delivered);
        buffer.poll(100);
        assertEquals(List.of(10), delivered, "not yet: 12 arrived 90 ns ago");
        buffer.poll(111);
        assertEquals(List.of(10, 12, 13), delivered);
        assertEquals(1, buffer.skipped());
    }

    @Test
    void aPacketTooFarAheadFlushesWhatIsHeld() {
        buffer.add(1, "a", 0);
        buffer.add(3, "c", 0);
        buffer.add(100, "far", 0);
        assertEquals(List.of(1, 3, 100), delivered);
        assertEquals(1, buffer.skipped());
    }
}
