package io.livehub.rtmp.amf;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Holds an AMF0 ECMA array (AMF0 spec §2.10), an associative array keyed by strings, as used by
 * {@code onMetaData}. The AMF3 decoder also returns one for an array with associative members
 * (AMF3 spec §3.11), its dense part keyed {@code "0"}, {@code "1"}, ... after them.
 *
 * <p>Thread-safety: not thread-safe, like {@link LinkedHashMap}.
 */
public final class AmfEcmaArray extends LinkedHashMap<String, Object> {

    private static final long serialVersionUID = 1L;

    /** Creates an empty array. */
    public AmfEcmaArray() {
    }

    /** Creates an array holding a copy of {@code members}. */
    public AmfEcmaArray(Map<String, ?> members) {
        super(members);
    }

    /** Puts a member and returns this array, for literal-style building. */
    public AmfEcmaArray with(String key, Object value) {
        put(key, value);
        return this;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AmfEcmaArray && super.equals(o);
    }

    @Override
    public int hashCode() {
        return super.hashCode();
    }
}
