package io.livehub.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EgressGathererTest {

    private static final Track VIDEO = Track.builder(CodecId.H264).config(new byte[] {1, 2, 3}).build();
    /** A form that is the payload behind a one-byte marker, so joined bytes are easy to predict. */
    private static final io.livehub.media.EgressForms FORMS = new io.livehub.media.EgressForms();
    private static final EgressForm FORM = FORMS.of("test.gatherer", (frame, alloc) -> {
        ByteBuf out = alloc.ioBuffer(1 + frame.content().readableBytes());
        out.writeByte(0x7E);
        out.writeBytes(frame.content(), frame.content().readerIndex(), frame.content().readableBytes());
        return out;
    });
    private static final EgressForm OTHER_FORM = FORMS.of("test.gatherer.other", (frame, alloc) -> {
        ByteBuf out = alloc.ioBuffer(2);
        out.writeShort(0x4242);
        return out;
    });

    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    private final EgressGatherer gatherer = new EgressGatherer();
    private final List<MediaFrame> frames = new ArrayList<>();
    private final List<ByteBuf> taken = new ArrayList<>();

    @AfterEach
    void releaseAll() {
        gatherer.clear();
        EgressGatherer.endPass();
        taken.forEach(ByteBuf::release);
        frames.forEach(f -> {
            if (f.refCnt() > 0) {
                f.release();
            }
        });
    }

    private MediaFrame frame(int id, int size) {
        byte[] payload = new byte[size];
        java.util.Arrays.fill(payload, (byte) id);
        MediaFrame f = MediaFrame.of(VIDEO, id, id, false, Unpooled.wrappedBuffer(payload));
        frames.add(f);
        return f;
    }

    /** The buffer that holds the memory, under leak-detection wrappers and derived views. */
    private static ByteBuf root(ByteBuf b) {
        while (b.unwrap() != null) {
            b = b.unwrap();
        }
        return b;
    }

    private static byte[] expected(MediaFrame... fs) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (MediaFrame f : fs) {
            out.write(0x7E);
            out.writeBytes(ByteBufUtil.getBytes(f.content()));
        }
        return out.toByteArray();
    }

    private ByteBuf gather(Object owner, MediaFrame... fs) {
        for (MediaFrame f : fs) {
            assertTrue(gatherer.add(owner, FORM, f, alloc));
        }
        ByteBuf b = gatherer.take(owner);
        if (b != null) {
            taken.add(b);
        }
        return b;
    }

    @Test
    void playersWithTheSameFramesShareOneBuffer() {
        MediaFrame a = frame(1, 10);
        MediaFrame b = frame(2, 20);
        MediaFrame c = frame(3, 30);
        ByteBuf first = gather("p1", a, b, c);
        ByteBuf second = gather("p2", a, b, c);
        ByteBuf third = gather("p3", a, b, c);
        assertArrayEquals(expected(a, b, c), ByteBufUtil.getBytes(first));
        assertArrayEquals(expected(a, b, c), ByteBufUtil.getBytes(second));
        assertSame(root(first), root(second), "the second player shares the first one's buffer");
        assertSame(root(first), root(third));
    }

    @Test
    void aPlayerWithFewerFramesGetsAPrefixOfTheSharedBuffer() {
        MediaFrame a = frame(1, 10);
        MediaFrame b = frame(2, 20);
        MediaFrame c = frame(3, 30);
        ByteBuf full = gather("p1", a, b, c);
        ByteBuf prefix = gather("p2", a, b);
        assertArrayEquals(expected(a, b), ByteBufUtil.getBytes(prefix));
        assertSame(root(full), root(prefix));
    }

    @Test
    void aPlayerWithMoreOrOtherFramesBuildsItsOwnAndLaterPlayersMatchIt() {
        MediaFrame a = frame(1, 10);
        MediaFrame b = frame(2, 20);
        MediaFrame c = frame(3, 30);
        MediaFrame d = frame(4, 40);
        ByteBuf ab = gather("p1", a, b);
        ByteBuf abc = gather("p2", a, b, c);
        ByteBuf abd = gather("p3", a, b, d);
        ByteBuf cd = gather("p4", c, d);
        assertArrayEquals(expected(a, b), ByteBufUtil.getBytes(ab));
        assertArrayEquals(expected(a, b, c), ByteBufUtil.getBytes(abc));
        assertArrayEquals(expected(a, b, d), ByteBufUtil.getBytes(abd));
        assertArrayEquals(expected(c, d), ByteBufUtil.getBytes(cd));
        ByteBuf abcAgain = gather("p5", a, b, c);
        assertArrayEquals(expected(a, b, c), ByteBufUtil.getBytes(abcAgain));
        assertSame(root(abc), root(abcAgain), "a kept buffer is matched, not rebuilt");
        assertNotSame(root(ab), root(abc));
    }

    @Test
    void bytesStayValidAfterTheFramesAreReleased() {
        MediaFrame a = frame(1, 10);
        MediaFrame b = frame(2, 20);
        byte[] want = expected(a, b);
        assertTrue(gatherer.add("p1", FORM, a, alloc));
        assertTrue(gatherer.add("p1", FORM, b, alloc));
        a.release();
        b.release();
        ByteBuf out = gatherer.take("p1");
        taken.add(out);
        assertArrayEquals(want, ByteBufUtil.getBytes(out));
    }

    @Test
    void aFullBufferAsksForATakeAndTheFrameIsAddedAfterIt() {
        int size = EgressGatherer.MAX_BYTES / 3;
        MediaFrame a = frame(1, size);
        MediaFrame b = frame(2, size);
        MediaFrame c = frame(3, size);
        MediaFrame d = frame(4, size);
        assertTrue(gatherer.add("p1", FORM, a, alloc));
        assertTrue(gatherer.add("p1", FORM, b, alloc));
        assertFalse(gatherer.add("p1", FORM, c, alloc), "a third of the bound plus marker bytes does not fit thrice");
        ByteBuf first = gatherer.take("p1");
        taken.add(first);
        assertTrue(gatherer.add("p1", FORM, c, alloc));
        assertTrue(gatherer.add("p1", FORM, d, alloc));
        ByteBuf second = gatherer.take("p1");
        taken.add(second);
        assertArrayEquals(expected(a, b), ByteBufUtil.getBytes(first));
        assertArrayEquals(expected(c, d), ByteBufUtil.getBytes(second));
        // A single frame over the bound is taken whole.
        MediaFrame huge = frame(5, EgressGatherer.MAX_BYTES + 100);
        ByteBuf whole = gather("p2", huge);
        assertArrayEquals(expected(huge), ByteBufUtil.getBytes(whole));
    }

    @Test
    void anUntakenGatheringIsDroppedWhenAnotherOwnerAdds() {
        MediaFrame a = frame(1, 10);
        MediaFrame b = frame(2, 20);
        assertTrue(gatherer.add("p1", FORM, a, alloc));
        ByteBuf other = gather("p2", b);
        assertArrayEquals(expected(b), ByteBufUtil.getBytes(other));
        assertNull(gatherer.take("p1"), "p1's gathering was dropped");
        assertNull(gatherer.take("p2"), "nothing gathered since the last take");
    }

    @Test
    void formsAreKeptApart() {
        MediaFrame a = frame(1, 10);
        ByteBuf inForm = gather("p1", a);
        assertTrue(gatherer.add("p2", OTHER_FORM, a, alloc));
        ByteBuf inOther = gatherer.take("p2");
        taken.add(inOther);
        assertArrayEquals(expected(a), ByteBufUtil.getBytes(inForm));
        assertArrayEquals(new byte[] {0x42, 0x42}, ByteBufUtil.getBytes(inOther));
    }

    @Test
    void endPassReleasesTheKeptBuffers() {
        EgressGatherer g = EgressGatherer.current();
        MediaFrame a = frame(1, 10);
        assertTrue(g.add("p1", FORM, a, alloc));
        ByteBuf out = g.take("p1");
        taken.add(out);
        ByteBuf root = root(out);
        assertEquals(2, root.refCnt(), "kept by the gatherer and by the taker");
        EgressGatherer.endPass();
        assertEquals(1, root.refCnt(), "the gatherer let go at the end of the pass");
        assertArrayEquals(expected(a), ByteBufUtil.getBytes(out), "the taker's bytes stay");
        assertTrue(g.add("p2", FORM, a, alloc));
        ByteBuf again = g.take("p2");
        taken.add(again);
        assertNotSame(root, root(again), "a new pass builds anew");
    }
}
