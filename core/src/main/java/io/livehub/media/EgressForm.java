package io.livehub.media;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Names one wire form of a frame that an egress protocol writes (RTMP chunks, an FLV tag,
 * an MPEG-TS packet run, ...), with the encoder that builds it. A frame caches each form the
 * first time a subscriber asks for it, so the form is built once per stream and shared by
 * every subscriber (ARCHITECTURE.md section 3, "encode once, write many").
 *
 * <p>Forms belong to one server's {@link EgressForms} (reached through
 * {@code StreamHub.egressForms()}); get one with {@link EgressForms#of}. A form whose bytes
 * depend on configuration (an RTMP chunk size, say) puts that value in its name.
 *
 * <p>Thread-safety: immutable.
 */
public final class EgressForm {

    private final EgressForms registry;
    private final int index;
    private final String name;
    private final Encoder encoder;

    EgressForm(EgressForms registry, int index, String name, Encoder encoder) {
        this.registry = registry;
        this.index = index;
        this.name = name;
        this.encoder = encoder;
    }

    EgressForms registry() {
        return registry;
    }

    int index() {
        return index;
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
