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

    @Test
    void sessionLimitsHaveSafeDefaultsAndSurviveToBuilder() {
        HlsSessionLimits d = HlsConfig.defaults().sessionLimits();
        assertEquals(HlsSessionLimits.defaults(), d);
        assertEquals(1024, d.maxQueryLength());
        assertEquals(255, d.maxHostLength());
        assertEquals(1024, d.maxRefererLength());
        assertEquals(100, d.maxSessionsPerAddress());
        assertEquals(10, d.newSessionsPerSecondPerAddress());
        assertEquals(128L << 20, d.memoryBudget());
        // Counted at their largest, the sessions of a full budget fit a quarter of a 512 MB heap.
        assertTrue(d.maxSessions() > 5_000 && (long) d.maxSessions() * d.sessionBytes() <= 128L << 20, d.toString());

        HlsSessionLimits custom = d.toBuilder().maxSessionsPerAddress(5).memoryBudget(8L << 20).build();
        HlsConfig c = HlsConfig.builder().sessionLimits(custom).build();
        assertEquals(5, c.toBuilder().build().sessionLimits().maxSessionsPerAddress());
        assertEquals((8L << 20) / custom.sessionBytes(), c.sessionLimits().maxSessions());
        assertThrows(IllegalArgumentException.class, () -> HlsSessionLimits.builder().maxQueryLength(1 << 20));
        assertThrows(IllegalArgumentException.class, () -> HlsSessionLimits.builder().memoryBudget(1000));
    }
}
