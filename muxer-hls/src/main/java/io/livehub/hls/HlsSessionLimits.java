package io.livehub.hls;

import io.livehub.media.QueryParams;

/**
 * Bounds what HLS play sessions ({@code hls_ctx}, {@link HlsConfig#playSessions()}) may cost, so
 * that no stream of unauthenticated playlist requests can exhaust the heap (ARCHITECTURE.md
 * section 6). A session is created only for a playlist request that passed its play decision;
 * each keeps its query, a {@code tcUrl} made from the {@code Host} header and the
 * {@code Referer} until it idles out, so those are bounded here, and so is the number of
 * sessions per address, their creation rate per address and their total. Immutable; build with
 * {@link #builder()}.
 *
 * <table>
 *   <caption>Limits, defaults and what happens beyond them</caption>
 *   <tr><th>limit</th><th>default</th><th>beyond</th><th>why</th></tr>
 *   <tr><td>{@link #maxQueryLength()}</td><td>1024 characters</td><td>{@code 400}</td><td>the
 *       query (a {@code ?secret=} or a signed token) is kept for the session's events; JWTs and
 *       signed URLs fit well within it. Refused rather than truncated, because a cut token
 *       would be judged wrongly</td></tr>
 *   <tr><td>{@link #maxHostLength()}</td><td>255 characters</td><td>{@code 400}</td><td>the
 *       {@code Host} header names the vhost and goes into the session's {@code tcUrl}; a DNS
 *       name has at most 253 characters</td></tr>
 *   <tr><td>{@link #maxRefererLength()}</td><td>1024 characters</td><td>truncated</td><td>the
 *       {@code Referer} is only reported ({@code pageUrl}), nothing is decided on it</td></tr>
 *   <tr><td>{@link #maxSessionsPerAddress()}</td><td>100</td><td>{@code 429} with
 *       {@code Retry-After}</td><td>one address rarely has more viewers (a NAT, an office); an
 *       attacker with one address cannot take the whole budget</td></tr>
 *   <tr><td>{@link #newSessionsPerSecondPerAddress()}</td><td>10 (a burst of as many)</td>
 *       <td>{@code 429} with {@code Retry-After: 1}</td><td>a player opens one session and
 *       keeps it; people behind one address start players at a human pace</td></tr>
 *   <tr><td>{@link #memoryBudget()}</td><td>128 MiB</td><td>{@code 503} with
 *       {@code Retry-After}</td><td>the sessions of all addresses together, counted at their
 *       largest size ({@link #sessionBytes()}, about 19 KiB with the defaults, so about 7,000
 *       sessions): a quarter of a 512 MB heap at most, whatever the requests say</td></tr>
 * </table>
 * The address is the TCP peer's: behind a reverse proxy every viewer has the proxy's address,
 * so raise the per-address limits there (or turn play sessions off behind a caching CDN).
 *
 * <p>Thread-safety: immutable.
 */
public final class HlsSessionLimits {

    /**
     * What a session costs besides its strings and parameters: the session, its client info,
     * counters, the viewer entry, the map nodes and the per-address entry (an estimate of
     * their object sizes on a 64-bit JVM, rounded up generously).
     */
    static final int FIXED_SESSION_BYTES = 3072;
    /** What one query parameter costs besides its characters: two map entries and two strings. */
    static final int PARAM_BYTES = 176;
    /** Room for the app and the {@code http://} around the host in the {@code tcUrl}. */
    static final int TC_URL_EXTRA = 160;

    private static final HlsSessionLimits DEFAULTS = builder().build();

    private final int maxQueryLength;
    private final int maxHostLength;
    private final int maxRefererLength;
    private final int maxSessionsPerAddress;
    private final int newSessionsPerSecondPerAddress;
    private final long memoryBudget;

