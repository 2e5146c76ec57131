package io.livehub.media;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Names one wire form of a frame that an egress protocol writes (RTMP chunks, an FLV tag,
 * an MPEG-TS packet run, ...), with the encoder that builds it. A frame caches each form the
 * first time a subscriber asks for it, so the form is built once per stream and shared by
 * every subscriber (ARCHITECTURE.md section 3, "encode once, write many").
 *
 * <p>Forms are registered once per distinct name and live for the JVM; at most
 * {@link #MAX_FORMS} may exist. A form whose bytes depend on configuration (an RTMP chunk
 * size, say) puts that value in its name.
 *
 * <p>Thread-safety: immutable; {@link #of} may be called from any thread.
 */
public final class EgressForm {

    /** The most forms the JVM may register; a frame keeps one slot per form. */
    public static final int MAX_FORMS = 32;

    private static final AtomicInteger NEXT_INDEX = new AtomicInteger();
    private static final ConcurrentMap<String, EgressForm> BY_NAME = new ConcurrentHashMap<>();

    private final int index;
    private final String name;
    private final Encoder encoder;

    private EgressForm(int index, String name, Encoder encoder) {
        this.index = index;
        this.name = name;
        this.encoder = encoder;
    }

    /**
     * Returns the form registered under {@code name}, registering it with {@code encoder} on
     * first use. A later call with the same name returns the first form and ignores its
     * encoder.
     *
     * @throws IllegalStateException when {@link #MAX_FORMS} forms exist already
     */
    public static EgressForm of(String name, Encoder encoder) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(encoder, "encoder");
        return BY_NAME.computeIfAbsent(name, n -> {
            int i = NEXT_INDEX.getAndIncrement();
            if (i >= MAX_FORMS) {
                throw new IllegalStateException("too many egress forms (max " + MAX_FORMS + "): " + n);
            }
            return new EgressForm(i, n, encoder);
        });
    }

    int index() {
        return index;
    }

    /** Returns how many forms are registered now. */
    static int registered() {
        return Math.min(NEXT_INDEX.get(), MAX_FORMS);
    }

    Encoder encoder() {
        return encoder;
    }

    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return "EgressForm[" + name + "]";
    }

    /** Builds one wire form of a frame. */
    @FunctionalInterface
    public interface Encoder {
        /**
         * Encodes {@code frame}. Runs at most once per frame and form, on the thread of the
         * first subscriber that asks.
         *
         * <p>Ownership: {@code frame} is borrowed (read its payload with absolute indexes or
         * a duplicate; do not release it). The returned buffer belongs to the frame, which
         * releases it with itself.
         */
        ByteBuf encode(MediaFrame frame, ByteBufAllocator alloc);
    }
}
