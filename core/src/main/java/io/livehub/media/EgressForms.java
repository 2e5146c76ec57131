package io.livehub.media;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The egress forms of one server, by name. Each server has its own (two servers in one JVM,
 * with different RTMP chunk sizes say, never share or exhaust a table), and a frame keeps one
 * cache slot per form of its server.
 *
 * <p>Thread-safety: all methods may be called from any thread.
 */
public final class EgressForms {

    private final AtomicInteger next = new AtomicInteger();
    private final ConcurrentMap<String, EgressForm> byName = new ConcurrentHashMap<>();

    /**
     * Returns the form registered under {@code name}, registering it with {@code encoder} on
     * first use. A later call with the same name returns the first form and ignores its
     * encoder. Register forms when a module starts, before frames flow, so that frames size
     * their caches for them.
     */
    public EgressForm of(String name, EgressForm.Encoder encoder) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(encoder, "encoder");
        return byName.computeIfAbsent(name, n -> new EgressForm(this, next.getAndIncrement(), n, encoder));
    }

    /** Returns how many forms are registered. */
    public int size() {
        return next.get();
    }
}
