package io.livehub.srt.packet;

/**
 * Computes with 31-bit SRT packet sequence numbers, which wrap from {@code 2^31 - 1} to 0
 * (draft-sharabayko-srt section 3.1). Two numbers are compared by their shortest distance
 * on the circle, so any two numbers less than {@code 2^30} apart compare as expected.
 *
 * <p>Thread-safety: stateless.
 */
public final class SrtSequence {

    /** The largest sequence number. */
    public static final int MAX = 0x7FFF_FFFF;
    /** Half the circle: distances at or beyond it are taken the other way round. */
    private static final int THRESHOLD = 0x3FFF_FFFF;

    private SrtSequence() {
    }

    /** Returns the sequence number after {@code seq}. */
    public static int next(int seq) {
        return seq == MAX ? 0 : seq + 1;
    }

    /** Returns the sequence number before {@code seq}. */
    public static int previous(int seq) {
        return seq == 0 ? MAX : seq - 1;
    }

    /** Returns {@code seq + n} on the circle; {@code n} may be negative. */
    public static int add(int seq, int n) {
        return (int) Math.floorMod((long) seq + n, (long) MAX + 1);
    }

    /**
     * Returns how many steps lead from {@code from} to {@code to}: positive when {@code to}
     * is later, negative when earlier.
     */
    public static int offset(int from, int to) {
        int d = to - from;
        if (Math.abs(d) < THRESHOLD) {
            return d;
        }
        return from < to ? d - MAX - 1 : d + MAX + 1;
    }

    /** Returns a negative number, zero or a positive number as {@code a} is before, equal to or after {@code b}. */
    public static int compare(int a, int b) {
        return Integer.signum(offset(b, a));
    }

    /** Returns whether {@code seq} is a valid 31-bit sequence number. */
    public static boolean isValid(int seq) {
        return seq >= 0;
    }
}
