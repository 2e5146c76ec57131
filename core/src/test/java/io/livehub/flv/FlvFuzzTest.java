package io.livehub.flv;

import io.livehub.testing.CollectingSink;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.livehub.media.MalformedMediaException;
import io.livehub.media.MediaFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;

/**
 * Fuzzes the path of FLV bytes from the network: {@link FlvTagDecoder} over input arriving in
 * pieces, then {@link FlvMediaDecoder}, then {@link FlvMediaEncoder} on every frame. Only
 * {@link MalformedMediaException} may escape the decoders, and every buffer must be freed.
 *
 * <p>Input: byte 0 holds flags (bit 0: the stream starts with the FLV header; bits 1 to 7:
 * the size of the pieces it arrives in, minus one); the rest is the stream.
 *
 * <p>Seeds live in {@code FlvFuzzTestInputs/decodesStream/} and run as regression tests in a
 * plain {@code mvn test}; {@code JAZZER_FUZZ=1} fuzzes.
 */
class FlvFuzzTest {

    private static final io.livehub.media.EgressForms FORMS = new io.livehub.media.EgressForms();

    /** Kept small so the fuzzer reaches the limit check often. */
    private static final int MAX_TAG_SIZE = 64 * 1024;

    @FuzzTest(maxDuration = "30s")
    void decodesStream(byte[] input) {
        if (input.length == 0) {
            return;
        }
        boolean header = (input[0] & 1) != 0;
        int piece = ((input[0] & 0xFF) >>> 1) + 1;
        FlvTagDecoder tags = new FlvTagDecoder(header, MAX_TAG_SIZE);
        FlvMediaDecoder media = new FlvMediaDecoder();
        ByteBuf cumulation = Unpooled.buffer();
        List<Object> out = new ArrayList<>();
        try {
            for (int i = 1; i < input.length; i += piece) {
                cumulation.writeBytes(input, i, Math.min(piece, input.length - i));
                FlvTag tag;
                while ((tag = tags.decode(cumulation)) != null) {
                    try {
                        media.decode(tag, new CollectingSink(out));
                    } finally {
                        tag.release();
                    }
                    encodeAndRelease(out);
                }
                cumulation.discardReadBytes();
            }
        } catch (MalformedMediaException expected) {
            // Bad input ends the stream, as it closes a connection.
        } finally {
            for (Object o : out) {
                if (o instanceof MediaFrame) {
                    ((MediaFrame) o).release();
                }
            }
            if (!cumulation.release()) {
                throw new AssertionError("a frame or tag still references the input: refCnt=" + cumulation.refCnt());
            }
        }
    }

    private static void encodeAndRelease(List<Object> out) {
        for (Object o : out) {
            if (o instanceof MediaFrame) {
                MediaFrame f = (MediaFrame) o;
                try {
                    f.encoded(FlvMediaEncoder.tagForm(FORMS), ByteBufAllocator.DEFAULT);
                } finally {
                    if (!f.release()) {
                        throw new AssertionError("frame still referenced: " + f);
                    }
                }
            }
        }
        out.clear();
    }
}