    private HlsSessionLimits(Builder b) {
        this.maxQueryLength = b.maxQueryLength;
        this.maxHostLength = b.maxHostLength;
        this.maxRefererLength = b.maxRefererLength;
        this.maxSessionsPerAddress = b.maxSessionsPerAddress;
        this.newSessionsPerSecondPerAddress = b.newSessionsPerSecondPerAddress;
        this.memoryBudget = b.memoryBudget;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Returns the default limits. */
    public static HlsSessionLimits defaults() {
        return DEFAULTS;
    }

    /** Returns a builder that starts from these limits. */
    public Builder toBuilder() {
        return builder().maxQueryLength(maxQueryLength).maxHostLength(maxHostLength)
                .maxRefererLength(maxRefererLength).maxSessionsPerAddress(maxSessionsPerAddress)
                .newSessionsPerSecondPerAddress(newSessionsPerSecondPerAddress).memoryBudget(memoryBudget);
    }

    /** Returns the longest query a new viewer may send, in characters. */
    public int maxQueryLength() {
        return maxQueryLength;
    }

    /** Returns the longest {@code Host} header a new viewer may send, in characters. */
    public int maxHostLength() {
        return maxHostLength;
    }

    /** Returns the length at which a viewer's {@code Referer} is cut, in characters. */
    public int maxRefererLength() {
        return maxRefererLength;
    }

    public int maxSessionsPerAddress() {
        return maxSessionsPerAddress;
    }

    public int newSessionsPerSecondPerAddress() {
        return newSessionsPerSecondPerAddress;
    }

    /** Returns the bytes all sessions together may hold, counted at {@link #sessionBytes()} each. */
    public long memoryBudget() {
        return memoryBudget;
    }

    /**
     * Returns the most one session can hold: the fixed part, two bytes per character of its
     * query, {@code tcUrl} and {@code Referer} (a string of non-Latin-1 characters takes two),
     * and {@link QueryParams#MAX_PARAMS} parameters.
     */
    public long sessionBytes() {
        long chars = (long) maxQueryLength + maxHostLength + TC_URL_EXTRA + maxRefererLength;
        return FIXED_SESSION_BYTES + 2 * chars + (long) PARAM_BYTES * QueryParams.MAX_PARAMS;
    }

    /** Returns the most sessions open at once: {@link #memoryBudget()} / {@link #sessionBytes()}. */
    public int maxSessions() {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, memoryBudget / sessionBytes()));
    }

    @Override
    public String toString() {
        return "HlsSessionLimits[query=" + maxQueryLength + " host=" + maxHostLength + " referer=" + maxRefererLength
                + " perAddress=" + maxSessionsPerAddress + " newPerSecond=" + newSessionsPerSecondPerAddress
                + " budget=" + memoryBudget + " (" + maxSessions() + " sessions)]";
    }

    /** Builds {@link HlsSessionLimits}; see the class notes for the defaults. */
    public static final class Builder {
        private int maxQueryLength = 1024;
        private int maxHostLength = 255;
        private int maxRefererLength = 1024;
        private int maxSessionsPerAddress = 100;
        private int newSessionsPerSecondPerAddress = 10;
        private long memoryBudget = 128L << 20;

        private Builder() {
        }

        /** Sets the longest query of a new viewer, 64 to {@link QueryParams#MAX_QUERY_LENGTH}. */
        public Builder maxQueryLength(int chars) {
            this.maxQueryLength = range("maxQueryLength", chars, 64, QueryParams.MAX_QUERY_LENGTH);
            return this;
        }

        /** Sets the longest {@code Host} header of a new viewer, 16 to 1024. */
        public Builder maxHostLength(int chars) {
            this.maxHostLength = range("maxHostLength", chars, 16, 1024);
            return this;
        }

        /** Sets where a viewer's {@code Referer} is cut, 0 (not kept) to 8192. */
        public Builder maxRefererLength(int chars) {
            this.maxRefererLength = range("maxRefererLength", chars, 0, 8192);
            return this;
        }

        /** Sets the most sessions one address may have open (or being decided), 1 to 1,000,000. */
        public Builder maxSessionsPerAddress(int sessions) {
            this.maxSessionsPerAddress = range("maxSessionsPerAddress", sessions, 1, 1_000_000);
            return this;
        }

        /** Sets how many sessions one address may start per second (and in a burst), 1 to 100,000. */
        public Builder newSessionsPerSecondPerAddress(int sessions) {
            this.newSessionsPerSecondPerAddress = range("newSessionsPerSecondPerAddress", sessions, 1, 100_000);
            return this;
        }

        /** Sets the bytes all sessions together may hold, 1 MiB to 64 GiB. */
        public Builder memoryBudget(long bytes) {
            if (bytes < 1L << 20 || bytes > 64L << 30) {
                throw new IllegalArgumentException("memoryBudget must be 1 MiB..64 GiB: " + bytes);
            }
            this.memoryBudget = bytes;
            return this;
        }

        public HlsSessionLimits build() {
            return new HlsSessionLimits(this);
        }

        private static int range(String name, int v, int min, int max) {
            if (v < min || v > max) {
                throw new IllegalArgumentException(name + " must be " + min + ".." + max + ": " + v);
            }
            return v;
        }
    }
}
