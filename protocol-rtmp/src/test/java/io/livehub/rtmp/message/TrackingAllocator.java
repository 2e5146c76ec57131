package io.livehub.rtmp.message;

import static org.junit.jupiter.api.Assertions.fail;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledHeapByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * Hands out unpooled heap buffers and remembers every one, so that a test can assert that all of
 * them were released: a deterministic leak check that does not wait for the garbage collector,
 * on top of Netty's paranoid leak detector.
 */
public final class TrackingAllocator extends AbstractByteBufAllocator {

    private final List<ByteBuf> buffers = new ArrayList<>();

    public TrackingAllocator() {
        super(false);
    }

    @Override
    protected synchronized ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
        ByteBuf b = new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity);
        buffers.add(b);
        return b;
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
        return newHeapBuffer(initialCapacity, maxCapacity);
    }

    @Override
    public boolean isDirectBufferPooled() {
        return false;
    }

    /** Returns a tracked buffer holding {@code bytes}. Ownership: the caller releases it. */
    public ByteBuf wrap(byte[] bytes) {
        return buffer(Math.max(1, bytes.length)).writeBytes(bytes);
    }

    /** Returns how many buffers were handed out. */
    public synchronized int allocated() {
        return buffers.size();
    }

    /** Fails when a buffer handed out is still referenced. */
    public synchronized void assertAllReleased() {
        int leaked = 0;
        for (ByteBuf b : buffers) {
            if (b.refCnt() != 0) {
                leaked++;
            }
        }
        if (leaked > 0) {
            fail(leaked + " of " + buffers.size() + " buffers not released");
        }
    }
}
