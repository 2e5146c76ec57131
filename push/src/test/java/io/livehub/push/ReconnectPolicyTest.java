package io.livehub.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ReconnectPolicyTest {

    @Test
    void delaysDoubleUpToTheCap() {
        ReconnectPolicy p = ReconnectPolicy.DEFAULT;
        // 0.5 picks the middle of the jitter range: no jitter.
        assertEquals(Duration.ofSeconds(1), p.delay(1, 0.5));
        assertEquals(Duration.ofSeconds(2), p.delay(2, 0.5));
        assertEquals(Duration.ofSeconds(4), p.delay(3, 0.5));
        assertEquals(Duration.ofSeconds(16), p.delay(5, 0.5));
        assertEquals(Duration.ofSeconds(30), p.delay(6, 0.5));
        assertEquals(Duration.ofSeconds(30), p.delay(1_000_000, 0.5), "a long outage stays at the cap");
    }

    @Test
    void jitterSpreadsWithinItsRangeAndNeverPassesTheCap() {
        ReconnectPolicy p = ReconnectPolicy.DEFAULT;
        assertEquals(Duration.ofMillis(800), p.delay(1, 0));
        long top = p.delay(1, 0.999_999).toMillis();
        assertTrue(top >= 1199 && top <= 1200, "just under +20%: " + top);
        assertEquals(Duration.ofMillis(3200), p.delay(3, 0));
        assertEquals(Duration.ofSeconds(30), p.delay(10, 0.999), "jitter above the cap is capped");
        assertEquals(Duration.ofSeconds(24), p.delay(10, 0));
    }

    @Test
    void attemptsAreUnlimitedByDefault() {
        assertTrue(ReconnectPolicy.DEFAULT.allows(Integer.MAX_VALUE));
        ReconnectPolicy three = ReconnectPolicy.builder().maxAttempts(3).build();
        assertTrue(three.allows(3));
        assertFalse(three.allows(4));
    }

    @Test
    void rejectsBadValues() {
        assertThrows(IllegalArgumentException.class, () -> ReconnectPolicy.builder().jitter(1.5));
        assertThrows(IllegalArgumentException.class, () -> ReconnectPolicy.builder().multiplier(0.5));
        assertThrows(IllegalArgumentException.class, () -> ReconnectPolicy.builder().initialDelay(Duration.ZERO));
        assertThrows(IllegalArgumentException.class,
                () -> ReconnectPolicy.builder().initialDelay(Duration.ofMinutes(2)).maxDelay(Duration.ofMinutes(1)).build());
        assertThrows(IllegalArgumentException.class, () -> ReconnectPolicy.DEFAULT.delay(0, 0.5));
    }
}
