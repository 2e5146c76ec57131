package io.livehub.rtmp.amf;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Holds an AMF object: an anonymous object (AMF0 spec §2.5), a typed object (AMF0 spec §2.18)
 * or an AMF3 object (AMF3 spec §3.12), its members in wire order. A non-null
 * {@link #className()} makes the AMF0 encoder write a typed object.
 *
 * <p>Thread-safety: not thread-safe, like {@link LinkedHashMap}.
 */
public final class AmfObject extends LinkedHashMap<String, Object> {

    private static final long serialVersionUID = 1L;

    private final String className;

    /** Creates an empty anonymous object. */
    public AmfObject() {
        this.className = null;
    }

    /** Creates an empty object of a class; {@code null} or empty means anonymous. */
    public AmfObject(String className) {
        this.className = className == null || className.isEmpty() ? null : className;
    }

    /** Creates an anonymous object holding a copy of {@code members}. */
    public AmfObject(Map<String, ?> members) {
        super(members);
        this.className = null;
    }

    /** Returns the class name of a typed object, or {@code null} for an anonymous one. */
    public String className() {
        return className;
    }

    /** Returns the member as a string, or {@code null} when it is absent or not a string. */
    public String string(String key) {
        return get(key) instanceof String s ? s : null;
    }

    /** Returns the member as a number, or {@code null} when it is absent or not a number. */
    public Double number(String key) {
        return get(key) instanceof Number n ? n.doubleValue() : null;
    }

    /** Puts a member and returns this object, for literal-style building. */
    public AmfObject with(String key, Object value) {
        put(key, value);
        return this;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AmfObject other && java.util.Objects.equals(className, other.className)
                && super.equals(o);
    }

    @Override
    public int hashCode() {
        return super.hashCode();
    }
}
