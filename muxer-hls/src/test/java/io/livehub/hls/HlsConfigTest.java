package io.livehub.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The defaults of {@link HlsConfig} and how the low-latency window follows them. */
class HlsConfigTest {

    @Test
    void defaultsAndTheLowLatencyWindow() {
        HlsConfig d = HlsConfig.defaults();
        assertFalse(d.lowLatency());
        assertEquals(6, d.playlistWindow());
        assertEquals(9, d.maxSegments());
        assertEquals(Duration.ofMillis(200), d.partTarget());
        assertNull(d.outputDirectory());
        assertTrue(d.playSessions());
        assertEquals(Duration.ofSeconds(30), d.playSessionTimeout());

        HlsConfig ll = d.toBuilder().lowLatency(true).build();
        assertEquals(12, ll.playlistWindow(), "the default window follows low latency, also through toBuilder");
        assertEquals(15, ll.maxSegments());
        assertEquals(12, ll.toBuilder().build().playlistWindow());

        HlsConfig set = HlsConfig.builder().playlistWindow(8).lowLatency(true).build();
        assertEquals(8, set.playlistWindow());
        assertEquals(11, set.maxSegments());
        assertEquals(8, set.toBuilder().lowLatency(false).build().playlistWindow());

        assertThrows(IllegalArgumentException.class, () -> HlsConfig.builder().lowLatency(true)
                .targetDuration(Duration.ofMillis(500)).partTarget(Duration.ofSeconds(1)).build());
        assertThrows(IllegalArgumentException.class, () -> HlsConfig.builder().partTarget(Duration.ofMillis(10)));
    }
}
