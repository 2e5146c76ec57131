package io.livehub.hooks;

import java.time.Duration;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * Says how often and how late a failed notification is tried again: exponential backoff from
 * {@code initialDelay}, doubling per failure up to {@code maxDelay}, shortened by a random
 * part of up to {@code jitter} (0 to 1) so that many servers do not retry in step.
 *
 * <p>Defaults ({@link #defaults()}): 6 attempts in all, 1 s first delay, 30 s longest delay,
 * jitter 0.5; a dead hook server is thus given up on after roughly a minute.
 *
 * <p>Thread-safety: immutable.
 *
 * @param maxAttempts  attempts in all, the first included; 1 means never retry
 * @param initialDelay the delay after the first failure
 * @param maxDelay     the longest delay between two attempts
 * @param jitter       the largest fraction of a delay removed at random, from 0 (none) to 1
 */
public record RetryPolicy(int maxAttempts, Duration initialDelay, Duration maxDelay, double jitter) {

    private static final RetryPolicy DEFAULTS = new RetryPolicy(6, Duration.ofSeconds(1), Duration.ofSeconds(30), 0.5);

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1");
        }
        Objects.requireNonNull(initialDelay, "initialDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        if (initialDelay.isNegative() || maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("need 0 <= initialDelay <= maxDelay");
        }
        if (!(jitter >= 0 && jitter <= 1)) {
            throw new IllegalArgumentException("jitter must be from 0 to 1");
        }
    }

    /** Returns the default policy described above. */
    public static RetryPolicy defaults() {
        return DEFAULTS;
    }

    /** Returns a policy that tries once and never again. */
    public static RetryPolicy none() {
        return new RetryPolicy(1, Duration.ZERO, Duration.ZERO, 0);
    }

    /**
     * Returns how long to wait after the {@code failures}-th failed attempt (1 for the first),
     * drawing the jitter from {@code random}, which returns values in [0, 1).
     */
    public Duration delay(int failures, DoubleSupplier random) {
        long initial = initialDelay.toNanos();
        long max = maxDelay.toNanos();
        long base = initial;
        for (int i = 1; i < failures && base < max; i++) {
            base = base > max / 2 ? max : base * 2;
        }
        base = Math.min(base, max);
        long cut = (long) (base * jitter * random.getAsDouble());
        return Duration.ofNanos(base - cut);
    }
}
