package io.livehub.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Checks the backoff: doubling from the first delay, capped, with jitter taken off the top. */
class RetryPolicyTest {

    @Test
    void doublesUpToTheCapWithoutJitter() {
        RetryPolicy p = new RetryPolicy(10, Duration.ofMillis(100), Duration.ofMillis(1000), 0);
        assertEquals(Duration.ofMillis(100), p.delay(1, () -> 0.7));
        assertEquals(Duration.ofMillis(200), p.delay(2, () -> 0.7));
        assertEquals(Duration.ofMillis(400), p.delay(3, () -> 0.7));
        assertEquals(Duration.ofMillis(800), p.delay(4, () -> 0.7));
        assertEquals(Duration.ofMillis(1000), p.delay(5, () -> 0.7));
        assertEquals(Duration.ofMillis(1000), p.delay(60, () -> 0.7));
    }

    @Test
    void jitterShortensByAtMostItsFraction() {
        RetryPolicy p = new RetryPolicy(10, Duration.ofMillis(100), Duration.ofMillis(1000), 0.5);
        assertEquals(Duration.ofMillis(400), p.delay(3, () -> 0.0));
        assertEquals(Duration.ofMillis(300), p.delay(3, () -> 0.5));
        assertEquals(Duration.ofNanos(200_200_000), p.delay(3, () -> 0.999));
    }

    @Test
    void rejectsNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(0, Duration.ZERO, Duration.ZERO, 0));
        assertThrows(IllegalArgumentException.class,
                () -> new RetryPolicy(1, Duration.ofSeconds(2), Duration.ofSeconds(1), 0));
        assertThrows(IllegalArgumentException.class,
                () -> new RetryPolicy(1, Duration.ZERO, Duration.ZERO, 1.5));
        assertEquals(6, RetryPolicy.defaults().maxAttempts());
    }
}
