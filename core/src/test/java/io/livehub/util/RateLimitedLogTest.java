package io.livehub.util;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RateLimitedLogTest {

    private final List<String> lines = new ArrayList<>();
    private final List<Object[]> argsSeen = new ArrayList<>();
    private long now = 1_000;
    private final RateLimitedLog log = new RateLimitedLog((level, format, args) -> {
        lines.add(level + " " + format);
        argsSeen.add(args);
    }, Duration.ofSeconds(10), () -> now);

    @Test
    void logsTheFirstLineOfACauseThenOneLinePerIntervalWithTheSuppressedCount() {
        assertTrue(log.warn("timeout", "handshake of {} timed out", "a"));
        assertFalse(log.warn("timeout", "handshake of {} timed out", "b"));
        assertFalse(log.warn("timeout", "handshake of {} timed out", "c"));
        assertEquals(2, log.suppressed("timeout"));
        assertEquals(List.of("WARN handshake of {} timed out"), lines);

        now += TimeUnit.SECONDS.toNanos(10);
        assertTrue(log.warn("timeout", "handshake of {} timed out", "d"));
        assertEquals("WARN handshake of {} timed out ({} similar lines suppressed)", lines.get(1));
        assertArrayEquals(new Object[] {"d", 2L}, argsSeen.get(1));
        assertEquals(0, log.suppressed("timeout"));
    }

    @Test
    void causesAreLimitedApart() {
        assertTrue(log.warn("timeout", "x"));
        assertTrue(log.info("bad-version", "y"));
        assertTrue(log.error("io", "z"));
        assertFalse(log.info("bad-version", "y"));
        assertEquals(List.of("WARN x", "INFO y", "ERROR z"), lines);
    }

    @Test
    void aTrailingThrowableStaysLastAfterTheCount() {
        IllegalStateException e = new IllegalStateException("boom");
        log.warn("io", "failed {}", "a", e);
        log.warn("io", "failed {}", "b", e);
        now += TimeUnit.SECONDS.toNanos(11);
        log.warn("io", "failed {}", "c", e);
        assertArrayEquals(new Object[] {"c", 1L, e}, argsSeen.get(1));
    }

    @Test
    void causesBeyondTheBoundShareOneSlot() {
        for (int i = 0; i < RateLimitedLog.MAX_CAUSES; i++) {
            assertTrue(log.warn("cause" + i, "line"));
        }
        assertTrue(log.warn("one more", "line"));
        assertFalse(log.warn("and another", "line"), "shares the overflow slot");
    }
}
