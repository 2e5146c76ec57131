package io.livehub.srt.packet;

import io.livehub.media.MalformedMediaException;
import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * Lists lost sequence numbers as inclusive ranges, in the compressed form of a NAK's
 * control information field (draft-sharabayko-srt section 3.2.5, Appendix A): a single
 * number is one word with the top bit clear; a range is its first number with the top bit
 * set followed by its last number with the top bit clear.
 *
 * <p>Thread-safety: immutable.
 */
public final class SrtLossList {

    private static final int RANGE_FLAG = 0x8000_0000;
    private static final SrtLossList EMPTY = new SrtLossList(new int[0]);

    /** Pairs of (first, last), both inclusive. */
    private final int[] ranges;

    private SrtLossList(int[] ranges) {
        this.ranges = ranges;
    }

    /** Returns the empty list. */
    public static SrtLossList empty() {
        return EMPTY;
    }

    /**
     * Returns a list of the given inclusive ranges, as {@code first0, last0, first1, last1, ...}.
     *
     * @throws IllegalArgumentException when a number is not a sequence number or a range is reversed
     */
    public static SrtLossList ofRanges(int... firstLastPairs) {
        if (firstLastPairs.length % 2 != 0) {
            throw new IllegalArgumentException("ranges come in pairs");
        }
        for (int i = 0; i < firstLastPairs.length; i += 2) {
            int a = firstLastPairs[i];
            int b = firstLastPairs[i + 1];
            if (a < 0 || b < 0 || SrtSequence.offset(a, b) < 0) {
                throw new IllegalArgumentException("invalid range " + a + ".." + b);
            }
        }
        return new SrtLossList(firstLastPairs.clone());
    }

    /** Returns the number of ranges. */
    public int rangeCount() {
        return ranges.length / 2;
    }

    public int first(int range) {
        return ranges[range * 2];
    }

    public int last(int range) {
        return ranges[range * 2 + 1];
    }

    /** Returns how many sequence numbers the list names. */
    public long count() {
        long n = 0;
        for (int i = 0; i < ranges.length; i += 2) {
            n += SrtSequence.offset(ranges[i], ranges[i + 1]) + 1L;
        }
        return n;
    }

    public boolean isEmpty() {
        return ranges.length == 0;
    }

    /** Returns the number of bytes {@link #encode} writes. */
    public int encodedLength() {
        int n = 0;
        for (int i = 0; i < ranges.length; i += 2) {
            n += ranges[i] == ranges[i + 1] ? 4 : 8;
        }
        return n;
    }

    /** Writes the compressed form. */
    public void encode(ByteBuf out) {
        for (int i = 0; i < ranges.length; i += 2) {
            if (ranges[i] == ranges[i + 1]) {
                out.writeInt(ranges[i]);
            } else {
                out.writeInt(ranges[i] | RANGE_FLAG);
                out.writeInt(ranges[i + 1]);
            }
        }
    }

    /**
     * Reads the compressed form from all readable bytes of {@code in}.
     *
     * @throws MalformedMediaException when the length is not a multiple of 4, a range has no
     *         end or runs backwards, or there are more than {@code maxRanges} ranges
     */
    public static SrtLossList decode(ByteBuf in, int maxRanges) {
        int len = in.readableBytes();
        if (len % 4 != 0) {
            throw new MalformedMediaException("SRT loss list length " + len + " is not a multiple of 4");
        }
        int[] out = new int[Math.min(len / 4, maxRanges) * 2];
        int n = 0;
        while (in.isReadable()) {
            if (n == out.length) {
                throw new MalformedMediaException("SRT loss list has more than " + maxRanges + " ranges");
            }
            int w = in.readInt();
            if ((w & RANGE_FLAG) != 0) {
                if (!in.isReadable()) {
                    throw new MalformedMediaException("SRT loss list range without an end");
                }
                int first = w & SrtSequence.MAX;
                int last = in.readInt();
                if (last < 0 || SrtSequence.offset(first, last) < 0) {
                    throw new MalformedMediaException("SRT loss list range " + first + ".." + last + " is invalid");
                }
                out[n++] = first;
                out[n++] = last;
            } else {
                out[n++] = w;
                out[n++] = w;
            }
        }
        return new SrtLossList(n == out.length ? out : Arrays.copyOf(out, n));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SrtLossList && Arrays.equals(ranges, ((SrtLossList) o).ranges);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(ranges);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < ranges.length; i += 2) {
            if (i > 0) {
                b.append(", ");
            }
            b.append(ranges[i]);
            if (ranges[i] != ranges[i + 1]) {
                b.append("..").append(ranges[i + 1]);
            }
        }
        return b.append(']').toString();
    }

    /** Collects lost numbers in increasing order and merges neighbours into ranges. */
    public static final class Builder {
        private int[] pairs = new int[16];
        private int n;

        /** Adds the inclusive range {@code first..last}; it must come after the ranges added so far. */
        public Builder add(int first, int last) {
            if (n > 0 && SrtSequence.next(pairs[n - 1]) == first) {
                pairs[n - 1] = last;
                return this;
            }
            if (n == pairs.length) {
                pairs = Arrays.copyOf(pairs, n * 2);
            }
            pairs[n++] = first;
            pairs[n++] = last;
            return this;
        }

        /** Returns the number of ranges so far. */
        public int rangeCount() {
            return n / 2;
        }

        public SrtLossList build() {
            return n == 0 ? EMPTY : new SrtLossList(Arrays.copyOf(pairs, n));
        }
    }
}
