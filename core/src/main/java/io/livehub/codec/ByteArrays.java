package io.livehub.codec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Copies and compares lists of byte arrays by content, for the immutable configuration
 * records that hold parameter sets.
 */
public final class ByteArrays {

    private ByteArrays() {
    }

    /** Returns an unmodifiable list of copies of {@code arrays}. */
    public static List<byte[]> copyOf(List<byte[]> arrays) {
        List<byte[]> out = new ArrayList<>(arrays.size());
        for (byte[] a : arrays) {
            out.add(a.clone());
        }
        return List.copyOf(out);
    }

    /** Returns true if both lists hold arrays of equal content in the same order. */
    public static boolean equals(List<byte[]> a, List<byte[]> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!Arrays.equals(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** Returns a hash code consistent with {@link #equals(List, List)}. */
    public static int hashCode(List<byte[]> arrays) {
        int h = 1;
        for (byte[] a : arrays) {
            h = 31 * h + Arrays.hashCode(a);
        }
        return h;
    }
}
