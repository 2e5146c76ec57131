package io.livehub.rtmp.amf;

import java.util.Arrays;

/**
 * Keeps the complex values of one decode in order of appearance, so that AMF0 references
 * (AMF0 spec §2.9) and AMF3 object references (AMF3 spec §2.2) can be resolved, and counts the
 * values a decode produces.
 *
 * <p>A value is registered when it starts and completed when it ends. A reference to a value that
 * has not ended would make a cycle; cycles are refused, so decoded graphs can be walked, printed
 * and hashed without guards. A reference charges the budget with the size of its target, which
 * stops a few bytes of doubling references from standing for an exponentially large graph.
 *
 * <p>Thread-safety: not thread-safe; one per decode.
 */
final class AmfReferenceTable {

    private final AmfLimits limits;
    private final Budget budget;
    private Object[] values = new Object[8];
    private long[] weights = new long[8];
    private int size;

    AmfReferenceTable(AmfLimits limits, Budget budget) {
        this.limits = limits;
        this.budget = budget;
    }

    /** Registers a value that has started; returns its index. */
    int open(Object value) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
            weights = Arrays.copyOf(weights, size * 2);
        }
        values[size] = value;
        weights[size] = -1;
        return size++;
    }

    /** Replaces the value at {@code index}, for values whose final type is known at their end. */
    void set(int index, Object value) {
        values[index] = value;
    }

    /** Marks the value at {@code index} as ended, {@code weight} values large. */
    void close(int index, long weight) {
        weights[index] = Math.max(1, weight);
    }

    /** Returns the value at {@code index}, charging the budget with its size. */
    Object resolve(int index, String what) {
        if (index < 0 || index >= size) {
            throw new AmfException(what + " reference " + index + " out of range (table holds " + size + ")");
        }
        long w = weights[index];
        if (w < 0) {
            throw new AmfException(what + " reference " + index + " points at an enclosing value: cycles are not supported");
        }
        budget.charge(w, limits);
        return values[index];
    }

    /** Counts values produced by one decode call, shared by AMF0 and the AMF3 values inside it. */
    static final class Budget {
        private long used;

        void charge(long n, AmfLimits limits) {
            used += n;
            if (used > limits.maxValues()) {
                throw new AmfException("more than " + limits.maxValues() + " values in one AMF decode");
            }
        }

        long used() {
            return used;
        }
    }
}
