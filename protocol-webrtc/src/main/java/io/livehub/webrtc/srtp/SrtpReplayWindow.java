package io.livehub.webrtc.srtp;

/**
 * A sliding replay window over packet indexes (RFC 3711 section 3.3.2): an index older than
 * the window, or already seen inside it, is a replay. The window is 64 packets, the minimum
 * the RFC allows, kept in one {@code long}.
 *
 * <p>Thread-safety: not thread-safe; owned by one receiving context.
 */
public final class SrtpReplayWindow {

    /** Packets the window covers behind the highest index. */
    public static final int SIZE = 64;

    private long highest = -1;
    private long bits;

    /** Returns whether {@code index} would be accepted (it is new and not too old). */
    public boolean check(long index) {
        if (highest < 0 || index > highest) {
            return true;
        }
        long delta = highest - index;
        return delta < SIZE && (bits & (1L << delta)) == 0;
    }

    /** Records {@code index} as received; call only after the packet authenticated. */
    public void update(long index) {
        if (highest < 0) {
            highest = index;
            bits = 1;
        } else if (index > highest) {
            long shift = index - highest;
            bits = shift >= SIZE ? 1 : (bits << shift) | 1;
            highest = index;
        } else {
            long delta = highest - index;
            if (delta < SIZE) {
                bits |= 1L << delta;
            }
        }
    }

    /** Returns the highest index received, or -1. */
    public long highest() {
        return highest;
    }
}
