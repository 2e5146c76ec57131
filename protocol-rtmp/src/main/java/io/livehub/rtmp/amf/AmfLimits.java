package io.livehub.rtmp.amf;

/**
 * Holds the limits an AMF decoder enforces before it reserves memory or recurses.
 *
 * <p>Defaults ({@link #DEFAULT}):
 * <ul>
 *   <li>{@code maxDepth} 32: RTMP command objects nest two or three levels; 32 leaves room
 *       for application data while keeping the recursion shallow. At most {@value #MAX_DEPTH_CAP},
 *       so that even a small thread stack cannot overflow.</li>
 *   <li>{@code maxStringLength} 65536 bytes: applies to strings, long strings, XML and AMF3
 *       byte arrays; metadata and command strings are far smaller.</li>
 *   <li>{@code maxElements} 4096: members of one object or ECMA array, elements of one
 *       array, sealed members of one AMF3 class.</li>
 *   <li>{@code maxValues} 65536: values in one decode call, counting a value again each time
 *       a reference points at it, so that a few bytes of nested references cannot expand
 *       into an exponentially large graph for whoever walks it later.</li>
 * </ul>
 *
 * <p>Thread-safety: immutable.
 *
 * @param maxDepth deepest nesting of objects and arrays, 1..{@value #MAX_DEPTH_CAP}
 * @param maxStringLength longest string, XML text or byte array in bytes, at least 1
 * @param maxElements most members or elements in one object or array, at least 1
 * @param maxValues most values in one decode call, references counted with their size
 */
public record AmfLimits(int maxDepth, int maxStringLength, int maxElements, int maxValues) {

    /** Caps {@code maxDepth}: the decoders recurse once per nesting level. */
    public static final int MAX_DEPTH_CAP = 512;

    /** The defaults listed in the class notes. */
    public static final AmfLimits DEFAULT = new AmfLimits(32, 64 * 1024, 4096, 65536);

    /** Validates the limits. */
    public AmfLimits {
        if (maxDepth < 1 || maxDepth > MAX_DEPTH_CAP) {
            throw new IllegalArgumentException("maxDepth must be in 1.." + MAX_DEPTH_CAP + ": " + maxDepth);
        }
        if (maxStringLength < 1) {
            throw new IllegalArgumentException("maxStringLength must be positive: " + maxStringLength);
        }
        if (maxElements < 1) {
            throw new IllegalArgumentException("maxElements must be positive: " + maxElements);
        }
        if (maxValues < 1) {
            throw new IllegalArgumentException("maxValues must be positive: " + maxValues);
        }
    }

    /** Returns a builder that starts from {@link #DEFAULT}. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Builds {@link AmfLimits}; every setter starts from the default.
     *
     * <p>Thread-safety: not thread-safe.
     */
    public static final class Builder {
        private int maxDepth = DEFAULT.maxDepth;
        private int maxStringLength = DEFAULT.maxStringLength;
        private int maxElements = DEFAULT.maxElements;
        private int maxValues = DEFAULT.maxValues;

        private Builder() {
        }

        /** Sets the deepest nesting; default 32. */
        public Builder maxDepth(int v) {
            this.maxDepth = v;
            return this;
        }

        /** Sets the longest string, XML or byte array in bytes; default 65536. */
        public Builder maxStringLength(int v) {
            this.maxStringLength = v;
            return this;
        }

        /** Sets the most members or elements of one object or array; default 4096. */
        public Builder maxElements(int v) {
            this.maxElements = v;
            return this;
        }

        /** Sets the most values in one decode call; default 65536. */
        public Builder maxValues(int v) {
            this.maxValues = v;
            return this;
        }

        /** Returns the limits; throws {@link IllegalArgumentException} when one is out of range. */
        public AmfLimits build() {
            return new AmfLimits(maxDepth, maxStringLength, maxElements, maxValues);
        }
    }
}
