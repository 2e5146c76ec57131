package io.livehub.push;

import java.time.Duration;
import java.util.Objects;

/**
 * Says when a push task tries its destination again after a failure: exponential backoff with
 * jitter and a cap, so that many tasks cut off together do not reconnect in lockstep, and a
 * destination that is down for an hour is asked about once per cap, not once per second.
 *
 * <p>The delay before retry {@code n} (1 for the first retry) is
 * {@code min(cap, initial × multiplier^(n-1))}, then scaled by a random factor in
 * {@code [1 - jitter, 1 + jitter]} and capped again.
 *
 * <p>Defaults, and why:
 * <ul>
 *   <li>{@code initialDelay} 1 s: a destination that dropped the connection (a platform
 *       restarting an ingest node) is usually back within a second or two.</li>
 *   <li>{@code multiplier} 2: the usual doubling.</li>
 *   <li>{@code maxDelay} 30 s: a stream a viewer waits for should not stay away longer than
 *       half a minute after its destination returns.</li>
 *   <li>{@code jitter} 0.2: ±20% spreads reconnects of tasks that failed at once.</li>
 *   <li>{@code maxAttempts} 0 (unlimited): a restream should outlive any outage; a positive
 *       value leaves the task in {@code error} after that many failed retries in a row.</li>
 *   <li>{@code stableAfter} 10 s: a connection that pushed this long counts as a success, and
 *       the next failure starts again at {@code initialDelay}; a destination that accepts and
 *       drops at once keeps backing off.</li>
 * </ul>
 *
 * <p>Thread-safety: immutable.
 */
public final class ReconnectPolicy {

    /** The defaults listed in the class notes. */
    public static final ReconnectPolicy DEFAULT = builder().build();

    private final Duration initialDelay;
    private final Duration maxDelay;
    private final double multiplier;
    private final double jitter;
    private final int maxAttempts;
    private final Duration stableAfter;

    private ReconnectPolicy(Builder b) {
        this.initialDelay = b.initialDelay;
        this.maxDelay = b.maxDelay;
        this.multiplier = b.multiplier;
        this.jitter = b.jitter;
        this.maxAttempts = b.maxAttempts;
        this.stableAfter = b.stableAfter;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Duration initialDelay() {
        return initialDelay;
    }

    public Duration maxDelay() {
        return maxDelay;
    }

    public double multiplier() {
        return multiplier;
    }

    public double jitter() {
        return jitter;
    }

    /** Returns the most retries in a row, or 0 for no limit. */
    public int maxAttempts() {
        return maxAttempts;
    }

    public Duration stableAfter() {
        return stableAfter;
    }

    /** Returns whether retry {@code attempt} (1-based) may be made. */
    public boolean allows(int attempt) {
        return maxAttempts == 0 || attempt <= maxAttempts;
    }

    /**
     * Returns the delay before retry {@code attempt} (1-based).
     *
     * @param random a value in [0, 1) that picks the jitter; 0.5 gives the delay without jitter
     */
    public Duration delay(int attempt, double random) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be >= 1: " + attempt);
        }
        double cap = maxDelay.toNanos();
        double base = initialDelay.toNanos();
        // Stops multiplying once at the cap, so a long outage cannot overflow to infinity.
        for (int i = 1; i < attempt && base < cap; i++) {
            base *= multiplier;
        }
        base = Math.min(base, cap);
        double factor = 1 + jitter * (2 * random - 1);
        return Duration.ofNanos((long) Math.min(cap, base * factor));
    }

    @Override
    public String toString() {
        return "ReconnectPolicy[initial=" + initialDelay + ", max=" + maxDelay + ", multiplier=" + multiplier
                + ", jitter=" + jitter + ", maxAttempts=" + maxAttempts + ", stableAfter=" + stableAfter + "]";
    }

    /**
     * Builds a {@link ReconnectPolicy}; every setter checks its value.
     *
     * <p>Thread-safety: not thread-safe.
     */
    public static final class Builder {
        private Duration initialDelay = Duration.ofSeconds(1);
        private Duration maxDelay = Duration.ofSeconds(30);
        private double multiplier = 2;
        private double jitter = 0.2;
        private int maxAttempts;
        private Duration stableAfter = Duration.ofSeconds(10);

        private Builder() {
        }

        /** Sets the first delay, 1 ms..1 h; default 1 s. */
        public Builder initialDelay(Duration v) {
            this.initialDelay = check("initialDelay", v);
            return this;
        }

        /** Sets the cap, 1 ms..1 h; default 30 s. */
        public Builder maxDelay(Duration v) {
            this.maxDelay = check("maxDelay", v);
            return this;
        }

        /** Sets the growth factor, 1..10; default 2. */
        public Builder multiplier(double v) {
            if (!(v >= 1 && v <= 10)) {
                throw new IllegalArgumentException("multiplier must be 1..10: " + v);
            }
            this.multiplier = v;
            return this;
        }

        /** Sets the jitter, 0..1; default 0.2. */
        public Builder jitter(double v) {
            if (!(v >= 0 && v <= 1)) {
                throw new IllegalArgumentException("jitter must be 0..1: " + v);
            }
            this.jitter = v;
            return this;
        }

        /** Sets the most retries in a row, 0 for unlimited (the default). */
        public Builder maxAttempts(int v) {
            if (v < 0) {
                throw new IllegalArgumentException("maxAttempts must be >= 0: " + v);
            }
            this.maxAttempts = v;
            return this;
        }

        /** Sets how long a connection must push to reset the backoff, 1 ms..1 h; default 10 s. */
        public Builder stableAfter(Duration v) {
            this.stableAfter = check("stableAfter", v);
            return this;
        }

        public ReconnectPolicy build() {
            if (maxDelay.compareTo(initialDelay) < 0) {
                throw new IllegalArgumentException("maxDelay must be >= initialDelay");
            }
            return new ReconnectPolicy(this);
        }

        private static Duration check(String name, Duration v) {
            Objects.requireNonNull(v, name);
            if (v.toMillis() < 1 || v.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException(name + " must be in [1 ms, 1 h]: " + v);
            }
            return v;
        }
    }
}
