package io.livehub.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Egress forms are per server: no shared table to exhaust, no slot shared between two servers' forms. */
class EgressFormsTest {

    private static final Track VIDEO = Track.builder(CodecId.H264).config(new byte[] {1, 2, 3}).build();

    private static EgressForm tagged(EgressForms forms, String name, int tag) {
        return forms.of(name, (frame, alloc) -> alloc.buffer(1).writeByte(tag));
    }

    @Test
    void manyFormsAndManyServersNeverRunOut() {
        List<EgressForms> servers = new ArrayList<>();
        for (int s = 0; s < 40; s++) {
            EgressForms forms = new EgressForms();
            for (int size = 0; size < 40; size++) {
                tagged(forms, "rtmp.chunks." + (128 + size), size);
            }
            assertEquals(40, forms.size());
            servers.add(forms);
        }
        assertSame(servers.get(0).of("rtmp.chunks.128", (f, a) -> Unpooled.EMPTY_BUFFER),
                servers.get(0).of("rtmp.chunks.128", (f, a) -> Unpooled.EMPTY_BUFFER), "one form per name");
    }

    @Test
    void aFrameKeepsEachServersFormApart() {
        EgressForms a = new EgressForms();
        EgressForms b = new EgressForms();
        EgressForm formA = tagged(a, "same.name", 0xA);
        EgressForm formB = tagged(b, "same.name", 0xB); // the same index in another registry
        EgressForm lateA = tagged(a, "registered.after.the.first.encode", 0xC);
        MediaFrame f = MediaFrame.of(VIDEO, 0, 0, true, Unpooled.wrappedBuffer(new byte[] {9}));
        try {
            ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;
            assertEquals(0xA, f.encoded(formA, alloc).getByte(0));
            assertEquals(0xB, f.encoded(formB, alloc).getByte(0));
            assertEquals(0xC, f.encoded(lateA, alloc).getByte(0));
            assertSame(f.encoded(formA, alloc), f.encoded(formA, alloc), "cached");
            assertSame(f.encoded(formB, alloc), f.encoded(formB, alloc), "cached too");
            assertNotSame(f.encoded(formA, alloc), f.encoded(formB, alloc));
        } finally {
            f.release(); // releases every cached form with it; the leak detector checks
        }
    }
}
